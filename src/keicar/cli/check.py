"""``keicar check``: one vehicle, explained rule by rule."""

from typing import Optional

import typer

from .app import app
from .render import console as make_console

EXAMPLE = dict(built="1999-05", body="truck", length_mm=3395, width_mm=1475, height_mm=1765,
               cc=658)


@app.command()
def check(
    built: Optional[str] = typer.Option(None, help="Build date: YYYY-MM-DD, or YYYY-MM when only the month is known; also 1999/02, "
                                         "Feb-1999, 1999 (the year), H11/2, 平成11年 (docs/formats.md), or a window "
                                         "A..B (1998-12..1999-03)."),
    body: Optional[str] = typer.Option(None, help="passenger | truck | van"),
    length_mm: Optional[str] = typer.Option(None, "--length-mm", help="Overall length in mm."),
    width_mm: Optional[str] = typer.Option(None, "--width-mm", help="Overall width in mm."),
    height_mm: Optional[str] = typer.Option(None, "--height-mm", help="Overall height in mm (a range such as 1755-1800 when not known exactly; likewise every size)."),
    cc: Optional[str] = typer.Option(None, help="Engine displacement in cc (internal-combustion engines); alternatives as 657,658."),
    stroke: Optional[str] = typer.Option(None, help="Engine cycle: 2 or 4 (default 4)."),
    ev_kw: Optional[str] = typer.Option(None, "--ev-kw", help="Electric motor rated output in kW."),
    make: Optional[str] = typer.Option(None, help="Make, e.g. Suzuki."),
    model: Optional[str] = typer.Option(None, help="Model, e.g. Carry."),
    chassis: Optional[str] = typer.Option(None, help="Chassis (model) code, e.g. DA63T."),
    on: Optional[str] = typer.Option(None, help="The date asked, YYYY-MM-DD (default: today)."),
    month_reading: Optional[str] = typer.Option(
        None, "--month-reading",
        help="For a month-only build date: end (conservative, the default) or start (importers' month-level practice)."),
    country: Optional[str] = typer.Option(None, help="US (default), CA, AU or UK: whose import rules to apply."),
    state: Optional[str] = typer.Option(None, help="A US state (two-letter code, or DC): add its rules for titling and road use."),
    registered: Optional[str] = typer.Option(
        None, help="With --state: when the vehicle was first registered there, YYYY-MM-DD (for grandfathering)."),
    example: bool = typer.Option(False, "--example", help="Check a built-in example: a 658 cc kei truck built in May 1999."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON contract instead of tables."),
) -> None:
    """Is it kei, and from when may it enter the US? Every step with its limit and citation."""
    from keicar.answers.check_input import check_from_input

    given = dict(built=built, body=body, length_mm=length_mm, width_mm=width_mm,
                 height_mm=height_mm, cc=cc, stroke=stroke, ev_kw=ev_kw, make=make,
                 model=model, chassis=chassis)
    if example:
        given = {**given, **{k: v for k, v in EXAMPLE.items() if given.get(k) is None}}
    result = check_from_input(given, on=on, month_reading=month_reading, state=state,
                              registered=registered, country=country)
    from .render import emit

    emit(result, as_json, show)


#: the plain answer's tone (keicar.present.plain) as a terminal colour
TONE_COLOUR = {"road": "bold green", "road_restricted": "bold yellow", "off_road": "bold yellow",
               "not_yet": "bold blue", "no": "bold red", "unclear": "bold magenta"}


def show(result: dict) -> None:
    from .render import esc, steps_table

    from ..present.plain import plain

    console = make_console()
    answer = plain(result)
    colour = TONE_COLOUR.get(answer.tone, "bold")
    console.print(f"[{colour}]{esc(answer.tone_label)}:[/{colour}] [bold]{esc(answer.text)}[/bold]")
    console.print(f"[dim]In legal terms: {esc(result['verdict'])}[/dim]")
    for warning in result["vehicle"].get("warnings", []):
        console.print(f"[bold yellow]⚠ {esc(warning)}[/bold yellow]")
    kei, us = result["kei"], result.get("us")
    console.print(steps_table(
        f"Japan: kei standard in force when built (judged on {esc(_days(kei['judged_on']))})", kei["checks"]))
    if kei["is_kei"] != kei["is_kei_today"] or kei["regime"] != kei["regime_today"]:
        console.print(steps_table(f"Japan: today's kei standard ({esc(kei['regime_today'])})",
                                  kei["checks_today"]))
    for info in kei["info"]:
        console.print(f"[dim]ⓘ {esc(info['text'])} ({esc(info['citation'])})[/dim]")
    if "import" in result:
        imp = result["import"]
        console.print(steps_table(esc(f"{imp['name']}, on {result['on']}"), imp["checks"]))
        line = f"Eligible from {imp['eligible_from']}; path: {imp['path']}."
        if "approval_exempt_from" in imp:
            line += f" Approval-exempt from {imp['approval_exempt_from']}."
        console.print(esc(line))
        for note in imp["notes"]:
            console.print(f"[dim]• {esc(note)}[/dim]")
        return
    console.print(steps_table(f"United States, federal, on {result['on']}", us["checks"]))
    line = f"NHTSA eligible from {us['nhtsa_eligible_from']}"
    if "nhtsa_eligible_from_month_start" in us:
        line += (f" (month known only: {us['nhtsa_eligible_from_month_end']} reading the last day,"
                 f" {us['nhtsa_eligible_from_month_start']} reading the first; using {us['month_reading']})")
    window = us.get("nhtsa_eligible_window")
    if window and window[0] != window[1] and vehicle_window(result):
        line += f" (built within a window: eligible between {window[0]} and {window[1]})"
    epa = us["epa_eligible_from"] or "a date the build window leaves open"
    console.print(esc(line + f"; EPA eligible from {epa}; path: {us['path'] or 'open'}."))
    for note in us["notes"]:
        console.print(f"[dim]• {esc(note)}[/dim]")
    for name, info in result.get("unknown", {}).items():
        console.print(f"[yellow]? {esc(name)} open: {esc('; '.join(info['reasons']))}[/yellow]")
    cat = result["vehicle"].get("catalog")
    if cat:
        filled = ", ".join(f + (" (unverified)" if f in cat["unverified"] else "") for f in cat["filled_from_catalog"])
        ranges = "".join(f" {k} {v} (a set: every value checked)." for k, v in cat.get("ranges", {}).items())
        console.print("[dim]" + esc(f"• From the catalog ({cat['code']}: {'; '.join(cat['generations'])}): "
                                    f"{filled or 'nothing'}.{ranges} {cat['build_date_note']}") + "[/dim]")
    papers = result.get("papers")
    if papers and papers["items"]:
        from ..present.labels import PAPER, word

        console.print(esc("Papers for this path: " + "; ".join(word(PAPER, i["item"]) for i in papers["items"])
                          + " (keicar papers lists each with its citation)."))
    if "state" in result:
        from .states import show_state_block

        show_state_block(console, result["state"])


def _days(value) -> str:
    """A day, or a window of days given as [first, last]."""
    return f"{value[0]}..{value[1]}" if isinstance(value, list) else str(value)


def vehicle_window(result: dict) -> bool:
    return result["vehicle"].get("built_precision") in ("year", "range")
