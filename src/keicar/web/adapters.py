"""The seam between the web interface and the core: one small function per endpoint.

Each function calls the core function that answers the question (the one the matching CLI
command calls) and returns plain JSON data; nothing here decides anything about the law.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .. import __version__
from ..engine.parameters import default_law
from keicar.inputs.vehicle import InputError, parse_date


def versions() -> dict[str, str]:
    """Sent with every answer, so that it can be reproduced."""
    return {"keicar_version": __version__, "law_version": default_law().version}


# ---------------------------------------------------------------- one vehicle

def check(vehicle_fields: dict[str, Any], *, on: Any = None, month_reading: Any = None,
          state: str | None = None, registered: Any = None, country: str | None = None) -> dict[str, Any]:
    """The JSON contract of ``keicar check --json``: a chassis code fills the specs not given
    from the catalog (``--chassis``); a state adds its rules (``--state``, ``--registered``);
    another country's import rules replace the US block (``--country``)."""
    from keicar.answers.check_input import check_from_input

    return check_from_input(vehicle_fields, on=on, month_reading=month_reading, state=state,
                            registered=registered, country=country)


# ---------------------------------------------------------------- US states

def _on(raw: Any) -> dt.date:
    return parse_date("on", raw) if raw not in (None, "") else dt.date.today()


def states(on: str | None) -> dict[str, Any]:
    """Every jurisdiction's answer on a date (``keicar states --json``)."""
    from keicar.answers.statelaw import all_summaries

    on_d = _on(on)
    rows = all_summaries(default_law(), on_d)
    return {"on": on_d.isoformat(), "count": len(rows), "states": rows}


def state(code: str, on: str | None) -> dict[str, Any]:
    """One jurisdiction's record on a date, with its history and sources (``keicar state XX --json``)."""
    from keicar.answers.statelaw import record

    if not code.strip():
        raise InputError("state", "empty; use a two-letter code such as TX, or DC")
    return record(default_law(), code, _on(on))


def us_map_svg(on: str | None) -> str:
    """The US map coloured by status on a date (``keicar map``); one element per state,
    ``id="state-XX"``."""
    from keicar.present.statemap import svg

    return svg(_on(on), default_law())


# ---------------------------------------------------------------- catalog, calendar, cost

def lookup(code: str, make: str | None) -> dict[str, Any]:
    """What the catalog knows about a chassis code (``keicar lookup --json``)."""
    from ..catalog import lookup as run

    return run(code, make).as_dict()


def calendar(month: str, month_reading: str | None = None) -> dict[str, Any]:
    """The catalog generations whose first or last builds become importable in a month
    (``keicar calendar --json``)."""
    from keicar.answers.eligibility import month_calendar

    try:
        return month_calendar(month, month_reading)
    except InputError as exc:  # the core checks the month's last day as the date asked
        if exc.field != "on":
            raise
        raise InputError("month", exc.message) from None


def cost(fields: dict[str, Any], mode: str = "ocean") -> dict[str, Any]:
    """The itemized US landed cost (``keicar cost --json``); mode: ocean or air."""
    from keicar.answers.cost import landed_cost
    from .models import CostRequest

    try:
        return landed_cost(**fields, mode=mode)
    except InputError as exc:  # the core words its errors for the CLI: --price-jpy here is price_jpy
        raise InputError(exc.field, _OPTION.sub(lambda m: _json_name(m, CostRequest.model_fields),
                                                exc.message)) from None


_OPTION = re.compile(r"--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")


def _json_name(option: re.Match, fields: dict) -> str:
    """The JSON field a CLI option (``--price-jpy``) stands for, when there is one."""
    name = option.group(1).replace("-", "_")
    return name if name in fields else option.group()


# ---------------------------------------------------------------- the registry, the law, changes

def variables(on: str | None) -> dict[str, Any]:
    """Every variable keicar computes (``keicar variables --json``)."""
    from ..rules.registry import registry

    on_d = _on(on)
    law = default_law()
    rows = [v.describe(law, on_d) for v in registry(law)]
    return {"on": on_d.isoformat(), "count": len(rows), "variables": rows}


def parameter(path: str) -> dict[str, Any]:
    """One law parameter with every dated value and its references."""
    from ..engine.variables import parameter_record

    try:
        return parameter_record(default_law(), path.strip())
    except KeyError as exc:
        raise InputError("path", str(exc.args[0])) from None


def _changes(since: str | None, until: str | None, state: str | None) -> dict[str, Any]:
    from keicar.answers.changes import changes as run
    from keicar.answers.state import resolve_state

    law = default_law()
    lo = parse_date("since", since) if since not in (None, "") else None
    hi = parse_date("until", until) if until not in (None, "") else None
    if lo and hi and hi < lo:
        raise InputError("until", f"{hi} is before since {lo}")
    code = resolve_state(state, law) if state not in (None, "") else None
    rows = run(law, lo, hi, code)
    return {"since": lo and lo.isoformat(), "until": hi and hi.isoformat(), "state": code,
            "count": len(rows), "changes": rows}


def changes(since: str | None, until: str | None, state: str | None) -> dict[str, Any]:
    """Every dated change in the state and federal law data (``keicar changes --json``)."""
    return _changes(since, until, state)


def changes_atom(since: str | None, until: str | None, state: str | None, self_url: str) -> str:
    """The same changes as an Atom feed, one entry per jurisdiction and date."""
    from keicar.answers.changes import atom

    return atom(_changes(since, until, state)["changes"], self_url, dt.date.today())


__all__ = ["InputError", "versions", "check", "states", "state", "us_map_svg",
           "lookup", "calendar", "cost", "variables", "parameter", "changes", "changes_atom"]
