"""``keicar jp-cost``: why kei works in Japan, in yen, from dated cited parameters."""

import datetime as dt
from typing import Optional

import typer

from .app import app
from .render import add_row, esc
from .render import console as make_console

#: An example 1.0-1.5 L registered car (user inputs, not law).
EXAMPLE_CC, EXAMPLE_WEIGHT_KG = 1300, 1000
#: The first registration date this comparison takes (input sanity: the taxes start later).
JP_COST_FROM = dt.date(1950, 1, 1)


@app.command("jp-cost")
def jp_cost(
    years: str = typer.Option("10", help="Years of ownership (1-30)."),
    cc: str = typer.Option(str(EXAMPLE_CC), help="Displacement of the registered car in cc."),
    weight_kg: str = typer.Option(str(EXAMPLE_WEIGHT_KG), "--weight-kg", help="Vehicle weight of the registered car in kg."),
    first_registered: Optional[str] = typer.Option(None, "--first-registered", help="First registration (kei: first inspection), YYYY-MM-DD (default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Kei vs a registered car over N years: annual taxes, weight tax, inspections, parking."""
    from ..engine.parameters import default_law
    from keicar.answers.jp_costs import compare
    from keicar.inputs.vehicle import DATES, InputError, parse_date

    try:
        n = int(years)
    except ValueError:
        raise InputError("years", f"{years!r} is not a whole number of years (1-30)") from None
    if not 1 <= n <= 30:
        raise InputError("years", f"{n} is outside 1-30")
    nums = {}
    for field, raw, lo, hi in (("cc", cc, 20, 10000), ("weight_kg", weight_kg, 100, 10000)):
        try:
            nums[field] = float(raw)
        except ValueError:
            raise InputError(field, f"{raw!r} is not a number") from None
        if not lo <= nums[field] <= hi:
            raise InputError(field, f"{raw} is outside the plausible range {lo}-{hi}")
    first = parse_date("first_registered", first_registered) if first_registered else dt.date.today()
    if first < JP_COST_FROM:
        raise InputError("first_registered", f"{first} is outside the accepted dates {JP_COST_FROM} to {DATES[1]}")
    result = compare(default_law(), first, n, nums["cc"], nums["weight_kg"])
    from .render import emit

    emit(result, as_json, _show)


def _show(r: dict) -> None:
    from rich.table import Table

    console = make_console()
    console.print(f"[bold]Kei vs a {r['cc']:g} cc, {r['weight_kg']:g} kg registered car, "
                  f"first registered {r['first_registered']}, over {r['years']} years[/bold]")
    for name, key in (("Kei (private passenger)", "kei"), ("Registered car", "registered")):
        b = r[key]
        t = Table(title=name, title_justify="left")
        for col in ("item", "date", "JPY", "in force since", "citation"):
            t.add_column(col)
        for i in b["items"]:
            cite = (i["citation"] or "no value encoded") + (f" [{i['confidence']}]" if i["confidence"] in ("low", "medium") else "")
            add_row(t, i["what"], i["date"], "—" if i["amount"] is None else f"{i['amount']:,.0f}", i["effective"] or "—", cite)
        console.print(t)
        total = "unknown (a value is not encoded for a date used)" if b["total_jpy"] is None else f"{b['total_jpy']:,} JPY"
        console.print(esc(f"Total: {total}; inspections: every {b['inspection_first_years']} years first, "
                          f"at {', '.join(b['inspections']) or '—'}"))
        for k, v in b["parking"].items():
            if v:
                console.print(esc(f"  parking {k.replace('_', ' ')}: {'yes' if v['value'] else 'no'} ({v['citation']})"))
    if r["registered_minus_kei_jpy"] is not None:
        console.print(f"[bold]The registered car costs {r['registered_minus_kei_jpy']:,} JPY more in these taxes.[/bold]")
    console.print(f"[dim]Not encoded: {esc('; '.join(r['not_encoded']))}.[/dim]")
