"""The Python API: one vehicle explained, or a table screened. Interfaces call only this.

>>> from keicar.api import check
>>> from keicar.inputs.vehicle import make_vehicle
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
from .engine.explain import Evaluator
from .engine.parameters import Law, default_law
from keicar.answers.explanation import names, open_variables, step, steps, variable_values
from keicar.present.jsonout import plain
from keicar.answers.papers import section as papers_section
from keicar.answers.papers import state_basis as papers_state
from keicar.rules.us import federal
from keicar.rules.jp import kei as japan
from keicar.answers.state import resolve_registered, resolve_state, state_block
from keicar.inputs.vehicle import BODIES, MONTH_READINGS, InputError, Vehicle, parse_date

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


# ---------------------------------------------------------------- tables

#: Inputs of the rules beyond the vehicle that a table may carry as columns, read as given
#: (amounts in USD; ``mode`` ocean or air). Absent columns are missing values.
MONEY = ("price_usd", "freight_usd", "insurance_usd", "broker_usd", "port_usd", "state_fees_usd")
#: Vehicle columns the rules read; an absent one is a column of missing values.
OPTIONAL = {"length_mm": "Float64", "width_mm": "Float64", "height_mm": "Float64", "cc": "Float64",
            "ev_kw": "Float64", "stroke": "Int8"}
_TEMP = "__keicar_screen_"


#: Rows up to which an eager frame is computed without date tables (``engine.variables.columns``).
#: Without them a row costs ~100 µs; building every table the first time costs ~4 s, and
#: ~0.2 s once they are cached (measured 2026-11-30: 10,000 rows 1.0 s without, 0.04 s with).
SMALL_FRAME = 5_000


def screen_frame(frame, on: Any = None, month_reading: str | None = None, law: Law | None = None,
                 state: str | None = None, state_column: str | None = None,
                 registered_column: str | None = None, *, on_column: str | None = None,
                 entry_date: Any = None, columns: Any = None, today: dt.date | None = None,
                 sets: Any = ()):
    """Add the variables of the registry (``keicar.rules.registry``) as columns to a Polars
    (Lazy)Frame of vehicles: every variable whose inputs the table has, or those named in
    ``columns`` (variable names such as ``state.status`` or column names such as
    ``state_status``; a list or a comma-separated text). Returns a LazyFrame: nothing runs
    until it is collected.

    The vehicle: ``built`` (a date, or text ``YYYY-MM-DD`` / ``YYYY-MM``; or the columns
    ``built_start`` and ``built_end``), ``body``, and ``length_mm``, ``width_mm``,
    ``height_mm``, ``cc``, ``stroke``, ``ev_kw`` (a column that is absent is missing values:
    the verdicts that need it are null).

    The date asked: ``on`` (one date, default today) or ``on_column`` (a column of dates); the
    output's ``on`` column holds it. The entry date of the customs columns is ``entry_date``,
    by default the date asked.

    With ``state`` (one code for every row) or ``state_column`` (a column of codes; unknown
    codes give null state verdicts), the ``state_*`` columns; ``registered_column`` names a
    date column of first registration in the state (for grandfathering). With a
    ``price_usd`` column, the customs amounts and ``cost_landed_usd`` (reading the
    ``freight_usd``, ``insurance_usd``, ``broker_usd``, ``port_usd``, ``state_fees_usd`` and
    ``mode`` columns where the table has them).

    Rows must be valid as ``keicar.inputs.vehicle.make_vehicle`` defines it (dates within
    1885..2101, a known body): the batch screen checks that and rejects other rows first.
    Verdicts are null where an input they need is missing."""
    import polars as pl

    from .engine.variables import columns as variable_columns, staged

    law = law or default_law()
    lf = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    schema = lf.collect_schema()
    if "body" not in schema:
        raise InputError("body", "the table has no 'body' column")
    constants: dict[str, Any] = {"month_reading": resolve_reading(month_reading)}
    rename: dict[str, E.Expr] = {}
    added: dict[str, pl.Expr] = {}

    def temp(name: str, value: pl.Expr) -> None:
        added[_TEMP + name] = value
        rename[name] = E.Col(_TEMP + name)

    if on_column is not None:
        if on not in (None, ""):
            raise InputError("on_column", "give either on (one date) or on_column, not both")
        _has(schema, "on_column", on_column)
        asked: pl.Expr = pl.col(_TEMP + "on")
        temp("on", as_dates(pl.col(on_column), schema[on_column]))
    else:
        on_d = resolve_on(on, law, today)
        constants["on"] = on_d
        asked = pl.lit(on_d)
    if entry_date not in (None, ""):
        constants["entry_date"] = resolve_entry(entry_date, law)
    elif on_column is not None:
        rename["entry_date"] = rename["on"]
    else:
        constants["entry_date"] = constants["on"]
    sets = tuple(sets)
    for name in sets:
        for end in ("_lo", "_hi"):
            _has(schema, "sets", name + end)
    if "built_start" not in sets and ("built_start" not in schema or "built_end" not in schema):
        if "built" not in schema:
            raise InputError("built", "the table has no 'built' column (nor 'built_start' and 'built_end')")
        from keicar.inputs.formats import built_range

        start, end = built_range(pl.col("built"), schema["built"])
        temp("built_start", start)
        last = pl.lit(today or dt.date.today())  # as make_vehicle: a month not over ends today
        temp("built_end", pl.when(end > last).then(last).otherwise(end))
    for name, dtype in OPTIONAL.items():
        if name not in schema and name not in sets:
            temp(name, pl.lit(None, dtype=getattr(pl, dtype)))
    have = {"entry_date"}
    have |= _state_inputs(schema, law, constants, temp, state, state_column, registered_column)
    if "price_usd" in schema:
        have.add("price_usd")
    for name in MONEY:
        if name not in schema:
            constants[name] = None
    if "mode" not in schema:
        constants["mode"] = "ocean"  # as keicar cost: an ocean shipment unless told
    chosen = select_variables(law, columns, have)
    if added:
        lf = lf.with_columns(**added)
    lf = lf.with_columns(pl.col("body").cast(pl.Enum(list(BODIES))))
    # A variable needs its inputs: where a row lacks one (no state, no price), it is null.
    given = {"state": _TEMP + "state", "price_usd": "price_usd"}
    cols = []
    # a date table costs more to build than a small frame costs to compute without it
    small = isinstance(frame, pl.DataFrame) and frame.height <= SMALL_FRAME
    hidden: list[str] = []
    if sets:  # the rules over sets (engine.variables.staged): hidden stage columns first
        lf, exprs, hidden = staged(lf, law, chosen, constants, rename, sets)
    else:
        exprs = variable_columns(law, chosen, constants, rename, date_tables=not small)
    for v, col in zip(chosen, exprs):
        per_row = [given[n] for n in v.needs if n in given and n not in constants]
        cols.append(pl.when(pl.all_horizontal(pl.col(per_row).is_not_null())).then(col).alias(v.column_name)
                    if per_row else col)
    lf = lf.with_columns(cols)
    return lf.with_columns(asked.alias("on")).drop([*added, *hidden])


def as_dates(col, dtype):
    """A column of dates: Date or Datetime values, or text ``YYYY-MM-DD`` (null otherwise)."""
    import polars as pl

    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        return col.cast(pl.Date)
    text = col.cast(pl.String).str.strip_chars()
    return pl.when(text.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(
        text.str.to_date("%Y-%m-%d", strict=False, cache=False))


def resolve_entry(raw: Any, law: Law) -> dt.date:
    """The entry date of the customs columns, within the dates keicar has every rate for."""
    from keicar.answers.cost import earliest_entry

    entry = parse_date("entry_date", raw)
    first = earliest_entry(law)
    if entry < first:
        raise InputError("entry_date", f"{entry} is before {first}, the first date keicar encodes every "
                                       f"customs rate for")
    return entry


def _has(schema, option: str, col: str) -> None:
    if col not in schema:
        raise InputError(option, f"{col!r} is not a column of the table")


def select_variables(law: Law, names: Any, have: set[str]) -> list:
    """The variables to compute: those named (by variable or column name), else every one
    whose inputs are in ``have``."""
    from .rules.registry import registry

    reg = registry(law)
    if names in (None, ""):
        # a window (two dates per row, a list column) only when asked for by name: the
        # table's conservative date is us.nhtsa_eligible_from
        return [v for v in reg.select(have=have) if v.value_type != "window"]
    if isinstance(names, str):
        names = names.split(",")
    by_column = {v.column_name: v.name for v in reg}
    wanted: list[str] = []
    for raw in names:
        name = str(raw).strip()
        if not name:
            continue
        full = name if name in reg else by_column.get(name)
        if full is None:
            import difflib

            known = [*reg.names(), *by_column]
            near = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f"; closest: {', '.join(near)}" if near else "; see keicar variables"
            raise InputError("columns", f"{name!r} is not a variable{hint}")
        missing = set(reg[full].needs) - have
        if missing:
            raise InputError("columns", f"{full} needs {', '.join(sorted(missing))}: "
                                        f"{_NEEDS_HOW.get(min(missing), 'give it')}")
        if full not in wanted:
            wanted.append(full)
    if not wanted:
        raise InputError("columns", "no variable named; give names such as kei.is_kei,us.path")
    return reg.select(wanted, have=have)


_NEEDS_HOW = {"state": "give a state column or a state for every row",
              "price_usd": "give a price_usd column (or price_jpy with the yen rate)",
              "entry_date": "give an entry date"}


def _state_inputs(schema, law: Law, constants: dict, temp, state, state_column, registered_column) -> set[str]:
    """Put the state and registration inputs in place (constants, or working columns via
    ``temp``); the inputs the table then has ({'state'} or nothing)."""
    import polars as pl

    from keicar.answers.state import resolve_state

    if state in (None, "") and state_column is None:
        if registered_column is not None:
            raise InputError("registered_column", "a registration date needs a state; give state or state_column")
        constants["state"] = constants["registered"] = None  # papers.required reads the (absent) state
        return set()
    if state not in (None, "") and state_column is not None:
        raise InputError("state", "give either state (one code) or state_column, not both")
    for opt, col in (("state_column", state_column), ("registered_column", registered_column)):
        if col is not None:
            _has(schema, opt, col)
    if state not in (None, ""):
        constants["state"] = resolve_state(state, law)
    else:
        # Codes are matched case-insensitively; a code the law has no state for is a missing
        # state (as resolve_state refuses it); the table's own column is left as it was.
        from keicar.answers.state import state_codes

        codes = pl.Enum(list(state_codes(law)))
        if schema[state_column] == codes:  # already the codes, as an Enum
            temp("state", pl.col(state_column))
        else:  # an Enum of the codes: a table look-up per row (keicar.engine.plan) is then free
            code = pl.col(state_column).cast(pl.String).str.strip_chars().str.to_uppercase()
            temp("state", code.cast(codes, strict=False))
    if registered_column is None:
        constants["registered"] = None
    else:
        temp("registered", as_dates(pl.col(registered_column), schema[registered_column]))
    return {"state"}
