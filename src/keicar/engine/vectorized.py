"""Compile rule expressions into Polars expressions (the bulk runner).

The same ``keicar.engine.expr`` trees the explainer interprets are turned into one Polars
expression each; a query is built once and run once, eagerly or streaming. Three tricks keep
it fast, all applied here so that rule authors never think about them:
- constant folding: any sub-tree that depends only on run-level constants (for example a
  parameter read at the date asked, when that date is the same for every row) is evaluated
  once by the explainer and becomes a literal;
- per-row dated parameters become a binary search of the row's date in the (few) effective
  dates of the parameter, then a gather, instead of a chain of when/then branches;
- date tables: any sub-tree whose only free input is one date column (an anniversary, the
  regime in force on the build date, "old enough on the date asked") is a function of that
  date alone. It is evaluated once over every day keicar accepts (about 80,000 days) and
  becomes a single gather per row.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

import polars as pl

from . import expr as E
from .explain import Evaluator, jurisdictions, state_attr, state_entry, state_parameter
from .parameters import Law
from .semantics import MEANING, PolarsOps, PolarsSetOps

POLARS = PolarsOps()
POLARS_SETS = PolarsSetOps(POLARS)

_EPOCH = dt.date(1970, 1, 1)
#: Days covered by date tables; inputs are validated to lie inside (keicar.inputs.vehicle).
DOMAIN = (dt.date(1885, 1, 1), dt.date(2101, 12, 31))
#: A date function with at most this many constant stretches compiles to comparisons.
MAX_SEGMENTS = 12
#: Input columns that hold dates.
DATE_COLUMNS = frozenset({"built_start", "built_end", "on"})


def _lit(value: Any) -> pl.Expr:
    return POLARS.lit(value)


def _series(values: list) -> pl.Series:
    if any(isinstance(v, (tuple, list)) for v in values):
        return pl.Series([None if v is None else list(v) for v in values])
    if any(isinstance(v, dt.date) for v in values):
        return pl.Series(values, dtype=pl.Date)
    if all(v is None or isinstance(v, bool) for v in values):
        return pl.Series(values, dtype=pl.Boolean)
    if all(v is None or isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return pl.Series(values, dtype=pl.Float64)
    return pl.Series(values, dtype=pl.String)


def day_index(column: str) -> pl.Expr:
    """Row index into a date table. Dates outside DOMAIN are clamped to its ends: callers
    validate dates first (keicar.inputs.vehicle; the batch screen rejects such rows). The same
    expression for every table lets Polars compute it once per column."""
    lo = (DOMAIN[0] - _EPOCH).days
    hi = (DOMAIN[1] - _EPOCH).days
    return pl.col(column).cast(pl.Int32).clip(lo, hi) - lo


def label_leaves(e: E.Expr, out: list, none_too: bool = False) -> bool:
    """True when every leaf of an If-chain is a string literal (or None, with ``none_too``),
    collected in ``out``."""
    if isinstance(e, E.Lit) and (isinstance(e.value, str) or (none_too and e.value is None)):
        if e.value not in out:
            out.append(e.value)
        return True
    if isinstance(e, E.If):
        return label_leaves(e.then, out, none_too) and label_leaves(e.else_, out, none_too)
    return False


#: Date tables kept between compilers (least recently used dropped first): ~640 KB each.
_TABLES: OrderedDict[tuple, tuple[Law, E.Expr, pl.Series]] = OrderedDict()
_TABLES_KEPT = 2048


def _columns_read(e: Any, out: set) -> set:
    """Names of every column ``e`` reads (constants included)."""
    if isinstance(e, E.Col):
        out.add(e.name)
    elif isinstance(e, E.Expr):
        for v in vars(e).values():
            if isinstance(v, (E.Expr, tuple)):
                for x in v if isinstance(v, tuple) else (v,):
                    _columns_read(x, out)
    return out


def set_columns(name: str) -> tuple[str, str]:
    """The two columns of a set-valued input: its least and greatest value."""
    return name + "_lo", name + "_hi"


class Compiler:
    """``sets`` names the input columns given as sets: the frame has ``<name>_lo`` and
    ``<name>_hi`` instead of ``<name>``. Only the sub-trees that read one are compiled over
    sets (a pair of expressions, ``engine.semantics.SetOps``); the rest as for exact rows."""

    def __init__(self, law: Law, constants: dict[str, Any] | None = None, date_tables: bool = True,
                 sets: Any = ()):
        self.law = law
        self.constants = dict(constants or {})
        self.date_tables = date_tables
        self.sets = frozenset(sets)
        self.ops = POLARS_SETS if self.sets else POLARS
        self._tables: dict[int, tuple[E.Expr, pl.Series]] = {}
        # over sets no date table absorbs the shared sub-trees: compile each once
        self._memo: dict[int, tuple[E.Expr, Any]] | None = {} if self.sets else None
        #: over sets, each set-valued sub-result becomes a column of its own (name ->
        #: (expression, level)): a set's ends are read several times by the nodes above it, so
        #: inlined they would grow the query exponentially with the depth of the formula.
        #: Level n reads only the inputs and columns of levels below n (``stage_columns``).
        self.stages: dict[str, tuple[pl.Expr, int]] = {}
        #: the one node compiled without its own date table: the root of a table being built
        self._untabled: E.Expr | None = None

    def _is_const(self, e: E.Expr) -> bool:
        if self._memo is not None:
            key = ("const", id(e))
            if key not in self._memo:
                self._memo[key] = (e, self._is_const_of(e))
            return self._memo[key][1]
        return self._is_const_of(e)

    def _is_const_of(self, e: E.Expr) -> bool:
        if isinstance(e, E.Col):
            return e.name in self.constants
        if isinstance(e, E.Lit):
            return True
        for v in vars(e).values():
            if isinstance(v, E.Expr) and not self._is_const(v):
                return False
            if isinstance(v, tuple) and not all(self._is_const(x) for x in v if isinstance(x, E.Expr)):
                return False
        return True

    def compile(self, e: E.Expr) -> pl.Expr:
        """``e`` as one Polars expression: the optimisations below, then the node's meaning
        (``engine.semantics``, shared with the explainer); data-reading leaves here. Over
        sets, a pair of expressions (least, greatest) where ``e`` reads a set column."""
        if self._memo is None:
            return self._compile(e)
        key = id(e)  # the entry keeps ``e`` alive, so its id cannot be reused meanwhile
        if key not in self._memo:
            got = self._compile(e)
            if isinstance(got, tuple) and type(e) not in (E.Col, E.Lit):
                got = tuple(self._stage(x) for x in got)
            self._memo[key] = (e, got)
        return self._memo[key][1]

    def _stage(self, x: pl.Expr) -> pl.Expr:
        names = x.meta.root_names()
        if x.meta.is_column() or not names:
            return x
        level = 1 + max((self.stages[n][1] for n in names if n in self.stages), default=0)
        name = f"__keicar_set_{len(self.stages)}"
        self.stages[name] = (x, level)
        return pl.col(name)

    def stage_columns(self, frame: Any) -> Any:
        """``frame`` with the staged columns added, level by level."""
        levels: dict[int, list[pl.Expr]] = {}
        for name, (x, level) in self.stages.items():
            levels.setdefault(level, []).append(x.alias(name))
        for level in sorted(levels):
            frame = frame.with_columns(levels[level])
        return frame

    def _compile(self, e: E.Expr) -> pl.Expr:
        if not isinstance(e, E.Lit) and self._is_const(e):
            return _lit(Evaluator(self.law, self.constants).eval(e))
        c = self.compile
        t = type(e)
        if t is E.If and self._is_const(e.cond):
            taken = Evaluator(self.law, self.constants).eval(e.cond) is True
            return c(e.then if taken else e.else_)
        if self.date_tables and t not in (E.Col, E.Lit) and e is not self._untabled:
            free = self._free_columns(e, set())
            if len(free) == 1 and next(iter(free)) in DATE_COLUMNS - self.sets:
                return self._date_table(e, next(iter(free)))
        if t is E.Col:
            if e.name in self.sets:
                return tuple(pl.col(n) for n in set_columns(e.name))
            return pl.col(e.name)
        if t is E.Lit:
            return _lit(e.value)
        if t is E.Param or t is E.Since:
            at = c(e.at)
            if isinstance(at, tuple):
                return self._dated_over(e.path, at, since=t is E.Since)
            return self._dated(e.path, at, since=t is E.Since)
        if t is E.FirstDate:
            return _lit(self.law.param(e.path).first_date)
        if t is E.StateParam:
            return self._state_param(e)
        if t in (E.And, E.Or):
            return self._logic(e)
        if t is E.If:
            labels: list[str] = []
            if label_leaves(e, labels) and not self._reads_set(e):
                # Build a small integer code, then one gather into an Enum: strings cost
                # ~10x more to build row by row.
                code = self._codes(e, labels)
                out = pl.lit(pl.Series(labels, dtype=pl.Enum(labels))).gather(code)
                # text where a set's hull may join it with other text (ordered as text)
                return out.cast(pl.String) if self.sets else out
        if t is E.IsIn:
            return self._is_in(e)
        meaning = MEANING.get(t)
        if meaning is None:
            raise TypeError(f"cannot compile {t.__name__}")
        return meaning(e, c, self.ops)

    def _reads_set(self, e: E.Expr) -> bool:
        return bool(self.sets) and bool(self._free_columns(e, set()) & self.sets)

    def _dated_over(self, path: str, at: tuple, since: bool) -> Any:
        """A dated parameter read on a window of days per row: for ``Since`` the dates at
        either end; for the value, the hull of every value in force in the window (one
        gather in a table of hulls by the pair of positions; missing where a day has none)."""
        p = self.law.param(path)
        days = pl.lit(pl.Series([(v.since - _EPOCH).days for v in p.values], dtype=pl.Int32))
        lo, hi = (days.search_sorted(x.cast(pl.Int32), side="right") for x in at)
        if since:
            table = pl.lit(_series([None] + [v.since for v in p.values]))
            return table.gather(lo), table.gather(hi)
        vals = [None] + [v.value for v in p.values]
        if any(isinstance(v, (list, tuple)) for v in vals):
            raise TypeError(f"{path}: a list-valued parameter is read on one date, not a window")
        n = len(vals)
        lows, highs = [], []
        for i in range(n):
            for j in range(n):
                got = vals[i:j + 1]  # missing where a day of the window has no value (span_of)
                whole = bool(got) and all(v is not None for v in got)
                lows.append(min(got) if whole else None)
                highs.append(max(got) if whole else None)
        key = lo.cast(pl.Int64) * n + hi.cast(pl.Int64)
        return pl.lit(_series(lows)).gather(key), pl.lit(_series(highs)).gather(key)

    def _logic(self, e: E.And | E.Or) -> pl.Expr:
        """Kleene And/Or, dropping operands that are constant (a check that always applies
        contributes ``Not(True)``): fewer horizontal reductions per row."""
        absorbing = isinstance(e, E.Or)  # True absorbs Or, False absorbs And
        rest = []
        ev = Evaluator(self.law, self.constants)
        for x in e.xs:
            if self._is_const(x):
                v = ev.eval(x)
                if v is absorbing:
                    return pl.lit(absorbing)
                if v is None:
                    rest.append(pl.lit(None, dtype=pl.Boolean))
                continue  # the neutral element
            rest.append(self.compile(x))
        if not rest:
            return pl.lit(not absorbing)
        return self.ops.any(rest) if absorbing else self.ops.all(rest)

    def _codes(self, e: E.Expr, labels: list[str]) -> pl.Expr:
        if isinstance(e, E.Lit):
            return pl.lit(labels.index(e.value), dtype=pl.UInt32)
        if self._is_const(e.cond):
            taken = Evaluator(self.law, self.constants).eval(e.cond) is True
            return self._codes(e.then if taken else e.else_, labels)
        return pl.when(self.compile(e.cond)).then(self._codes(e.then, labels)).otherwise(
            self._codes(e.else_, labels))

    def _free_columns(self, e: Any, out: set) -> set:
        """Input columns ``e`` depends on, once constants (and constant branches) fold."""
        if self._memo is not None and isinstance(e, E.Expr):
            key = ("free", id(e))
            if key not in self._memo:
                self._memo[key] = (e, frozenset(self._free_columns_of(e, set())))
            out |= self._memo[key][1]
            return out
        return self._free_columns_of(e, out)

    def _free_columns_of(self, e: Any, out: set) -> set:
        if isinstance(e, E.Col):
            if e.name not in self.constants:
                out.add(e.name)
        elif isinstance(e, E.If) and self._is_const(e.cond):
            taken = Evaluator(self.law, self.constants).eval(e.cond) is True
            self._free_columns(e.then if taken else e.else_, out)
        elif isinstance(e, E.Expr):
            for v in vars(e).values():
                if isinstance(v, (E.Expr, tuple)):
                    for x in v if isinstance(v, tuple) else (v,):
                        self._free_columns(x, out)
        return out

    def _date_table(self, e: E.Expr, column: str) -> pl.Expr:
        """``e`` as a lookup in a table of its values on every day of DOMAIN."""
        key = id(e)  # the entry keeps ``e`` alive, so its id cannot be reused meanwhile
        if key not in self._tables:
            self._tables[key] = (e, self._shared_table(e, column))
        table = self._tables[key][1]
        # Most such functions are piecewise constant (a limit per era; "old enough" flips
        # once): then a few date comparisons beat a random-access gather.
        changes = table.ne_missing(table.shift(1))
        starts = changes.arg_true()
        if len(table) and (len(starts) == 0 or starts[0] != 0):
            starts = pl.concat([pl.Series([0], dtype=starts.dtype), starts])
        if len(starts) <= MAX_SEGMENTS:
            return self._segments(column, table, starts.to_list())
        return pl.lit(table).gather(day_index(column))

    def _shared_table(self, e: E.Expr, column: str) -> pl.Series:
        """The table of ``e`` over DOMAIN, shared between compilers of the same law that give
        the constants ``e`` reads the same values, and between sub-trees written alike (by
        their ``repr``): a table costs milliseconds, and a screen reads about a hundred."""
        read = _columns_read(e, set()) & self.constants.keys()
        try:
            key = (id(self.law), repr(e), column, tuple(sorted((k, self.constants[k]) for k in read)))
            hash(key)
        except TypeError:  # an unhashable constant: no sharing
            key = None
        if key is not None and key in _TABLES:
            _TABLES.move_to_end(key)
            return _TABLES[key][2]
        # The root is computed on every day; each sub-tree that is itself a function of the
        # day is read from its own (shared) table. Inlined instead, a sub-tree read n times
        # in the formula is computed n times, which grows with the depth of date arithmetic
        # (the road-import month count: ~450 ms a table inlined).
        plain = Compiler(self.law, self.constants, date_tables=True)
        plain._untabled = e
        days = pl.date_range(DOMAIN[0], DOMAIN[1], eager=True).alias(column)
        table = pl.DataFrame([days]).select(plain.compile(e).alias("v")).to_series()
        if key is not None:  # the entry keeps the law alive: its id stays its own
            _TABLES[key] = (self.law, e, table)
            while len(_TABLES) > _TABLES_KEPT:
                _TABLES.popitem(last=False)
        return table

    def _segments(self, column: str, table: pl.Series, starts: list[int]) -> pl.Expr:
        d = pl.col(column)
        values = [table[i] for i in starts]
        if table.dtype == pl.Boolean and len(starts) == 2 and None not in values:
            flip = _lit(DOMAIN[0] + dt.timedelta(days=starts[1]))
            return d < flip if values[0] else d >= flip
        out = pl.when(d.is_null()).then(pl.lit(None, dtype=table.dtype))
        for nxt, v in zip(starts[1:], values):
            out = out.when(d < _lit(DOMAIN[0] + dt.timedelta(days=nxt))).then(pl.lit(v, dtype=table.dtype))
        return out.otherwise(pl.lit(values[-1], dtype=table.dtype))

    def _dated(self, path: str, at: pl.Expr, since: bool) -> pl.Expr:
        p = self.law.param(path)
        days = pl.Series([(v.since - _EPOCH).days for v in p.values], dtype=pl.Int32)
        idx = pl.lit(days).search_sorted(at.cast(pl.Int32), side="right")
        if since:
            table = _series([None] + [v.since for v in p.values])
        else:
            table = _series([None] + [v.value for v in p.values])
        return pl.lit(table).gather(idx)

    #: Bits of the day number in a StateParam key (state index << bits | day): 2**17 days
    #: cover DOMAIN (about 79,000 days).
    _DAY_BITS = 17

    def _state_index(self, e: E.StateParam) -> pl.Expr:
        """Row's jurisdiction as its index in the sorted codes (null when unknown)."""
        codes = list(jurisdictions(self.law, e.prefix))
        return self.compile(e.state).cast(pl.String).cast(pl.Enum(codes), strict=False).to_physical()

    def _state_param(self, e: E.StateParam) -> pl.Expr:
        """A parameter keyed by a per-row jurisdiction code, without a when/then branch per
        jurisdiction: with a constant date, one gather of a table of the value in each
        jurisdiction; with a per-row date, one binary search over combined keys
        ``(state index << 17) + day`` and one gather. Each jurisdiction's block starts with
        a sentinel key holding None (before its first value, or no such parameter)."""
        codes = jurisdictions(self.law, e.prefix)
        if self._reads_set(e):
            raise TypeError("a state parameter is read for one state on one date, not a set")
        idx = self._state_index(e)
        if self._is_const(e.at):
            at = Evaluator(self.law, self.constants).eval(e.at)
            vals = [state_attr(state_entry(self.law, e, code, at)[1], e.attr) for code in codes]
            return pl.lit(self._state_series(e, vals)).gather(idx)
        lo = (DOMAIN[0] - _EPOCH).days
        span = (DOMAIN[1] - DOMAIN[0]).days + 1
        keys: list[int] = []
        vals: list[Any] = [None]  # position 0: a null row (search_sorted puts nulls there)
        for i, code in enumerate(codes):
            base = i << self._DAY_BITS
            keys.append(base)
            vals.append(None)
            p = state_parameter(self.law, f"{e.prefix}.{code}.{e.field}")
            if p is not None:
                for v in p.values:
                    day = min(max((v.since - _EPOCH).days - lo, 0), span - 1)
                    keys.append(base + day + 1)
                    vals.append(state_attr(v, e.attr))
        at = self.compile(e.at)
        day = at.cast(pl.Int32).clip(lo, lo + span - 1).cast(pl.Int64) - lo + 1
        q = idx.cast(pl.Int64) * (1 << self._DAY_BITS) + day
        pos = pl.lit(pl.Series(keys, dtype=pl.Int64)).search_sorted(q, side="right")
        return pl.lit(self._state_series(e, vals)).gather(pl.when(q.is_null()).then(0).otherwise(pos))

    def _state_series(self, e: E.StateParam, vals: list) -> pl.Series:
        """``vals`` typed as every value of the parameter in any jurisdiction would be (so a
        date on which all are missing still has the parameter's type); Null when none has one."""
        params = [state_parameter(self.law, f"{e.prefix}.{code}.{e.field}")
                  for code in jurisdictions(self.law, e.prefix)]
        every = [state_attr(v, e.attr) for p in params if p is not None for v in p.values]
        if all(v is None for v in every):
            return pl.Series(vals, dtype=pl.Null)
        return pl.Series(vals, dtype=_series(every).dtype)

    def _is_in(self, e: E.IsIn) -> pl.Expr:
        x = self.compile(e.x)
        items = e.items
        if self._is_const(items):
            vals = Evaluator(self.law, self.constants).eval(items)
            # is_in already gives null for a null x (Kleene), as the explainer does
            if vals is None:
                return pl.lit(None, dtype=pl.Boolean)
            return self.ops.is_in(x, list(vals)) if isinstance(x, tuple) else x.is_in(list(vals))
        if isinstance(items, E.Param):
            # A list-valued parameter read at a per-row date: one branch per dated value.
            p = self.law.param(items.path)
            at = self.compile(items.at)
            if isinstance(at, tuple):
                raise TypeError(f"{items.path}: a list-valued parameter is read on one date, not a window")

            def member(x: pl.Expr) -> pl.Expr:
                out = pl.when(x.is_null() | at.is_null() | (at < _lit(p.first_date))).then(None)
                for v, nxt in zip(p.values, p.values[1:] + [None]):
                    cond = at < _lit(nxt.since) if nxt else pl.lit(True)
                    out = out.when(cond).then(None if v.value is None else x.is_in(list(v.value)))
                return out.otherwise(None)

            return POLARS_SETS.set_member(x, member) if isinstance(x, tuple) else member(x)
        raise TypeError("IsIn needs a constant list or a list-valued parameter")
