"""``keicar lookup``, ``keicar when``, ``keicar calendar``: the catalog of kei generations."""

from __future__ import annotations

from typing import Optional

import typer

from .app import app
from .render import esc, fields_named
from .render import console as make_console


@app.command()
def lookup(
    code: str = typer.Argument(..., help="Chassis (model) code or frame number, e.g. DA63T, EBD-DA63T, DA63T-123456."),
    make: Optional[str] = typer.Option(None, help="Make, when a code is shared, e.g. Suzuki."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Which model and generation a chassis code is, with specs; unverified values marked."""
    from ..catalog import lookup as run

    with fields_named(chassis="code"):
        m = run(code, make)
    if as_json:
        from .render import print_json

        print_json(m.as_dict())
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
