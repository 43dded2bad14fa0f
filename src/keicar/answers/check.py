"""``check``: one vehicle explained on a date, the JSON contract of ``keicar check --json``
(re-exported by ``keicar.api``). Every verdict is a registry variable's value; the blocks
add the explanation steps with the dated values they read.

>>> from keicar.answers.check import check
>>> from keicar.inputs.vehicle import make_vehicle
>>> v = make_vehicle(built="1996-05-20", body="truck", length_mm=3295, width_mm=1395,
...                  height_mm=1780, cc=658)
>>> check(v, on="2026-11-24")["us"]["path"]
'25-year'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar import __version__
from keicar.engine import expr as E
from keicar.engine.explain import Evaluator
from keicar.engine.parameters import Law, default_law
from keicar.answers.explanation import names, open_variables, step, steps, variable_values
from keicar.present.jsonout import plain
from keicar.answers.papers import section as papers_section
from keicar.answers.papers import state_basis as papers_state
from keicar.rules.us import federal
from keicar.rules.jp import kei as japan
from keicar.answers.state import resolve_registered, resolve_state, state_block
from keicar.inputs.vehicle import MONTH_READINGS, InputError, Vehicle, parse_date

BUILT_DATE = federal.BUILT  # the build date as read for this run (day, or month start/end)


def earliest_on(law: Law) -> dt.date:
    """The first date for which keicar has every federal rule it needs."""
    return max(law.param(p).first_date for p in federal.ON_PARAMS)


def resolve_on(raw: Any, law: Law, today: dt.date | None = None) -> dt.date:
    on = parse_date("on", raw) if raw not in (None, "") else (today or dt.date.today())
    first = earliest_on(law)
    if on < first:
        raise InputError("on", f"{on} is before {first}, the first date keicar encodes US import law for")
    return on


def resolve_reading(raw: str | None) -> str | None:
    if raw in (None, ""):
        return None
    value = str(raw).strip().lower().replace("-", "_")
    if value in ("end", "start"):
        value += "_of_month"
    if value not in MONTH_READINGS:
        raise InputError("month_reading", f"{raw!r} is not a reading; accepted: end or start (or end_of_month, start_of_month)")
    return value


def _kei(ev: Evaluator, at: E.Expr) -> list[dict[str, Any]]:
    """The explanation steps of the kei standard at ``at``: the regime, then (when there is
    one) each limit that applies."""
    checks = japan.checks(at)
    first = step(checks[0], ev)
    return [first] + (steps(checks[1:], ev) if first["passed"] else [])


def check(vehicle: Vehicle, on: Any = None, month_reading: str | None = None,
          law: Law | None = None, state: str | None = None, registered: Any = None) -> dict[str, Any]:
    """Explain one vehicle on the date ``on`` (default today): the JSON contract of
    ``keicar check --json``. With ``state`` (a two-letter code, or DC), add the state's
    rules; ``registered`` (YYYY-MM-DD) is when the vehicle was first registered there, for
    grandfathering.

    Every verdict is the value of a registry variable (``keicar.rules.registry``), listed
    in ``variables``; the blocks add the explanation steps with the dated values they read."""
    law = law or default_law()
    on_d = resolve_on(on, law)
    reading = resolve_reading(month_reading)
    if vehicle.built_start > on_d:
        raise InputError("built", f"{vehicle.built} is after the date asked ({on_d})")
    code = resolve_state(state, law)
    reg = resolve_registered(registered, on_d, vehicle.built_start, code)
    row = {**vehicle.row(), "on": on_d, "month_reading": reading, "state": code, "registered": reg,
           "entry_date": on_d}
    have = ("entry_date", "state") if code is not None else ("entry_date",)
    values = variable_values(law, row, have)
    unknown = open_variables(law, row, have)

    def answer(name: str) -> bool | None:  # None: the input sets leave it open
        return None if name in unknown else values[name] is True

    ev = Evaluator(law, row)

    built_used = ev.eval(BUILT_DATE)
    power = law.param(japan.POWER_AGREEMENT).entry(on_d)
    kei = {
        "is_kei": answer("kei.is_kei"),
        "regime": values["kei.regime"],
        "is_kei_today": answer("kei.is_kei_today"),
        "regime_today": values["kei.regime_today"],
        "failed": names(values["kei.failed"]),
        "failed_today": names(values["kei.failed_today"]),
        "checks": _kei(ev, E.Lit(built_used)),
        "checks_today": _kei(ev, E.Col("on")),
        "judged_on": plain(built_used),
        "info": [],
    }
    if power is not None and power.value is not None:
        kei["info"].append({
            "rule": "industry_agreement.max_power_ps",
            "text": f"Japanese makers voluntarily hold kei engines to {power.value} PS; "
                    "this is an industry agreement, not law, and is never a failed limit.",
            "value": power.value,
            "effective": power.since.isoformat(),
            "citation": power.citation,
            "confidence": power.confidence,
        })

    path = values["us.path"]
    us = {
        "nhtsa_eligible_from": values["us.nhtsa_eligible_from"],
        "epa_eligible_from": values["us.epa_eligible_from"],
        "nhtsa_eligible_window": values["us.nhtsa_eligible_window"],
        "importable": answer("us.importable"),
        "path": path,
        "road_legal_import": answer("us.road_legal_import"),
        "road_import_from": values["us.road_import_from"],
        "months_until_road_import": values["us.months_until_road_import"],
        "import_outlook": values["us.import_outlook"],
        "month_reading": ev.eval(federal.READING),
        "checks": steps(federal.CHECKS, ev),
    }
    if vehicle.built_precision == "month":
        us["nhtsa_eligible_from_month_end"] = plain(
            ev.eval(federal.nhtsa_eligible_from(E.Col("built_end"))))
        us["nhtsa_eligible_from_month_start"] = plain(
            ev.eval(federal.nhtsa_eligible_from(E.Col("built_start"))))
    # code E is the road path's EPA exemption: the off-road path uses a nonroad certificate instead
    notes = [] if path == "off-road-only" else [
        "EPA code E requires the original engine and emission controls (identical replacement only)."]
    if path == "off-road-only":
        notes.append("Off-road only: the truck must be imported as an EPA-certified nonroad vehicle "
                     "governed to 25 mph; it cannot be registered for road use on this path.")
    us["notes"] = notes
    result = {
        "on": on_d.isoformat(),
        "keicar_version": __version__,
        "law_version": law.version,
        "vehicle": vehicle.describe(),
        "verdict": verdict_line(kei, us, on_d),
        "kei": kei,
        "us": us,
        "papers": papers_section(path, names(values["papers.required"]), on_d, law=law),
    }
    if code is not None:
        result["state"] = state_block(ev, law, code, on_d, us, values)
        result["verdict"] += " " + result["state"]["sentence"]
        result["papers"]["state"] = papers_state(result["state"])
    result["variables"] = values
    if unknown:
        result["unknown"] = unknown
        shown = [f"{k} ({unknown[k]['reasons'][0]})" for k in OPEN_SHOWN if k in unknown]
        if shown:
            result["verdict"] += " Open: " + "; ".join(shown) + "."
    return result


#: The answers whose being open the verdict line names.
OPEN_SHOWN = ("kei.is_kei", "kei.regime", "us.road_legal_import", "us.importable", "us.path")


def verdict_line(kei: dict, us: dict, on: dt.date) -> str:
    if kei["is_kei"] is None or (kei["regime"] is None and kei["is_kei"] is not False):
        k = "Kei status open for the input ranges"
    elif kei["regime"] is None:
        k = "Not kei: built before Japan's first kei standard"
    elif kei["is_kei"]:
        k = f"Kei under the {kei['regime']} standard"
    else:
        k = f"Not kei under the {kei['regime']} standard (fails {', '.join(kei['failed'])})"
    if kei["regime"] is not None:
        k += ("; kei under today's rules" if kei["is_kei_today"] else "; open under today's rules"
              if kei["is_kei_today"] is None else "; not kei under today's rules")
    if us["path"] == "25-year":
        u = f"importable to the US on {on} (25-year path, since {us['nhtsa_eligible_from']})"
    elif us["path"] == "off-road-only":
        u = f"only off-road importable on {on}; road import from {us['nhtsa_eligible_from']}"
    elif path_open(us):
        lo, hi = us["nhtsa_eligible_window"]
        u = f"US import on {on} open: eligible between {lo} and {hi}"
    else:
        u = f"not importable to the US on {on}; eligible from {us['nhtsa_eligible_from']}"
    return f"{k}. {u[0].upper()}{u[1:]}."


def path_open(us: dict) -> bool:
    return us["path"] is None and us.get("nhtsa_eligible_window") is not None
