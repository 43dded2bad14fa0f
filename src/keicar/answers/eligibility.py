"""From when are the builds of a catalog generation importable to the US?

A generation's first builds are those of its ``production_start`` month (or year), its last
builds those of its ``production_end``. The dates are computed by the same rule expressions
as ``keicar check`` (``keicar.rules.us.federal``): NHTSA's 25-year anniversary, read by default
conservatively from the last day of the known month (or year), with the month-level reading
(the first day) reported too; and the EPA 21-year date. A catalog period is only a bound:
the individual vehicle's date of manufacture decides.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.answers.check import resolve_on, resolve_reading
from keicar.catalog import BUILD_DATE_NOTE, Generation, generations, period, resolve_code_generations
from keicar.engine import expr as E
from keicar.engine.explain import Evaluator
from keicar.engine.parameters import Law, default_law
from keicar.rules.us import federal
from keicar.inputs.vehicle import parse_month

#: The date from which road import is allowed: both NHTSA's and EPA's ages are reached.
ROAD_FROM = E.MaxOf((federal.nhtsa_eligible_from(), federal.epa_eligible_from))


def _dates(built: tuple[dt.date, dt.date, str], on: dt.date, reading: str | None, law: Law) -> dict[str, Any]:
    start, end, precision = built
    ev = Evaluator(law, {"built_start": start, "built_end": end, "on": on, "month_reading": reading})
    return {
        "built": start.strftime("%Y-%m") if precision == "month" else str(start.year),
        "precision": precision,
        "importable_from": ev.eval(ROAD_FROM).isoformat(),
        "nhtsa_eligible_from": ev.eval(federal.nhtsa_eligible_from()).isoformat(),
        "nhtsa_eligible_from_period_end": ev.eval(federal.nhtsa_eligible_from(E.Col("built_end"))).isoformat(),
        "nhtsa_eligible_from_period_start": ev.eval(federal.nhtsa_eligible_from(E.Col("built_start"))).isoformat(),
        "epa_eligible_from": ev.eval(federal.epa_eligible_from).isoformat(),
        "reading": ev.eval(federal.READING),
    }


def generation_dates(g: Generation, on: dt.date, reading: str | None = None, law: Law | None = None) -> dict[str, Any]:
    law = law or default_law()
    first, last = period(g["production_start"]), period(g["production_end"])
    return {
        "make": g.make, "model": g.model, "generation": g["generation"] or None,
        "chassis_codes": g.codes, "body": g.bodies,
        "production_start": g["production_start"] or None, "production_end": g["production_end"] or None,
        "status": g["status"] or None,
        "first_builds": _dates(first, on, reading, law) if first else None,
        "last_builds": _dates(last, on, reading, law) if last else None,
        "confidence": g["confidence"] or None,
        "unverified_fields": g.unverified,
    }


def when(code: str, make: str | None = None, on: Any = None, month_reading: str | None = None,
         law: Law | None = None) -> dict[str, Any]:
    """``keicar when CODE``: every generation listed under the code, with its dates."""
    law = law or default_law()
    on_d = resolve_on(on, law)
    reading = resolve_reading(month_reading)
    match, gens = resolve_code_generations(code, make)
    return {
        "code": match.code, "on": on_d.isoformat(),
        "generations": [generation_dates(g, on_d, reading, law) for g in gens],
        "note": BUILD_DATE_NOTE,
    }


def month_calendar(month: str, month_reading: str | None = None, law: Law | None = None) -> dict[str, Any]:
    """``keicar calendar --month YYYY-MM``: generations whose first builds, and those whose
    last builds, become importable (road import, NHTSA and EPA) during that month."""
    law = law or default_law()
    text = str(month or "").strip()
    last_day = parse_month("month", text)[1]
    on = resolve_on(last_day, law)  # the law in force at the end of the month
    reading = resolve_reading(month_reading)
    starting, finishing = [], []
    for g in generations():
        d = generation_dates(g, on, reading, law)
        for key, out in (("first_builds", starting), ("last_builds", finishing)):
            if d[key] and d[key]["importable_from"][:7] == text:
                out.append(d)
    order = lambda d, k: (d[k]["importable_from"], d["make"], d["model"])  # noqa: E731
    return {
        "month": text,
        "reading": resolve_reading(month_reading) or "end_of_month",
        "first_builds_importable": sorted(starting, key=lambda d: order(d, "first_builds")),
        "last_builds_importable": sorted(finishing, key=lambda d: order(d, "last_builds")),
        "note": BUILD_DATE_NOTE,
    }
