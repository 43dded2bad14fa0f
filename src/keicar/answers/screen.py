"""``screen_frame``: the registry's variables as columns of a Polars table of vehicles (the
table runner, ``keicar.engine.variables.columns``), as ``keicar screen``, the web upload and
Spark use it (re-exported by ``keicar.api``). Polars is imported inside, on first use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keicar.engine import expr as E
from keicar.engine.parameters import Law, default_law
from keicar.answers.check import resolve_on, resolve_reading
from keicar.inputs.vehicle import BODIES, InputError, parse_date

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
                 sets: Any = (), rows: int | None = None):
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
    Verdicts are null where an input they need is missing. ``rows``: how many rows a lazy frame
    will hold, when known; up to ``SMALL_FRAME`` the query is compiled without date tables."""
    import polars as pl

    from keicar.engine.variables import hoisted, staged

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
    # (``rows``: how many rows a lazy frame will hold, when the caller knows)
    known = frame.height if isinstance(frame, pl.DataFrame) else rows
    small = known is not None and known <= SMALL_FRAME
    hidden: list[str] = []
    if sets:  # the rules over sets (engine.variables.staged): hidden stage columns first
        lf, exprs, hidden = staged(lf, law, chosen, constants, rename, sets)
    else:
        lf, exprs, hidden = hoisted(lf, law, chosen, constants, rename, date_tables=not small)
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
    from keicar.rules.registry import registry

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
