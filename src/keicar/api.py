"""The Python API: one vehicle explained, or a table screened. Interfaces call only this.

>>> from keicar.api import check
>>> from keicar.vehicle import make_vehicle
>>> v = make_vehicle(built="1996-05-20", body="truck", length_mm=3295, width_mm=1395,
...                  height_mm=1780, cc=658)
>>> check(v, on="2026-11-24")["us"]["path"]
'25-year'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import __version__
from .engine import expr as E
from .engine.explain import Evaluator, Read
from .engine.parameters import Law, default_law
from .papers import section as papers_section
from .rules import federal, japan
from .rules.model import Check
from .vehicle import BODIES, MONTH_READINGS, InputError, Vehicle, parse_date

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


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


def _step(check: Check, ev: Evaluator) -> dict[str, Any] | None:
    """Evaluate one check for the explanation; None when it does not apply."""
    if ev.eval(check.applies) is not True:
        return None
    value = ev.eval(check.value)
    ev.reads = []
    limit = ev.eval(check.limit)
    reads: list[Read] = [r for r in ev.reads if r.entry is not None]
    passed = ev.eval(check.passed)
    entry = reads[-1].entry if reads else None
    step: dict[str, Any] = {
        "rule": check.name,
        "label": check.label,
        "passed": passed,
        "value": _iso(list(value) if isinstance(value, tuple) else value),
        "limit": _iso(list(limit) if isinstance(limit, tuple) else limit),
        "unit": check.unit,
        "op": check.op,
        "effective": _iso(entry.since) if entry else None,
        "citation": entry.citation if entry else None,
        "citations": entry.citations if entry else [],
        "confidence": entry.confidence if entry else None,
        "parameter": reads[-1].path if reads else None,
    }
    if entry and entry.disputed:
        step["disputed"] = [d.get("claim") for d in entry.disputed]
    if entry and entry.note:
        step["note"] = entry.note.strip()
    if passed is False and isinstance(value, (int, float)) and isinstance(limit, (int, float)):
        step["excess"] = round(value - limit, 3)
    return step


def _kei(ev: Evaluator, at: E.Expr) -> dict[str, Any]:
    checks = japan.checks(at)
    steps = [_step(checks[0], ev)]
    if steps[0]["passed"]:
        steps += [s for s in (_step(c, ev) for c in checks[1:]) if s is not None]
    return {
        "is_kei": ev.eval(japan.is_kei(at)) is True,
        "regime": _iso(ev.eval(japan.regime(at))),
        "failed": [s["rule"] for s in steps[1:] if s["passed"] is False],
        "checks": steps,
    }


def check(vehicle: Vehicle, on: Any = None, month_reading: str | None = None,
          law: Law | None = None, state: str | None = None, registered: Any = None) -> dict[str, Any]:
    """Explain one vehicle on the date ``on`` (default today): the JSON contract of
    ``keicar check --json``. With ``state`` (a two-letter code, or DC), add the state's
    rules; ``registered`` (YYYY-MM-DD) is when the vehicle was first registered there, for
    grandfathering."""
    from .state_check import resolve_registered, resolve_state

    law = law or default_law()
    on_d = resolve_on(on, law)
    reading = resolve_reading(month_reading)
    if vehicle.built_start > on_d:
        raise InputError("built", f"{vehicle.built} is after the date asked ({on_d})")
    code = resolve_state(state, law)
    reg = resolve_registered(registered, on_d, vehicle.built_start, code)
    row = {**vehicle.row(), "on": on_d, "month_reading": reading, "state": code, "registered": reg}
    ev = Evaluator(law, row)

    built_used = ev.eval(BUILT_DATE)
    at_build = _kei(ev, E.Lit(built_used))
    today = _kei(ev, E.Col("on"))
    power = law.param(japan.POWER_AGREEMENT).entry(on_d)
    kei = {
        "is_kei": at_build["is_kei"],
        "regime": at_build["regime"],
        "is_kei_today": today["is_kei"],
        "regime_today": today["regime"],
        "failed": at_build["failed"],
        "failed_today": today["failed"],
        "checks": at_build["checks"],
        "checks_today": today["checks"],
        "judged_on": _iso(built_used),
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

    steps = [s for s in (_step(c, ev) for c in federal.CHECKS) if s is not None]
    path = ev.eval(federal.path)
    us = {
        "nhtsa_eligible_from": _iso(ev.eval(federal.nhtsa_eligible_from())),
        "epa_eligible_from": _iso(ev.eval(federal.epa_eligible_from)),
        "importable": path != "not-importable",
        "path": path,
        "road_legal_import": path == "25-year",
        "month_reading": ev.eval(federal.READING),
        "checks": steps,
    }
    if vehicle.built_precision == "month":
        us["nhtsa_eligible_from_month_end"] = _iso(
            ev.eval(federal.nhtsa_eligible_from(E.Col("built_end"))))
        us["nhtsa_eligible_from_month_start"] = _iso(
            ev.eval(federal.nhtsa_eligible_from(E.Col("built_start"))))
    notes = ["EPA code E requires the original engine and emission controls (identical replacement only)."]
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
        "papers": papers_section(path, on_d, law=law),
    }
    if code is not None:
        from .state_check import state_block

        result["state"] = state_block(ev, law, code, on_d, us)
        result["verdict"] += " " + result["state"]["sentence"]
    return result


def verdict_line(kei: dict, us: dict, on: dt.date) -> str:
    if kei["regime"] is None:
        k = "Not kei: built before Japan's first kei standard"
    elif kei["is_kei"]:
        k = f"Kei under the {kei['regime']} standard"
    else:
        k = f"Not kei under the {kei['regime']} standard (fails {', '.join(kei['failed'])})"
    if kei["regime"] is not None:
        k += "; kei under today's rules" if kei["is_kei_today"] else "; not kei under today's rules"
    if us["path"] == "25-year":
        u = f"importable to the US on {on} (25-year path, since {us['nhtsa_eligible_from']})"
    elif us["path"] == "off-road-only":
        u = f"only off-road importable on {on}; road import from {us['nhtsa_eligible_from']}"
    else:
        u = f"not importable to the US on {on}; eligible from {us['nhtsa_eligible_from']}"
    return f"{k}. {u[0].upper()}{u[1:]}."


# ---------------------------------------------------------------- tables

#: Output columns of the bulk runner and the rule expression behind each.
def outputs() -> dict[str, E.Expr]:
    at = BUILT_DATE
    on = E.Col("on")
    out: dict[str, E.Expr] = {
        "kei_is_kei": japan.is_kei(at),
        "kei_regime": japan.regime(at),
        "kei_is_kei_today": japan.is_kei(on),
        "us_nhtsa_eligible_from": federal.nhtsa_eligible_from(),
        "us_epa_eligible_from": federal.epa_eligible_from,
        "us_path": federal.path,
    }
    return out


def failed_checks(at: E.Expr) -> list[tuple[str, E.Expr]]:
    """(name, failed?) for the dimension checks, as the explanation reports them."""
    return [(c.name, E.And((c.applies, E.Not(c.passed)))) for c in japan.checks(at)[1:]]


def screen_frame(frame, on: Any = None, month_reading: str | None = None, law: Law | None = None,
                 state: str | None = None, state_column: str | None = None,
                 registered_column: str | None = None):
    """Add the verdict columns to a Polars (Lazy)Frame with the columns ``built_start``,
    ``built_end`` (dates), ``length_mm``, ``width_mm``, ``height_mm``, ``cc``, ``stroke``,
    ``ev_kw`` and ``body``. Returns a LazyFrame: nothing runs until it is collected.

    With ``state`` (one code for every row) or ``state_column`` (a column of codes; unknown
    codes give null state verdicts), also add ``state_status``,
    ``state_max_posted_speed_mph``, ``state_interstates``, ``state_registration_class``,
    ``state_confidence`` and ``state_applies_to``; ``registered_column`` names a date
    column of first registration in the state (for grandfathering).

    Rows must be valid as ``keicar.vehicle.make_vehicle`` defines it (dates within
    1885..2101, a known body): the batch screen checks that and rejects other rows first.
    Verdicts are null where an input they need is missing."""
    import polars as pl

    from .engine.vectorized import Compiler

    law = law or default_law()
    on_d = resolve_on(on, law)
    constants = {"on": on_d, "month_reading": resolve_reading(month_reading)}
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    state_cols, lf, temp = _state_inputs(lf, law, constants, state, state_column, registered_column)
    comp = Compiler(law, constants)
    cols = [comp.compile(e).alias(name) for name, e in outputs().items()]
    # The failed checks as one label ("length_mm,width_mm"): a bit mask, then one gather
    # into an Enum of every combination.
    fails = failed_checks(BUILT_DATE)
    mask = pl.sum_horizontal([
        comp.compile(failed).fill_null(False).cast(pl.UInt32) * (1 << i)
        for i, (_, failed) in enumerate(fails)
    ])
    combos = [",".join(n for i, (n, _) in enumerate(fails) if m >> i & 1) for m in range(1 << len(fails))]
    cols.append(pl.lit(pl.Series(combos, dtype=pl.Enum(list(dict.fromkeys(combos))))).gather(mask).alias("kei_failed"))
    cols += [comp.compile(e).alias(name) for name, e in state_cols.items()]
    lf = lf.with_columns(pl.col("body").cast(pl.Enum(list(BODIES))))
    lf = lf.with_columns(cols)
    return lf.with_columns(
        (pl.col("us_path") != "not-importable").alias("us_importable"),
        pl.lit(on_d).alias("on"),
    ).drop(temp)


def _state_inputs(lf, law: Law, constants: dict, state, state_column, registered_column):
    """The state rule columns to add, with the frame's state/registered inputs in place."""
    from .rules import states as state_rules
    from .state_check import resolve_state

    if state is None and state_column is None:
        if registered_column is not None:
            raise InputError("registered_column", "a registration date needs a state; give state or state_column")
        return {}, lf, []
    if state is not None and state_column is not None:
        raise InputError("state", "give either state (one code) or state_column, not both")
    import polars as pl

    names = lf.collect_schema().names()
    for opt, col in (("state_column", state_column), ("registered_column", registered_column)):
        if col is not None and col not in names:
            raise InputError(opt, f"{col!r} is not a column of the table")
    temp, renamed = [], {}
    if state is not None:
        constants["state"] = resolve_state(state, law)
    else:
        renamed["state"] = E.Col("__state")
        # Codes are matched case-insensitively; the table's own column is left as it was.
        lf = lf.with_columns(pl.col(state_column).cast(pl.String).str.strip_chars().str.to_uppercase()
                             .alias("__state"))
        temp.append("__state")
    if registered_column is None:
        constants["registered"] = None
    else:
        renamed["registered"] = E.Col("__registered")
        lf = lf.with_columns(pl.col(registered_column).cast(pl.Date).alias("__registered"))
        temp.append("__registered")
    cols = {name: E.substitute(e, renamed) for name, e in state_rules.outputs().items()}
    return cols, lf, temp
