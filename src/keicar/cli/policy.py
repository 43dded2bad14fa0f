"""``keicar policy``: state a policy's provisions, or run it against today's law."""

from typing import Optional

import typer

from .app import app
from .render import add_row, esc, fields_named, printable
from .render import console as make_console

policy_app = typer.Typer(help="Policies as data: overlays on the law, compared with today.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")


@policy_app.command("list")
def list_policies() -> None:
    """The policies shipped with keicar."""
    from ..engine.parameters import default_law
    from ..engine.policy import load_policy, shipped_policies

    for f in shipped_policies():
        p = load_policy(f, default_law())
        typer.echo(f"{f.stem}: {p.title}{' [HYPOTHETICAL]' if p.hypothetical else ''}")


@policy_app.command("show")
def show(
    file: str = typer.Argument(..., help="A policy YAML file, or a shipped policy's name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Each provision of the policy as a plain sentence, with its date and citation."""
    from ..engine.parameters import default_law
    from ..engine.policy import load_policy

    with fields_named(policy="file"):
        p = load_policy(file, default_law())
    if as_json:
        from .render import print_json

        print_json({"policy": p.id, "title": p.title, "hypothetical": p.hypothetical,
                    "category": p.category, "provisions": [
                        {"sentence": x.sentence, "kind": x.kind, "path": x.path,
                         "since": x.since.isoformat(), "citation": x.citation} for x in p.provisions]})
        return
    typer.echo(printable(p.title) + ("  [HYPOTHETICAL: not law]" if p.hypothetical else ""))
    if p.summary:
        typer.echo(printable(p.summary))
    for x in p.provisions:
        typer.echo(printable(f"- {x.sentence[0].upper()}{x.sentence[1:]}.  ({x.citation})"))


@policy_app.command("run")
def run(
    file: str = typer.Argument(..., help="A policy YAML file, or a shipped policy's name."),
    listings: Optional[str] = typer.Option(None, help="CSV/Parquet of vehicles (default: the catalog's generations)."),
    on: Optional[str] = typer.Option(None, help="The date asked, YYYY-MM-DD (default: today, or the policy's last effective date if later)."),
    chart: Optional[str] = typer.Option(None, help="Write a chart to this .png or .svg file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Baseline and policy in one pass: who qualifies under each, which limit binds, the difference."""
    from ..engine.parameters import default_law
    from ..engine.policy import load_policy
    from keicar.answers.policy import listings_frame, report
    from keicar.inputs.vehicle import InputError

    if chart and not chart.lower().endswith((".png", ".svg")):
        raise InputError("chart", f"{chart!r}: give a file name ending in .png or .svg")
    law = default_law()
    with fields_named(policy="file"):
        p = load_policy(file, law)
    frame = listings_frame(listings) if listings else None
    result = report(p, frame, on=on, law=law, source=listings or "catalog")
    if chart:
        from .chart import policy_chart

        policy_chart(result, chart)
    if as_json:
        from .render import print_json

        print_json(result)
        return
    _show(result, chart)


def _show(r: dict, chart: str | None) -> None:
    from rich.table import Table

    console = make_console()
    tag = "  [HYPOTHETICAL]" if r["hypothetical"] else ""
    console.print(f"[bold]{esc(r['title'])}[/bold]{tag}\n"
                  + esc(f"category {r['category']}, on {r['on']}, over {r['source']} ({r['rows_total']} rows)"))
    t = Table(title="Who qualifies", title_justify="left")
    for col in ("", "qualify", "fail", "unknown", "binding limit (only failure)"):
        t.add_column(col)
    for name, key in (("today's law", "baseline"), ("with the policy", "policy_result")):
        s = r[key]
        add_row(t, name, s["qualify"], s["fail"], s["unknown"],
                ", ".join(f"{k} ({v})" for k, v in s["binding"].items()) or "—")
    console.print(t)
    d = r["difference"]
    console.print(f"Difference: {d['qualify']:+d} qualify; {len(d['gained'])} gained, {len(d['lost'])} lost.")
    for sign, key in (("+", "gained"), ("-", "lost")):
        print_rows(console, d[key], sign)
    if r.get("decided_by_kei_limits"):
        console.print(esc(f"{r['decided_by_kei_limits']} answers read a dimension the catalog does not give as at "
                          "most the kei limit in force when the generation was built (a kei vehicle met it)."))
    because = r["policy_result"]["unknown_because"]
    if because:
        console.print(esc("Unknown with the policy because an input is missing or a range: "
                          + ", ".join(f"{k} ({v})" for k, v in because.items())))
    if r["inputs_missing_for"]:
        console.print("[dim]Unknown for every row (the input has no column for): "
                      f"{esc(', '.join(r['inputs_missing_for']))}[/dim]")
    for name, rep in r["reported"].items():
        if rep:
            console.print("[dim]" + esc(f"{name}: {rep['value']} from {rep['effective']} ({rep['citation']})") + "[/dim]")
    if chart:
        console.print(f"Chart written to {esc(chart)}")


#: Rows listed by name in the human output; the rest are counted (``--json`` has them all).
SHOWN = 20


def print_rows(console, rows: list[dict], sign: str) -> None:
    """Up to ``SHOWN`` rows by their label, then how many more there are."""
    for g in rows[:SHOWN]:
        console.print(esc(f"  {sign} {g['label']}"))
    if len(rows) > SHOWN:
        console.print(f"  … and {len(rows) - SHOWN} more (--json lists every row)")


@policy_app.command("compare")
def compare(
    files: Optional[list[str]] = typer.Argument(None, help="Policy YAML files or shipped policies' names (default: every shipped policy)."),
    listings: Optional[str] = typer.Option(None, help="CSV/Parquet of vehicles (default: the catalog's generations)."),
    on: Optional[str] = typer.Option(None, help="The date asked, YYYY-MM-DD (default: today, or the last date a policy takes effect if later)."),
    chart: bool = typer.Option(False, "--chart", help="Add a bar chart of the counts (text, in the terminal)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Today's law and policies side by side: admitted, not admitted and unknown under each, and the rows whose answers differ."""
    from ..engine.parameters import default_law
    from ..engine.policy import load_policy, shipped_policies
    from keicar.answers.policy import compare_report, listings_frame

    law = default_law()
    with fields_named(policy="files"):
        policies = [load_policy(f, law) for f in (files or shipped_policies())]
    frame = listings_frame(listings) if listings else None
    result = compare_report(policies, frame, on=on, law=law, source=listings or "catalog")
    if as_json:
        from .render import print_json

        print_json(result)
        return
    _show_compare(result, chart)


def _show_compare(r: dict, chart: bool) -> None:
    from rich.table import Table

    console = make_console()
    console.print(esc(f"On {r['on']}, over {r['source']} ({r['rows_total']} rows)"))
    t = Table(title="Admitted under each", title_justify="left")
    for col in ("", "category", "admitted", "not", "unknown", "unknown because (rows)"):
        t.add_column(col)
    for c in r["columns"]:
        name = c["id"] + ("  [HYPOTHETICAL]" if c["hypothetical"] else "")
        add_row(t, name, c["category"] or "—", c["admitted"], c["not_admitted"], c["unknown"],
                ", ".join(f"{k} ({v})" for k, v in c["unknown_because"].items()) or "—")
    console.print(t)
    if chart:
        from .chart import text_bars

        text_bars(console, [(c["id"], c) for c in r["columns"]])
    ids = [c["id"] for c in r["columns"]]
    console.print(f"{len(r['differs'])} rows answered differently:")
    shown = {True: "yes", False: "no", None: "?"}
    for d in r["differs"][:SHOWN]:
        console.print(esc(f"  {d['label']}: " + ", ".join(f"{i} {shown[d['answers'][i]]}" for i in ids)))
    if len(r["differs"]) > SHOWN:
        console.print(f"  … and {len(r['differs']) - SHOWN} more (--json lists every row)")
