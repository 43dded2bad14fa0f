"""``keicar lookup``, ``keicar when``, ``keicar calendar``: the catalog of kei generations."""

from typing import Optional

import typer

from .app import app
from .render import esc, fields_named
from .render import console as make_console


@app.command()
def lookup(
    code: str = typer.Argument(..., help="Chassis (model) code or frame number, e.g. DA63T, EBD-DA63T, DA63T-123456; "
                                         "or a make, model and year, e.g. \"Honda Acty 2003\"."),
    make: Optional[str] = typer.Option(None, help="Make, when a code is shared, e.g. Suzuki."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Which model and generation a chassis code is, with specs; unverified values marked. A text
    that is no code is searched as make, model and year (forgiving spelling and case)."""
    from ..catalog import lookup as run

    with fields_named(chassis="code", q="code"):
        m = run(code, make)
        hits = _search(code, make) if not m.generations else []
    if as_json:
        from .render import print_json

        print_json({**m.as_dict(), "matches": [h.as_dict() for h in hits]} if hits else m.as_dict())
        return
    if hits:
        _show_hits(code, hits)
        return
    from rich.table import Table

    console = make_console()
    stripped = [f"prefix {m.prefix}-" if m.prefix else "", f"serial -{m.serial}" if m.serial else ""]
    extra = f" (stripped {', '.join(s for s in stripped if s)})" if any(stripped) else ""
    if not m.generations:
        hint = f" Nearest codes: {', '.join(m.suggestions)}." if m.suggestions else ""
        console.print(f"[bold]{esc(m.code)}[/bold]{esc(extra)}: not in the catalog.{esc(hint)}")
        raise typer.Exit(1)
    many = len({g.make for g in m.generations}) > 1
    console.print(f"[bold]{esc(m.code)}[/bold]{esc(extra)}: {len(m.generations)} generation(s)"
                  + (" from several makes; narrow with --make" if many else ""))
    shown = ("body_type", "chassis_codes", "production_start", "production_end", "length_mm", "width_mm",
             "height_mm", "displacement_cc", "engine_codes", "stroke", "max_power_ps", "curb_weight_kg",
             "drive", "powertrain", "seats", "confidence")
    for g in m.generations:
        t = Table(title=esc(g.label), title_justify="left", show_header=False)
        t.add_column("field")
        t.add_column("value")
        for col in shown:
            v = g[col]
            if not v:
                continue
            mark = " [yellow](unverified)[/yellow]" if col in g.unverified else ""
            t.add_row(col, esc(v) + mark)
        console.print(t)
    console.print(f"[dim]{esc(m.as_dict()['build_date_note'])}[/dim]")


def _search(text: str, make: str | None) -> list:
    """Generations by make, model and year for a text that is no catalog code."""
    from ..catalog.search import MAX_LENGTH, search

    query = f"{make} {text}" if make else text
    return search(query) if len(" ".join(query.split())) <= MAX_LENGTH else []


def _show_hits(text: str, hits: list) -> None:
    from rich.table import Table

    console = make_console()
    console.print(f"[bold]{esc(text)}[/bold]: no chassis code; {len(hits)} generation(s) by make, model and year")
    t = Table(show_header=True)
    for col in ("score", "generation", "chassis codes", "built", "why"):
        t.add_column(col)
    for h in hits:
        d = h.as_dict()
        t.add_row(f"{d['score']:g}", esc(d["label"]), esc(", ".join(d["chassis_codes"]) or "—"),
                  esc(f"{d['production_start'] or '?'}..{d['production_end'] or 'current'}"), esc("; ".join(d["why"])))
    console.print(t)
    console.print("[dim]keicar lookup CODE shows a generation's specs.[/dim]")


def _dates_line(label: str, d: dict | None) -> str:
    if d is None:
        return f"{label}: still in production or end unknown"
    return (f"{label} ({d['built']}): importable from {d['importable_from']} "
            f"(reading the last day; {d['nhtsa_eligible_from_period_start']} reading the first)")


@app.command()
def when(
    code: str = typer.Argument(..., help="Chassis (model) code, e.g. DA63T."),
    make: Optional[str] = typer.Option(None, help="Make, when a code is shared."),
    on: Optional[str] = typer.Option(None, help="Apply the US law in force on this date (default today)."),
    month_reading: Optional[str] = typer.Option(None, "--month-reading", help="end (default, conservative) or start."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """From when the first and the last builds of a generation may be imported to the US."""
    from keicar.answers.eligibility import when as run

    with fields_named(chassis="code"):
        r = run(code, make, on, month_reading)
    if as_json:
        from .render import print_json

        print_json(r)
        return
    for g in r["generations"]:
        typer.echo(f"{g['make']} {g['model']} ({g['production_start']} to {g['production_end'] or 'current'}):")
        typer.echo("  " + _dates_line("first builds", g["first_builds"]))
        typer.echo("  " + _dates_line("last builds", g["last_builds"]))
    typer.echo(r["note"])


@app.command("calendar")
def calendar_cmd(
    month: str = typer.Option(..., help="The month, YYYY-MM."),
    month_reading: Optional[str] = typer.Option(None, "--month-reading", help="end (default, conservative) or start."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Catalog generations whose first or last builds become importable that month."""
    from keicar.answers.eligibility import month_calendar

    r = month_calendar(month, month_reading)
    if as_json:
        from .render import print_json

        print_json(r)
        return
    for key, title, which in (("first_builds_importable", "First builds becoming importable", "first_builds"),
                              ("last_builds_importable", "Last builds becoming importable", "last_builds")):
        typer.echo(f"{title} in {r['month']} ({len(r[key])}):")
        for g in r[key]:
            typer.echo(f"  {g[which]['importable_from']}  {g['make']} {g['model']}  "
                       f"[{', '.join(g['chassis_codes'])}] built {g[which]['built']}")
    typer.echo(r["note"])
