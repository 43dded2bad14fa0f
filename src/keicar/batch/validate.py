"""Row validation for tables, as vectorized Polars expressions.

The same rules, in the same order, as ``keicar.inputs.vehicle.make_vehicle`` (which validates one
vehicle): the first failing check of a row is its reject reason, worded the same way.
``tests/test_batch.py`` checks the two against each other on messy rows.

Cheap for valid rows: each check is a boolean expression and the first failing one becomes a
small integer code; the wording of a reason is made only for the rejected rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import polars as pl

from keicar.inputs.vehicle import BODIES, BOUNDS, EARLIEST_BUILD, STROKES, InputError
from .columns import (Check, BODY, BUILT, CHASSIS, FIELD, MAKE, MODE, MODEL, MONEY, NUMBERS, ON, PRICE, PRICE_JPY,
                      REASON, REGISTERED, REQUIRED, ROW, STATE, STROKE, WORKING, names)

P = WORKING  # prefix of the working columns (parsed values, fail code)
BAD = P + "bad"
_DAY = r"^\d{4}-\d{2}-\d{2}$"
_ACCEPTED_BODIES = ", ".join(BODIES)
_ACCEPTED_STROKES = " or ".join(str(s) for s in STROKES)


def _fmt(text: str, *exprs: pl.Expr) -> pl.Expr:
    return pl.format(text, *[e.cast(pl.String) for e in exprs]) if exprs else pl.lit(text)


def _quoted(e: pl.Expr) -> pl.Expr:
    """Python's repr of a string, as make_vehicle words it ('3,395')."""
    return pl.concat_str([pl.lit("'"), e.cast(pl.String), pl.lit("'")])


def _g(num: float) -> str:
    return f"{num:g}"


@dataclass
class Plan:
    """How to read one input table: which input column feeds which field, and the checks."""
    source: dict[str, str]                # field -> input column
    passthrough: list[str]                # input columns kept as they are
    text: dict[str, pl.Expr] = field(default_factory=dict)     # stage 1: stripped text columns
    shape: dict[str, pl.Expr] = field(default_factory=dict)    # stage 2: the form of a text value
    parsed: dict[str, pl.Expr] = field(default_factory=dict)   # stage 3: working column -> expression
    checks: list[Check] = field(default_factory=list)
    state_unknown: pl.Expr | None = None   # a state value that is no code (nor name, once names are known)
    catalog: object | None = None          # a catalog fill (catalog_fill.CatalogFill): joined before the stages
    catalog_outputs: Callable[[], dict[str, pl.Expr]] | None = None  # its output columns

    @property
    def hidden(self) -> dict[str, str]:
        """passthrough column -> the name it has between validation and output, so that no
        input column is taken for (or replaced by) a column keicar adds."""
        return {c: f"{P}in_{i}" for i, c in enumerate(self.passthrough)}


def _text(col: str) -> pl.Expr:
    return _text_of(pl.col(col))


def _text_of(e: pl.Expr) -> pl.Expr:
    return e.cast(pl.String).str.strip_chars()


def _is_text(dtype: pl.DataType) -> bool:
    return dtype in (pl.String, pl.Categorical) or isinstance(dtype, (pl.Enum, pl.Categorical, pl.Null))


@dataclass
class Asked:
    """What a screen asks beyond the vehicle, for the checks of those input columns:
    ``on_column`` (the date asked per row; else ``on`` is one date), ``registered_column``
    (first registration in the state), ``fx_jpy_per_usd`` (for a ``price_jpy`` column),
    ``earliest_on`` (the first date keicar can be asked about), ``state_given`` (one state for
    every row)."""
    on_column: str | None = None
    registered_column: str | None = None
    fx_jpy_per_usd: float | None = None
    earliest_on: dt.date | None = None
    state_given: bool = False


def plan(schema: pl.Schema, mapping: dict[str, str], units: dict[str, float],
         on: dt.date | None, today: dt.date, *, ragged: tuple[list[int], list[int], int] | None = None,
         states: dict[str, str] | None = None, asked: Asked | None = None) -> Plan:
    """The parse and the checks for a table with ``schema`` (input names, before ``mapping``).
    ``ragged``: (row numbers, their field counts, the header's) of CSV rows whose field count
    is not the header's. ``states``: accepted state values (upper case) -> code. ``on`` is
    None when the date asked is a column (``asked.on_column``)."""
    asked = asked or Asked()
    cols = [c for c in schema.names() if c != ROW]
    source = {mapping.get(c, c): c for c in cols}
    given = dict(source)
    for name, col in ((ON, asked.on_column), (REGISTERED, asked.registered_column)):
        source.pop(name, None)  # read only when an option names the column
        if col is not None:
            if col not in given:
                raise InputError(f"{name}_column", f"no column {col!r} in the input; its columns: "
                                                   f"{names(list(given))}")
            source[name] = given[col]
    priced = PRICE in source or PRICE_JPY in source
    if not priced:  # the other amounts and the mode matter only with a price
        for name in (*MONEY, MODE):
            source.pop(name, None)
    from_catalog = CHASSIS in source or (MAKE in source and MODEL in source)
    for name in REQUIRED:
        if name not in source and not (name == BODY and from_catalog):  # the catalog may give the body
            raise InputError("map", f"the input has no {name!r} column; its columns: {names(cols)}; "
                                    f"name one with --map COLUMN={name}")
    for name in (BUILT, BODY, *NUMBERS, STROKE, STATE):
        dtype = schema[source[name]] if name in source else None
        if dtype is not None and dtype.is_nested():
            raise InputError("in", f"the column {source[name]!r} ({name}) holds {dtype} values, not text or "
                                   f"numbers")
    read = (BUILT, BODY, *NUMBERS, STROKE, STATE, ON, REGISTERED, *MONEY, MODE)
    for name in read[-len(MONEY) - 3:]:
        dtype = schema[source[name]] if name in source else None
        if dtype is not None and dtype.is_nested():
            raise InputError("in", f"the column {source[name]!r} ({name}) holds {dtype} values, not text, "
                                   f"numbers or dates")
    consumed = {source[f] for f in read if f in source}
    p = Plan(source=source, passthrough=[c for c in cols if c not in consumed])
    _built(p, schema[source[BUILT]], on, today)
    _body(p, schema[source[BODY]] if BODY in source else None)
    # (a column named "" is a column: look a field up by name, never by a default name)
    _stroke(p, schema[source[STROKE]] if STROKE in source else None)
    for name in NUMBERS:
        _number(p, name, schema[source[name]] if name in source else None, units.get(name, 1.0))
    _complete(p)
    if from_catalog:
        from .catalog_fill import attach

        attach(p, schema)
    if ON in source:
        _on(p, schema[source[ON]], asked.earliest_on)
    if STATE in source:
        _state(p, states or {})
    if REGISTERED in source:
        _registered(p, schema[source[REGISTERED]], on, STATE in source or asked.state_given)
    if priced:
        _money(p, schema, asked.fx_jpy_per_usd)
    if ragged and ragged[0]:
        _ragged(p, *ragged)
    # a check may read a parsed column; make the parse its own stage
    p.checks = [Check(c.field, c.failed.fill_null(False), c.reason) for c in p.checks]
    return p


def _built(p: Plan, dtype: pl.DataType, on: dt.date, today: dt.date) -> None:
    from keicar.inputs.vehicle import read_built

    col = p.source[BUILT]
    raw = pl.col(col)
    start, end = P + "built_start", P + "built_end"
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        p.parsed[start] = raw.cast(pl.Date)
        p.parsed[end] = raw.cast(pl.Date)
        missing = raw.is_null()
        checks = []
    else:  # any form keicar.inputs.formats reads; the reason from the one-value parser
        from ..inputs.formats import build_window_struct

        text = raw.cast(pl.String)
        p.text[P + "built_window"] = build_window_struct(text)  # parsed once, then its two fields
        p.shape[start] = pl.col(P + "built_window").struct.field("first")
        p.shape[end] = pl.col(P + "built_window").struct.field("last")
        p.parsed[P + "built_missing"] = text.is_null() | (
            pl.when(pl.col(start).is_null()).then(text).str.strip_chars() == "")
        missing = pl.col(P + "built_missing")
        checks = [Check(BUILT, ~missing & pl.col(start).is_null(), lambda: _said(read_built, raw))]
    s = pl.col(start)
    p.checks += [
        Check(BUILT, missing, lambda: pl.lit("missing; give the build date as YYYY-MM-DD or YYYY-MM")),
        *checks,
        Check(BUILT, s < EARLIEST_BUILD, lambda: _said(read_built, raw)),  # make_vehicle's wording
        Check(BUILT, s > today, lambda: _fmt(f"{{}} is in the future (today is {today})", raw)),
    ]
    if on is not None:  # keicar.api.check refuses these too: a vehicle is judged on a date after its build
        p.checks.append(Check(BUILT, s > on, lambda: _fmt(f"{{}} is after the date asked ({on})", raw)))


def _day(text: pl.Expr) -> pl.Expr:
    return text.str.to_date("%Y-%m-%d", strict=False, cache=False)


def _body(p: Plan, dtype: pl.DataType | None) -> None:
    """A body as keicar names it, or a synonym in keicar/inputs/bodies.csv (``Kei Truck``); with
    no body column, what the catalog fills in (``catalog_fill.attach``) or missing."""
    from ..inputs.formats import body, body_expr

    parsed = pl.col(P + BODY)
    if dtype is None:
        p.parsed[P + BODY] = pl.lit(None, pl.String)
        p.checks.append(Check(BODY, parsed.is_null(), lambda: pl.lit(f"missing; accepted: {_ACCEPTED_BODIES}")))
        return
    raw = pl.col(p.source[BODY])
    text = raw.cast(pl.String)
    p.parsed[P + BODY] = body_expr(text)
    blank = text.is_null() | (text.str.strip_chars() == "")
    p.checks += [
        Check(BODY, blank & parsed.is_null(), lambda: pl.lit(f"missing; accepted: {_ACCEPTED_BODIES}")),
        Check(BODY, ~blank & parsed.is_null(), lambda: _said(lambda v: _formats_said(BODY, body, v), raw)),
    ]


def _stroke(p: Plan, dtype: pl.DataType | None) -> None:
    if dtype is None:
        p.parsed[P + STROKE] = pl.lit(4, dtype=pl.Int8)
        return
    raw = pl.col(p.source[STROKE])
    if _is_text(dtype):
        p.text[P + "t_stroke"] = _text(p.source[STROKE])
        text = pl.col(P + "t_stroke")
        missing = text.is_null() | (text == "")
        value = text.cast(pl.Int64, strict=False)
    else:  # make_vehicle takes int() of a number: 4.0 -> 4
        missing = raw.is_null()
        value = raw.cast(pl.Int64, strict=False)
    p.parsed[P + STROKE] = pl.when(missing).then(4).otherwise(value).cast(pl.Int8, strict=False)
    p.checks.append(Check(STROKE, ~missing & ~value.is_in(STROKES).fill_null(False), lambda: _fmt(
        f"{{}} is not an engine cycle; accepted: {_ACCEPTED_STROKES}",
        _quoted(raw) if _is_text(dtype) else raw)))


def _number(p: Plan, name: str, dtype: pl.DataType | None, factor: float) -> None:
    """The value (null where the row gives a set) and ``<name>_lo``/``<name>_hi``: the least
    and greatest value of the row's set, both the value when it is exact."""
    lo, hi, unit = BOUNDS[name]
    if dtype is None:
        for end in ("", "_lo", "_hi"):
            p.parsed[P + name + end] = pl.lit(None, dtype=pl.Float64)
        return
    raw = pl.col(p.source[name])
    if _is_text(dtype):  # '3,395 mm', '0.66L', a set '1755-1800' (keicar.inputs.formats); a bare number in --units
        from ..inputs.formats import number_set_expr, quantity, quantity_expr

        text = raw.cast(pl.String)
        p.shape[P + "q_" + name] = quantity_expr(text, name, factor)
        p.shape[P + "s_" + name] = number_set_expr(text, name, factor)
        number = pl.col(P + "q_" + name)
        got = pl.col(P + "s_" + name)
        set_lo, set_hi, set_error = (got.struct.field(f) for f in ("lo", "hi", "error"))
        unread = number.is_null() & set_lo.is_null()
        missing = text.is_null() | (pl.when(unread).then(text).str.strip_chars() == "")
        p.checks += [
            Check(name, set_error.is_not_null(), lambda: set_error),
            Check(name, ~missing & unread & set_error.is_null(), lambda: _said(
                lambda v: _formats_said(name, quantity, v, name, factor), raw))]
        low, high = pl.coalesce(number, set_lo), pl.coalesce(number, set_hi)
        shown = pl.when(number.is_null()).then(_quoted(text)).otherwise(_number_text(number))
    else:
        number = raw.cast(pl.Float64)
        if factor != 1.0:  # rounded to a micrometre so that 0.66 l is 660 cc, not 660.0000000000001
            number = (number * factor).round(6)
        low = high = number
        shown = _number_text(number)
    p.parsed[P + name] = number
    p.parsed[P + name + "_lo"], p.parsed[P + name + "_hi"] = low, high
    ends = pl.col(P + name + "_lo"), pl.col(P + name + "_hi")
    p.checks.append(Check(name, ~(ends[0].is_between(lo, hi) & ends[1].is_between(lo, hi)), lambda: _fmt(
        f"{{}} {unit} is outside the plausible range {_g(lo)}–{_g(hi)} {unit}", shown)))


def _state(p: Plan, states: dict[str, str]) -> None:
    """A two-letter code or a name, as the law's state files give them (``Texas`` -> TX).
    ``states``: accepted values -> code; when they are the codes alone (the usual file) the
    check is one look-up, without the spacing rules names need."""
    raw = pl.col(p.source[STATE])
    text = pl.col(P + "t_state")
    names = any(k != v for k, v in states.items())
    p.text[P + "t_state"] = _text(p.source[STATE]).str.to_uppercase()
    if names:  # 'New  York' is New York
        p.text[P + "t_state"] = p.text[P + "t_state"].str.replace_all(r"\s+", " ")
        p.parsed[P + STATE] = text.replace_strict(list(states), list(states.values()), default=None,
                                                 return_dtype=pl.String)
        unknown = (text != "") & pl.col(P + STATE).is_null()
    else:
        p.parsed[P + STATE] = pl.when(text != "").then(text)
        unknown = (text != "") & ~text.is_in(list(states))
    p.state_unknown = unknown
    p.checks.append(Check(STATE, unknown, lambda: _fmt(
        "{} is not a US state; give its two-letter code (TX) or its name (Texas); DC for the District of "
        "Columbia", _quoted(raw))))


def _said(fn: Callable[..., object], *values: pl.Expr) -> pl.Expr:
    """The message of the InputError that ``fn(*values)`` raises: the wording of the
    validator of one vehicle or one ``keicar cost``, itself (reasons are made for rejected
    rows only)."""
    def message(row: dict) -> str | None:
        try:
            fn(*row.values())
        except InputError as exc:
            return exc.message
        return None

    return pl.struct(*[v.alias(f"v{i}") for i, v in enumerate(values)]).map_elements(
        message, return_dtype=pl.String)


def _formats_said(field: str, fn: Callable[..., object], *args: object) -> object:
    """``fn(*args)`` of keicar.inputs.formats, its FormatError as the field's InputError."""
    from ..inputs.formats import FormatError

    if args[0] is None:  # (reasons are worded for every rejected row; this one is not at fault)
        return None
    try:
        return fn(str(args[0]), *args[1:])  # (a body column of numbers is read as text)
    except FormatError as exc:
        raise InputError(field, str(exc)) from None


def _date_column(p: Plan, name: str, dtype: pl.DataType, if_missing: str | None = None) -> tuple[pl.Expr, pl.Expr]:
    """(parsed date, missing) of a column of days, with the checks of
    ``keicar.inputs.vehicle.parse_date``, in its words; ``if_missing``: a missing value is a reject
    with this reason."""
    from keicar.inputs.vehicle import DATES, parse_date

    raw = pl.col(p.source[name])
    said = lambda: _said(lambda v: parse_date(name, v), raw)  # noqa: E731
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        p.parsed[P + name] = raw.cast(pl.Date)
        missing, form = raw.is_null(), []
    else:
        p.text[P + "t_" + name] = _text(p.source[name])
        text = pl.col(P + "t_" + name)
        missing = text.is_null() | (text == "")
        p.parsed[P + name] = pl.when(text.str.contains(_DAY)).then(_day(text))
        form = [Check(name, ~missing & pl.col(P + name).is_null(), said)]
    if if_missing is not None:
        p.checks.append(Check(name, missing, lambda: pl.lit(if_missing)))
    value = pl.col(P + name)
    p.checks += [*form, Check(name, ~value.is_between(*DATES), said)]
    return value, missing


def _on(p: Plan, dtype: pl.DataType, earliest: dt.date) -> None:
    """The date asked, per row: as ``keicar.api.resolve_on`` reads ``on``, and after the build."""
    on, _ = _date_column(p, ON, dtype, if_missing="missing; give the date asked as YYYY-MM-DD")
    p.checks += [
        Check(ON, on < earliest, lambda: _fmt(
            f"{{}} is before {earliest}, the first date keicar encodes US import law for", on)),
        Check(BUILT, pl.col(P + "built_start") > on, lambda: _fmt(
            "{} is after the date asked ({})", pl.col(p.source[BUILT]), on)),
    ]


def _registered(p: Plan, dtype: pl.DataType, on: dt.date | None, has_state: bool) -> None:
    """First registration in the state: ``keicar.answers.state.resolve_registered``'s checks."""
    reg, missing = _date_column(p, REGISTERED, dtype)
    asked = pl.col(P + ON) if on is None else pl.lit(on)
    state = pl.col(P + STATE) if STATE in p.source else pl.lit("given" if has_state else None)
    p.checks += [
        Check(REGISTERED, ~missing & state.is_null(), lambda: pl.lit(
            "a registration date needs a state; give a state column or --state XX too")),
        Check(REGISTERED, reg > asked, lambda: _fmt("{} is after the date asked ({})", reg, asked)),
        Check(REGISTERED, reg < pl.col(P + "built_start"), lambda: _fmt(
            "{} is before the vehicle was built ({})", reg, pl.col(P + "built_start"))),
    ]


def _money(p: Plan, schema: pl.Schema, fx: float | None) -> None:
    """Amounts as ``keicar cost`` reads them (``keicar.answers.cost.money``: a number, 0 or more,
    within its bounds; a yen price at the rate given); ``mode`` ocean or air (default ocean)."""
    from keicar.answers.cost import FX_JPY_PER_USD, MAX_USD, MODES, money, price_from_yen

    for name in (PRICE_JPY, *MONEY):
        if name not in p.source:
            continue
        col = p.source[name]
        raw = pl.col(col)
        if _is_text(schema[col]):  # '¥1,010,000', '$4,500' (keicar.inputs.formats)
            from ..inputs.formats import quantity_expr

            number = quantity_expr(raw.cast(pl.String), name)
        else:
            number = raw.cast(pl.Float64, strict=False)
        missing = raw.is_null() | (_text(col) == "")
        limit = MAX_USD * FX_JPY_PER_USD[1] if name == PRICE_JPY else MAX_USD
        p.checks.append(Check(name, ~missing & ~number.is_between(0, limit).fill_null(False), lambda name=name, raw=raw, limit=limit: _said(
            lambda v: money(name, v, limit=limit), raw)))
        if name == PRICE_JPY:
            usd = number / fx
            p.checks.append(Check(name, usd > MAX_USD, lambda raw=raw: _said(
                lambda v: price_from_yen(v, fx), raw)))
            p.parsed[P + PRICE] = usd
        else:
            p.parsed[P + name] = number
    if MODE in p.source:
        text = _text(p.source[MODE]).str.to_lowercase()
        p.parsed[P + MODE] = pl.when(text.is_null() | (text == "")).then(pl.lit(MODES[0])).otherwise(text)
        p.checks.append(Check(MODE, ~pl.col(P + MODE).is_in(MODES), lambda: _fmt(
            f"{{}} is not a transport mode; accepted: {', '.join(MODES)}", _quoted(pl.col(P + MODE)))))


def _ragged(p: Plan, rows: list[int], fields: list[int], header: int) -> None:
    """Rows with more or fewer fields than the header: values may be cut off or shifted."""
    row = pl.col(ROW).cast(pl.Int64)
    count = row.replace_strict(rows, fields, default=None, return_dtype=pl.Int64)
    p.checks.insert(0, Check(ROW, row.is_in(pl.Series(rows, dtype=pl.Int64).implode()), lambda: (
        pl.when(count == 0).then(pl.lit("the line is empty"))
        .when(count > header).then(_fmt(f"the line has {{}} fields where the header has {header}; a value may "
                                        f"hold an unquoted comma", count))
        .otherwise(_fmt(f"the line has {{}} fields where the header has {header}", count)))))


def _number_text(x: pl.Expr) -> pl.Expr:
    """3395.0 -> '3395', as a person wrote it."""
    whole = x.cast(pl.Int64, strict=False)
    return pl.when(whole.cast(pl.Float64) == x).then(whole.cast(pl.String)).otherwise(x.cast(pl.String))


def _complete(p: Plan) -> None:
    """keicar.inputs.vehicle.require_complete: the three dimensions, and cc or ev_kw."""
    for name in ("length_mm", "width_mm", "height_mm"):
        lo, hi, unit = BOUNDS[name]
        p.checks.append(Check(name, pl.col(P + name + "_lo").is_null(), lambda lo=lo, hi=hi, unit=unit: pl.lit(
            f"missing; give it in {unit} ({_g(lo)}–{_g(hi)}), or a chassis code to take it from the catalog")))
    p.checks.append(Check("cc", pl.col(P + "cc_lo").is_null() & pl.col(P + "ev_kw_lo").is_null(), lambda: pl.lit(
        "missing; give the engine displacement in cc, or ev_kw for an electric motor")))


def with_checks(lf: pl.LazyFrame, p: Plan, today: dt.date) -> pl.LazyFrame:
    """Add the parsed working columns and ``BAD`` (some check fails). Each stage reads the
    columns of the one before, so nothing is parsed twice."""
    if p.catalog is not None:
        lf = p.catalog.join(lf)
    for stage in (p.text, p.shape, p.parsed):
        if stage:
            lf = lf.with_columns(**stage)
    return lf.with_columns(
        pl.min_horizontal(pl.col(P + "built_end"), pl.lit(today)).alias(P + "built_end"),
        pl.any_horizontal([c.failed for c in p.checks]).alias(BAD))


def valid_rows(lf: pl.LazyFrame, p: Plan) -> pl.LazyFrame:
    """The valid rows: row number, the passthrough columns (under ``Plan.hidden`` names), then
    the fields as the rules read them."""
    fields = ["built_start", "built_end", BODY, *NUMBERS, STROKE, *(n + e for n in NUMBERS for e in ("_lo", "_hi"))]
    fields += [f for f in (STATE, ON, REGISTERED) if f in p.source]
    fields += [f for f in (*MONEY, MODE) if P + f in p.parsed]
    added = p.catalog_outputs() if p.catalog_outputs is not None else {}
    return lf.filter(~pl.col(BAD)).select(
        ROW, *[pl.col(c).alias(h) for c, h in p.hidden.items()], *[pl.col(P + f).alias(f) for f in fields],
        *[e.alias(name) for name, e in added.items()])


def rejected_rows(lf: pl.LazyFrame | pl.DataFrame, p: Plan, columns: list[str]) -> pl.DataFrame:
    """The rejected rows (a DataFrame, in row order): row number, the field, the reason, then
    every input column as read. Each row's reason is its first failing check, in
    make_vehicle's order; each check words its reason for its own rows only (a reason may
    call the one-vehicle validator per row)."""
    bad = lf.lazy().filter(pl.col(BAD)).collect(engine="in-memory")
    code = pl.lit(None, dtype=pl.UInt8)
    for i in reversed(range(len(p.checks))):
        code = pl.when(p.checks[i].failed).then(pl.lit(i, dtype=pl.UInt8)).otherwise(code)
    codes = bad.select(code).to_series()
    kept = [pl.col(c) for c in columns if c != ROW]
    none = pl.lit(None, pl.String)
    # a rejected row no check words a reason for is kept all the same (every row read is
    # counted), with neither field nor reason; this part also gives the columns when no row is rejected
    parts = [bad.filter(codes.is_null()).select(ROW, none.alias(FIELD), none.alias(REASON), *kept)]
    for i in codes.drop_nulls().unique().sort():
        c = p.checks[i]
        parts.append(bad.filter(codes == i).select(
            ROW, pl.lit(c.field).alias(FIELD), pl.concat_str([pl.lit(c.field + ": "), c.reason()]).alias(REASON),
            *kept))
    return pl.concat(parts, how="vertical_relaxed").sort(ROW)
