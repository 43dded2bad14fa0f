"""The seam between the web interface and the core: one small function per endpoint.

Each function calls the core function that answers the question (the one the matching CLI
command calls) and returns plain JSON data; nothing here decides anything about the law.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import __version__
from ..engine.parameters import default_law
from ..vehicle import InputError, parse_date


def versions() -> dict[str, str]:
    """Sent with every answer, so that it can be reproduced."""
    return {"keicar_version": __version__, "law_version": default_law().version}


# ---------------------------------------------------------------- one vehicle

def check(vehicle_fields: dict[str, Any], *, on: Any = None, month_reading: Any = None,
          state: str | None = None, registered: Any = None, country: str | None = None) -> dict[str, Any]:
    """The JSON contract of ``keicar check --json``: a chassis code fills the specs not given
    from the catalog (``--chassis``); a state adds its rules (``--state``, ``--registered``);
    another country's import rules replace the US block (``--country``)."""
    from ..check_input import check_from_input

    return check_from_input(vehicle_fields, on=on, month_reading=month_reading, state=state,
                            registered=registered, country=country)


# ---------------------------------------------------------------- US states

def _on(raw: Any) -> dt.date:
    return parse_date("on", raw) if raw not in (None, "") else dt.date.today()


def states(on: str | None) -> dict[str, Any]:
    """Every jurisdiction's answer on a date (``keicar states --json``)."""
    from ..statelaw import all_summaries

    on_d = _on(on)
    rows = all_summaries(default_law(), on_d)
    return {"on": on_d.isoformat(), "count": len(rows), "states": rows}


def state(code: str, on: str | None) -> dict[str, Any]:
    """One jurisdiction's record on a date, with its history and sources (``keicar state XX --json``)."""
    from ..statelaw import record

    return record(default_law(), code, _on(on))


def us_map_svg(on: str | None) -> str:
    """The US map coloured by status on a date (``keicar map``); one element per state,
    ``id="state-XX"``."""
    from ..statemap import svg

    return svg(_on(on), default_law())


# ---------------------------------------------------------------- catalog, calendar, cost

def lookup(code: str, make: str | None) -> dict[str, Any]:
    """What the catalog knows about a chassis code (``keicar lookup --json``)."""
    from ..catalog import lookup as run

    return run(code, make).as_dict()


def calendar(month: str, month_reading: str | None = None) -> dict[str, Any]:
    """The catalog generations whose first or last builds become importable in a month
    (``keicar calendar --json``)."""
    from ..eligibility import month_calendar

    return month_calendar(month, month_reading)


def cost(fields: dict[str, Any]) -> dict[str, Any]:
    """The itemized US landed cost (``keicar cost --json``)."""
    from ..cost import landed_cost

    fields = dict(fields)
    ocean = fields.pop("ocean", None)
    return landed_cost(**fields, mode="air" if ocean is False else "ocean")


__all__ = ["InputError", "versions", "check", "states", "state", "us_map_svg",
           "lookup", "calendar", "cost"]
