"""``keicar changes``: every dated change in the US state and federal law data."""

import datetime as dt
from typing import Optional

import typer

from .app import app
from .render import console as make_console
from .render import emit


def _date(field: str, raw: Optional[str]) -> Optional[dt.date]:
    from keicar.inputs.vehicle import parse_date

    return parse_date(field, raw) if raw not in (None, "") else None


@app.command("changes")
def changes(
    since: Optional[str] = typer.Option(None, help="First date shown, YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, help="Last date shown, YYYY-MM-DD."),
    state: Optional[str] = typer.Option(None, help="Only this state's changes (code, e.g. CO)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Every change in the state and federal law data, past and scheduled, with its sources."""
    from keicar.answers.changes import changes as list_changes
    from ..engine.parameters import default_law
    from keicar.answers.state import resolve_state
    from keicar.inputs.vehicle import InputError

    law = default_law()
    lo, hi = _date("since", since), _date("until", until)
    if lo and hi and hi < lo:
        raise InputError("until", f"{hi} is before --since {lo}")
    code = resolve_state(state, law) if state not in (None, "") else None
    rows = list_changes(law, lo, hi, code)
    emit({"since": lo and lo.isoformat(), "until": hi and hi.isoformat(), "state": code,
          "count": len(rows), "changes": rows}, as_json, _show)


def _show(result: dict) -> None:
    from rich.markup import escape
    from rich.table import Table

    from keicar.answers.changes import summary_line

    c = make_console()
    t = Table(title=f"Changes in kei vehicle law data ({result['count']})", title_justify="left")
    for col in ("date", "", "change", "sources"):
        t.add_column(col, overflow="fold")
    for e in result["changes"]:
        sources = sorted({s["title"] for ch in e["changes"] for s in ch["sources"]})
        t.add_row(e["date"], "scheduled" if e["scheduled"] else "", escape(summary_line(e)),
                  escape("; ".join(sources)))
    c.print(t)
