"""``keicar states``, ``keicar state XX``, ``keicar map`` and ``keicar data audit``: the US
state records (law/us/states/) on a date."""

import datetime as dt
from typing import Optional

import typer

from .data import data_app
from .app import app
from .render import add_row, esc, fields_named
from .render import console as make_console

STATUS_STYLE = {"unrestricted": "green", "restricted": "yellow", "off_road_only": "dark_orange",
                "prohibited": "red", "unclear": "dim"}


def _on(raw: Optional[str]) -> dt.date:
    from keicar.inputs.vehicle import parse_date

    return parse_date("on", raw) if raw not in (None, "") else dt.date.today()


def _fmt_speed(v) -> str:
    return "—" if v is None else f"≤ {v:g} mph"


def _short(text, width: int = 40) -> str:
    text = "—" if text is None else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _fmt_bool(v) -> str:
    return "—" if v is None else ("yes" if v else "no")


@app.command("states")
def states(
    on: Optional[str] = typer.Option(None, help="The date asked, YYYY-MM-DD (default: today)."),
    status: Optional[str] = typer.Option(
        None, help="Only states with this status: unrestricted | restricted | off_road_only | prohibited | unclear."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Every state and DC on a date: may a kei vehicle be titled and driven, on which roads?"""
    from ..engine.parameters import default_law
    from keicar.answers.statelaw import all_summaries

    on_d = _on(on)
    rows = all_summaries(default_law(), on_d, status.strip().lower() if status else None)
    if as_json:
        from .render import print_json

        print_json({"on": on_d.isoformat(), "count": len(rows), "states": rows})
        return
    from rich.table import Table

    t = Table(title=f"Kei vehicles in US states on {on_d} ({len(rows)} shown)", title_justify="left")
    for col in ("", "state", "status (trucks/vans)", "roads", "interstates", "class", "cars",
                "since", "confidence", "next change"):
        t.add_column(col, overflow="ellipsis", no_wrap=col != "class", max_width=28 if col == "class" else None)
    for r in rows:
        car = r.get("car")
        car_text = "same" if car is None else (
            car["status"] if car["status"] != r["status"] else "same status, see record")
        t.add_row(esc(r["code"]), esc(r["name"]), f"[{STATUS_STYLE[r['status']]}]{esc(r['status'])}[/]",
                  *(esc(c) for c in (_fmt_speed(r["max_posted_speed_mph"]), _fmt_bool(r["interstates"]),
                                     _short(r["registration_class"]), car_text, r["effective"] or "—",
                                     r["confidence"], r.get("next_change") or "")))
    make_console().print(t)


@app.command("state")
def state(
    code: str = typer.Argument(..., help="Two-letter state code, or DC."),
    on: Optional[str] = typer.Option(None, help="The date asked, YYYY-MM-DD (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """One state's record: the answer on a date, its history, scheduled changes, definition,
    sources (with the day each was read), the claims of sources that disagree, and confidence."""
    from ..engine.parameters import default_law
    from keicar.answers.statelaw import record

    with fields_named(state="code"):
        rec = record(default_law(), code, _on(on))
    from .render import emit

    emit(rec, as_json, show_record)


def show_record(rec: dict) -> None:
    from rich.table import Table

    c = make_console()
    c.print(f"[bold]{esc(rec['name'])} ({esc(rec['code'])}) on {esc(rec['on'])}[/bold]  "
            + esc(f"record confidence: {rec['metadata'].get('confidence')}, last reviewed "
                  f"{rec['metadata'].get('last_reviewed')}"))
    c.print(esc(rec["sentence"]))
    if "car" in rec:
        c.print(esc("Kei cars: " + rec["car"]["sentence"]))
    if rec["metadata"].get("notes"):
        c.print(f"[dim]{esc(rec['metadata']['notes'])}[/dim]")
    t = Table(title="Dated values", title_justify="left")
    for col in ("parameter", "since", "value", "confidence", "citation"):
        t.add_column(col, overflow="fold")
    for name, values in rec["parameters"].items():
        for v in values:
            future = v["since"] > rec["on"]
            value = v["value"] if not isinstance(v["value"], list) else ", ".join(v["value"])
            text = "—" if value is None else str(value)
            if len(text) > 80:
                text = text[:77] + "…"
            add_row(t, name, v["since"] + (" (scheduled)" if future else ""), text, v["confidence"],
                    v["citation"] + (" [disputed]" if v.get("disputed") else ""),
                    style="cyan" if future else None)
    c.print(t)
    if rec["history"]:
        h = Table(title="History", title_justify="left")
        h.add_column("date", no_wrap=True)
        h.add_column("change", overflow="fold")
        for item in rec["history"]:
            add_row(h, item.get("date"), item.get("change"))
        c.print(h)
    if rec["claims"]:
        k = Table(title="Claims of the sources (including those judged wrong)", title_justify="left")
        for col in ("claim", "said", "assessment"):
            k.add_column(col, overflow="fold")
        for item in rec["claims"]:
            add_row(k, item.get("claim"), item.get("source_date") or "—", item.get("assessment") or "")
        c.print(k)
    s = Table(title="Sources", title_justify="left")
    for col in ("id", "kind", "seen", "title / address"):
        s.add_column(col, overflow="fold")
    for src in rec["sources"]:
        add_row(s, src["id"], src["kind"] or "—", src["seen"] or "—",
                src["title"] + (f"\n{src['href']}" if src["href"] else ""))
    c.print(s)


def show_state_block(console, block: dict) -> None:
    """The state part of ``keicar check`` (tables)."""
    from .render import steps_table

    console.print(f"[bold]{esc(block['sentence'])}[/bold]")
    from ..present import labels as L

    console.print(esc(
        f"Status: {L.word(L.STATUS, block['status'])} (a rule for {L.word(L.APPLIES_TO, block['applies_to'])}); "
        f"roads: {_fmt_speed(block['max_posted_speed_mph']).replace('—', 'no speed limit in this rule')}; interstates: {_fmt_bool(block['interstates'])}; "
        f"registered as: {block['registration_class'] or '—'}; in force since {block['effective'] or '—'}; "
        f"{L.word(L.CONFIDENCE, block['confidence'])}"))
    if block["citations"]:
        console.print("[dim]Sources: " + esc("; ".join(L.citation(c) for c in block["citations"])) + "[/dim]")
    definition = block.get("definition")
    if definition and definition["checks"]:
        console.print(steps_table(esc(f"{block['name']}: the class definition"), definition["checks"]))
    for item in (definition or {}).get("not_checked", []):
        console.print("[dim]" + esc(f"Not checked by keicar: {L.word(L.RULE, item['rule'])}: {item['limit']} "
                                    f"({L.citation(item['citation'])})")
                      + "[/dim]")
    for ch in block.get("scheduled", [])[:5]:
        value = L.word(L.STATUS, ch["value"]) if ch["parameter"].endswith("status") else ch["value"]
        console.print("[cyan]" + esc(f"Scheduled {ch['date']}: {L.word(L.STATE_FIELD, ch['parameter'])} → {value} "
                                     f"({L.citation(ch['citation'])})")
                      + "[/cyan]")


@app.command("map")
def map_(
    on: Optional[str] = typer.Option(None, help="The date shown, YYYY-MM-DD (default: today)."),
    out: str = typer.Option(..., help="Output file: .svg, or .png (needs the 'map' extra: matplotlib)."),
    body: str = typer.Option("truck", help="truck (trucks and vans) or passenger (kei cars)."),
) -> None:
    """A US map of the state statuses on a date (outlines ship with keicar: no network)."""
    from keicar.present.statemap import write_map
    from keicar.inputs.vehicle import InputError

    if body not in ("truck", "passenger"):
        raise InputError("body", f"{body!r}: the map is drawn for truck or passenger")
    path = write_map(_on(on), out, body=body)
    typer.echo(f"wrote {path}")


@data_app.command("audit")
def audit(
    older_than: Optional[int] = typer.Option(
        None, "--older-than", min=0, help="List sources last seen more than this many days ago."),
    on: Optional[str] = typer.Option(None, help="Today, for ages and statuses (default: today)."),
    since: Optional[str] = typer.Option(None, help="Also list what changed in the state data from this date, YYYY-MM-DD."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """The data keepers' to-do list for the state records: counts by status, basis and
    confidence, old sources, disputed values, unclear statuses, what changed."""
    from keicar.answers.statelaw import audit as run_audit
    from keicar.inputs.vehicle import parse_date

    changed = parse_date("since", since) if since not in (None, "") else None
    report = run_audit(today=_on(on), older_than=older_than, changed_since=changed)
    if as_json:
        from .render import print_json

        print_json(report)
        return
    from rich.table import Table

    c = make_console()
    c.print(f"[bold]State records on {report['today']}: {report['records']}[/bold]")
    for kind, label in (("truck", "kei trucks/vans"), ("car", "kei cars")):
        for key in ("status", "basis", "confidence"):
            counts = report["counts"][kind][key]
            c.print(esc(f"  {label}, by {key}: "
                        + ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))))
    for conf, codes in report["by_confidence"].items():
        c.print(esc(f"  {conf:7} {len(codes):3}  {' '.join(codes)}"))
    c.print(esc(f"Unclear today ({len(report['unclear'])}): "
                + " ".join(f"{u['state']}({'/'.join(u['for'])})" for u in report["unclear"])))
    t = Table(title=f"Disputed values ({len(report['disputed'])})", title_justify="left")
    for col in ("state", "parameter", "since", "value", "other claims"):
        t.add_column(col, overflow="fold")
    for d in report["disputed"]:
        add_row(t, d["state"], d["parameter"], d["since"], d["value"], " | ".join(d["claims"]))
    c.print(t)
    stale = report["stale_sources"]
    label = f"seen more than {older_than} days ago or undated" if older_than is not None else "without a seen date"
    s = Table(title=f"Sources {label} ({len(stale)})", title_justify="left")
    for col in ("state", "source", "seen", "age (days)", "title"):
        s.add_column(col, overflow="fold")
    for row in stale:
        add_row(s, row["state"], row["source"], row["seen"] or "—",
                "—" if row["age_days"] is None else row["age_days"], row["title"])
    c.print(s)
    c.print(f"Values marked low confidence: {len(report['low_confidence_values'])}")
    if "changes" in report:
        from keicar.answers.changes import summary_line

        ch = Table(title=f"Changes from {report['changed_since']} ({len(report['changes'])})", title_justify="left")
        for col in ("date", "change"):
            ch.add_column(col, overflow="fold")
        for e in report["changes"]:
            add_row(ch, e["date"], summary_line(e))
        c.print(ch)
