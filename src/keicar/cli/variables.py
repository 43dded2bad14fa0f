"""``keicar variables``: every answer keicar computes, as the registry lists it."""

from typing import Optional

import typer

from .app import app
from .render import console as make_console
from .render import emit


@app.command("variables")
def variables(
    on: Optional[str] = typer.Option(None, help="Date for the provisions' citations, YYYY-MM-DD (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Every variable: name, label, type, the inputs it needs and the provision it implements."""
    import datetime as dt

    from ..engine.parameters import default_law
    from ..rules.registry import registry
    from keicar.inputs.vehicle import parse_date

    law = default_law()
    on_d = parse_date("on", on) if on not in (None, "") else dt.date.today()
    rows = [v.describe(law, on_d) for v in registry(law)]
    emit({"on": on_d.isoformat(), "count": len(rows), "variables": rows}, as_json, _show)


def _show(result: dict) -> None:
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=f"keicar variables ({result['count']})", title_justify="left")
    for col in ("name", "label", "type", "needs", "provision"):
        t.add_column(col, overflow="fold")
    for v in result["variables"]:
        prov = v["provision"]["citation"] if v["provision"] else "per state: law/us/states/XX.yaml"
        kind = v["type"] + (f" ({v['unit']})" if v["unit"] else "")
        t.add_row(v["name"], escape(v["label"]), kind, ", ".join(v["needs"]) or "—", escape(prov))
    make_console().print(t)
