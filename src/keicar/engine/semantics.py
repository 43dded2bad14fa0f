"""What each expression node means, written once for both runners.

A node's meaning is a small function of its evaluated operands, written against a column
algebra (:class:`Ops`): comparisons, Kleene logic, ``when``, date parts. The explainer
(``engine.explain``) runs the meanings with :data:`SCALAR` (Python values, ``None`` for
missing) and records which parameters it read; the Polars compiler (``engine.vectorized``)
runs the very same meanings with :data:`POLARS` (``pl.Expr``) after its own optimisations
(constant folding, date tables, Enum codes). So ``Anniversary``'s 29 February rule, or what
``And`` does with a missing operand, exists in one place, and the differential test checks
that the two algebras agree.

Operands are passed as thunks (zero-argument callables), so ``If`` evaluates only the branch
it takes in the explainer (a parameter on the branch not taken is not "read").

Leaves that read data (``Col``, ``Lit``, ``Param``, ``Since``, ``FirstDate``, ``StateParam``)
are not here: each runner reads the law its own way (a dated lookup for one vehicle, a binary
search for a column), and the differential test keeps them equal.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Any, Callable

from . import expr as E

Thunk = Callable[[], Any]

_BINARY = {
    "<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt,
    "==": operator.eq, "!=": operator.ne,
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "%": operator.mod,
}


class Ops:
    """The column algebra. Python operators on operands are not used directly: a scalar
    runner needs missing-value (Kleene/SQL) semantics that plain Python does not have."""

    def lit(self, value: Any) -> Any: raise NotImplementedError
    def binary(self, op: str, a: Any, b: Any) -> Any: raise NotImplementedError
    def all(self, xs: list) -> Any: raise NotImplementedError
    def any(self, xs: list) -> Any: raise NotImplementedError
    def not_(self, x: Any) -> Any: raise NotImplementedError
    def is_null(self, x: Any) -> Any: raise NotImplementedError
    def when(self, cond: Any, then: Thunk, otherwise: Thunk) -> Any: raise NotImplementedError
    def coalesce(self, xs: list[Thunk]) -> Any: raise NotImplementedError
    def max(self, xs: list) -> Any: raise NotImplementedError
    def is_in(self, x: Any, items: Any) -> Any: raise NotImplementedError
    def year(self, d: Any) -> Any: raise NotImplementedError
    def month(self, d: Any) -> Any: raise NotImplementedError
    def day(self, d: Any) -> Any: raise NotImplementedError
    def date(self, y: Any, m: Any, d: Any) -> Any: raise NotImplementedError
    def add_days(self, d: Any, n: Any) -> Any: raise NotImplementedError
    def flags(self, names: tuple, xs: list) -> Any: raise NotImplementedError


class ScalarOps(Ops):
    """One vehicle: Python values, ``None`` for missing."""

    def lit(self, value):
        return value

    def binary(self, op, a, b):
        return None if a is None or b is None else _BINARY[op](a, b)

    def all(self, xs):
        if any(v is False for v in xs):
            return False
        return None if any(v is None for v in xs) else True

    def any(self, xs):
        if any(v is True for v in xs):
            return True
        return None if any(v is None for v in xs) else False

    def not_(self, x):
        return None if x is None else not x

    def is_null(self, x):
        return x is None

    def when(self, cond, then, otherwise):
        return then() if cond is True else otherwise()

    def coalesce(self, xs):
        for x in xs:
            v = x()
            if v is not None:
                return v
        return None

    def max(self, xs):
        vals = [v for v in xs if v is not None]
        return max(vals) if vals else None

    def is_in(self, x, items):
        return None if x is None or items is None else x in items

    def year(self, d):
        return None if d is None else d.year

    def month(self, d):
        return None if d is None else d.month

    def day(self, d):
        return None if d is None else d.day

    def date(self, y, m, d):
        return None if y is None or m is None or d is None else dt.date(int(y), int(m), int(d))

    def add_days(self, d, n):
        return None if d is None or n is None else d + dt.timedelta(days=int(n))

    def flags(self, names, xs):
        return ",".join(n for n, x in zip(names, xs) if x is True)


class PolarsOps(Ops):
    """Tables: ``pl.Expr`` operands (Polars is Kleene already)."""

    def __init__(self):
        import polars as pl

        self.pl = pl

    def lit(self, value):
        pl = self.pl
        if isinstance(value, tuple):
            return pl.lit(pl.Series([list(value)]))
        if isinstance(value, dt.date):
            return pl.lit(value, dtype=pl.Date)
        return pl.lit(value)

    def binary(self, op, a, b):
        return _BINARY[op](a, b)

    def all(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = out & x
        return out

    def any(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = out | x
        return out

    def not_(self, x):
        return ~x

    def is_null(self, x):
        return x.is_null()

    def when(self, cond, then, otherwise):
        return self.pl.when(cond).then(then()).otherwise(otherwise())

    def coalesce(self, xs):
        return self.pl.coalesce([x() for x in xs])

    def max(self, xs):
        return self.pl.max_horizontal(xs)

    def is_in(self, x, items):
        return x.is_in(items)

    def year(self, d):
        return d.dt.year().cast(self.pl.Int32)

    def month(self, d):
        return d.dt.month().cast(self.pl.Int32)

    def day(self, d):
        return d.dt.day().cast(self.pl.Int32)

    def date(self, y, m, d):
        return self.pl.date(y, m, d)

    def add_days(self, d, n):
        return d + self.pl.duration(days=n)

    def flags(self, names, xs):
        # A bit mask, then one gather into an Enum of every combination: building strings
        # row by row costs ~10x more.
        pl = self.pl
        mask = pl.sum_horizontal([x.fill_null(False).cast(pl.UInt32) * (1 << i) for i, x in enumerate(xs)])
        combos = [",".join(n for i, n in enumerate(names) if m >> i & 1) for m in range(1 << len(names))]
        return pl.lit(pl.Series(combos, dtype=pl.Enum(list(dict.fromkeys(combos))))).gather(mask)


SCALAR = ScalarOps()

# ------------------------------------------------------------------ dates, defined once


def is_leap(o: Ops, y: Any) -> Any:
    """Gregorian leap year."""
    div = lambda n: o.binary("==", o.binary("%", y, o.lit(n)), o.lit(0))  # noqa: E731
    return o.all([div(4), o.any([o.not_(div(100)), div(400)])])


def _feb29(o: Ops, d: Any) -> Any:
    return o.all([o.binary("==", o.month(d), o.lit(2)), o.binary("==", o.day(d), o.lit(29))])


def anniversary(o: Ops, d: Any, years: Any, leap: Any) -> Any:
    """The ``years``-th anniversary of ``d``. A 29 February date has none in a common year:
    it falls on 1 March where ``leap`` is "march_1", on 28 February where "february_28".
    Missing where any operand is."""
    return o.when(o.is_null(leap), lambda: o.lit(None), lambda: _anniversary(o, d, years, leap))


def _anniversary(o: Ops, d: Any, years: Any, leap: Any) -> Any:
    y = o.binary("+", o.year(d), years)
    clamp = o.all([_feb29(o, d), o.not_(is_leap(o, y))])
    day = o.when(clamp, lambda: o.lit(28), lambda: o.day(d))
    shifted = o.date(y, o.month(d), day)
    march = o.all([clamp, o.binary("==", leap, o.lit("march_1"))])
    return o.when(march, lambda: o.add_days(shifted, o.lit(1)), lambda: shifted)


def completed_years(o: Ops, start: Any, end: Any, leap: Any) -> Any:
    """Whole years from ``start`` to ``end`` with the same leap-day reading as
    :func:`anniversary` (so completed_years(s, e) >= n iff e >= anniversary(s, n))."""
    return o.when(o.is_null(leap), lambda: o.lit(None), lambda: _completed_years(o, start, end, leap))


def _completed_years(o: Ops, start: Any, end: Any, leap: Any) -> Any:
    md = lambda d: o.binary("+", o.binary("*", o.month(d), o.lit(100)), o.day(d))  # noqa: E731
    smd, emd = md(start), md(end)
    clamp = o.all([o.binary("==", smd, o.lit(229)), o.not_(is_leap(o, o.year(end)))])
    march = o.binary("==", leap, o.lit("march_1"))
    due = o.when(clamp, lambda: o.when(march, lambda: o.lit(301), lambda: o.lit(228)), lambda: smd)
    years = o.binary("-", o.year(end), o.year(start))
    return o.binary("-", years, o.when(o.binary("<", emd, due), lambda: o.lit(1), lambda: o.lit(0)))


def months_until(o: Ops, start: Any, end: Any) -> Any:
    """:class:`keicar.engine.expr.MonthsUntil`: 12 x years + months between the two dates, plus
    one where ``end``'s day of the month is later than ``start``'s; never below 0."""
    months = o.binary("+", o.binary("*", o.binary("-", o.year(end), o.year(start)), o.lit(12)),
                      o.binary("-", o.month(end), o.month(start)))
    later_day = o.binary(">", o.day(end), o.day(start))
    n = o.binary("+", months, o.when(later_day, lambda: o.lit(1), lambda: o.lit(0)))
    return o.when(o.binary("<", n, o.lit(0)), lambda: o.lit(0), lambda: n)


# ------------------------------------------------------------------ the meaning of each node

Run = Callable[[E.Expr], Any]


def _values(run: Run, xs) -> list:
    return [run(x) for x in xs]


MEANING: dict[type, Callable[[Any, Run, Ops], Any]] = {
    E.Cmp: lambda e, run, o: o.binary(e.op, run(e.a), run(e.b)),
    E.Arith: lambda e, run, o: o.binary(e.op, run(e.a), run(e.b)),
    E.And: lambda e, run, o: o.all(_values(run, e.xs)),
    E.Or: lambda e, run, o: o.any(_values(run, e.xs)),
    E.Not: lambda e, run, o: o.not_(run(e.x)),
    E.IsNull: lambda e, run, o: o.is_null(run(e.x)),
    E.If: lambda e, run, o: o.when(run(e.cond), lambda: run(e.then), lambda: run(e.else_)),
    E.Coalesce: lambda e, run, o: o.coalesce([(lambda x=x: run(x)) for x in e.xs]),
    E.MaxOf: lambda e, run, o: o.max(_values(run, e.xs)),
    E.IsIn: lambda e, run, o: o.is_in(run(e.x), run(e.items)),
    E.Year: lambda e, run, o: o.year(run(e.date)),
    E.MonthStart: lambda e, run, o: (lambda d: o.date(o.year(d), o.month(d), o.lit(1)))(run(e.date)),
    E.JanFirst: lambda e, run, o: o.date(run(e.year), o.lit(1), o.lit(1)),
    E.Anniversary: lambda e, run, o: anniversary(o, run(e.date), run(e.years), run(e.leap)),
    E.CompletedYears: lambda e, run, o: completed_years(o, run(e.start), run(e.end), run(e.leap)),
    E.Flags: lambda e, run, o: o.flags(e.names, _values(run, e.conds)),
    E.MonthsUntil: lambda e, run, o: months_until(o, run(e.start), run(e.end)),
}


def scalar_anniversary(d: dt.date, years: int, leap: str) -> dt.date | None:
    """:func:`anniversary` of one date (for rules computed outside an expression)."""
    return anniversary(SCALAR, d, years, leap)


def scalar_completed_years(start: dt.date, end: dt.date, leap: str) -> int | None:
    return completed_years(SCALAR, start, end, leap)
