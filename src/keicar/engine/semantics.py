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
from keicar.inputs.sets import Span  # noqa: F401 - the set value both runners share

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


# ------------------------------------------------------------------ sets of values
#
# An input may be a set: a number known only as a range (1755-1800 mm) or as alternatives
# (657|658 cc, read as their hull), a build date known only as a window (a year, a range of
# months). A set is its hull [lo, hi] in the value's order (False < True for booleans, code
# points for text). Each node's meaning over sets is written once here, against the exact
# algebra of either runner (SetOps wraps ScalarOps or PolarsOps): a monotone node maps the
# ends to the ends; a comparison is True when it holds at the worst end, False when it fails
# at the best one, and unknown (the set [False, True]) otherwise; And/Or/Not act on the ends
# (Kleene); If with an unknown condition gives the hull of both branches (one value when they
# agree). The result is sound: a definite answer holds for every value of the inputs; an
# answer can be unknown although every value agrees (two inputs moving together), never the
# other way round. Exact inputs never reach this code: the explainer uses SetOps only for a
# row holding a set, the Polars compiler only for the sub-trees that read a set column.


UNKNOWN = Span(False, True)


class SetOps(Ops):
    """The meaning of each operation over sets, on top of an exact algebra ``base``."""

    def __init__(self, base: Ops):
        self.base = base

    # representation: subclasses say what a set is
    def is_set(self, x: Any) -> bool: raise NotImplementedError
    def make_set(self, lo: Any, hi: Any) -> Any: raise NotImplementedError
    def is_true(self, x: Any) -> Any: raise NotImplementedError
    def min_strict(self, a: Any, b: Any) -> Any: raise NotImplementedError

    def parts(self, x: Any) -> tuple:
        return tuple(x) if self.is_set(x) else (x, x)

    def lift(self, f: Callable, *args: tuple) -> Any:
        """``f`` over ``args`` given as (value, direction): +1 where ``f`` grows with that
        operand, -1 where it shrinks, 0 where the operand must be exact."""
        if not any(self.is_set(v) for v, _ in args):
            return f(*(v for v, _ in args))
        lo, hi = [], []
        for v, way in args:
            a, b = self.parts(v)
            if way == 0 and self.is_set(v):
                raise TypeError("this operand must be exact, not a set")
            lo.append(a if way >= 0 else b)
            hi.append(b if way >= 0 else a)
        return self.make_set(f(*lo), f(*hi))

    def lit(self, value):
        return self.base.lit(value)

    def binary(self, op, a, b):
        if not (self.is_set(a) or self.is_set(b)):
            return self.base.binary(op, a, b)
        o = self.base
        (al, ah), (bl, bh) = self.parts(a), self.parts(b)
        if op in ("<=", "<"):
            return self.make_set(o.binary(op, ah, bl), o.binary(op, al, bh))
        if op in (">=", ">"):
            return self.make_set(o.binary(op, al, bh), o.binary(op, ah, bl))
        if op in ("==", "!="):
            same = o.all([o.binary("==", al, ah), o.binary("==", bl, bh), o.binary("==", al, bl)])
            meet = o.all([o.binary("<=", al, bh), o.binary("<=", bl, ah)])
            return self.make_set(same, meet) if op == "==" else self.make_set(o.not_(meet), o.not_(same))
        if op == "+":
            return self.make_set(o.binary("+", al, bl), o.binary("+", ah, bh))
        if op == "-":
            return self.make_set(o.binary("-", al, bh), o.binary("-", ah, bl))
        if op in ("*", "/"):
            ends = [o.binary(op, x, y) for x in (al, ah) for y in (bl, bh)]
            return self.make_set(self.min_all(ends), o.max(ends))
        raise TypeError(f"{op!r} is not defined over a set of values")

    def min_all(self, xs: list) -> Any:
        out = xs[0]
        for x in xs[1:]:
            out = self.min_strict(out, x)
        return out

    def all(self, xs):
        if not any(self.is_set(x) for x in xs):
            return self.base.all(xs)
        ends = [self.parts(x) for x in xs]
        return self.make_set(self.base.all([a for a, _ in ends]), self.base.all([b for _, b in ends]))

    def any(self, xs):
        if not any(self.is_set(x) for x in xs):
            return self.base.any(xs)
        ends = [self.parts(x) for x in xs]
        return self.make_set(self.base.any([a for a, _ in ends]), self.base.any([b for _, b in ends]))

    def not_(self, x):
        return self.lift(self.base.not_, (x, -1))

    def is_null(self, x):
        if not self.is_set(x):
            return self.base.is_null(x)
        a, b = self.parts(x)
        o = self.base
        return self.make_set(o.all([o.is_null(a), o.is_null(b)]), o.any([o.is_null(a), o.is_null(b)]))

    def when(self, cond, then, otherwise):
        if not self.is_set(cond):
            return self.base.when(cond, then, otherwise)
        o = self.base
        cl, ch = self.parts(cond)
        (tl, th), (el, eh) = self.parts(then()), self.parts(otherwise())
        # then where the condition surely holds, else where it surely does not (or is
        # missing, as for an exact condition), both where it may go either way
        surely, maybe = self.is_true(cl), self.is_true(ch)
        lo = o.when(surely, lambda: tl, lambda: o.when(maybe, lambda: self.min_strict(tl, el), lambda: el))
        hi = o.when(surely, lambda: th, lambda: o.when(maybe, lambda: o.max([th, eh]), lambda: eh))
        return self.make_set(lo, hi)

    def coalesce(self, xs):
        vals = [x() for x in xs]
        if not any(self.is_set(v) for v in vals):
            return self.base.coalesce([(lambda v=v: v) for v in vals])
        ends = [self.parts(v) for v in vals]
        return self.make_set(self.base.coalesce([(lambda a=a: a) for a, _ in ends]),
                             self.base.coalesce([(lambda b=b: b) for _, b in ends]))

    def max(self, xs):
        if not any(self.is_set(x) for x in xs):
            return self.base.max(xs)
        ends = [self.parts(x) for x in xs]
        return self.make_set(self.base.max([a for a, _ in ends]), self.base.max([b for _, b in ends]))

    def is_in(self, x, items):
        return self.set_member(x, lambda v: self.base.is_in(v, items))

    def set_member(self, x, member: Callable) -> Any:
        """``member`` (an exact membership test) over a set: surely in when the set is one
        value that is in; possibly in when an end is in or the set has values between."""
        if not self.is_set(x):
            return member(x)
        o = self.base
        a, b = self.parts(x)
        one = o.binary("==", a, b)
        return self.make_set(o.all([one, member(a)]), o.any([member(a), member(b), o.not_(one)]))

    def year(self, d):
        return self.lift(self.base.year, (d, 1))

    def month(self, d):
        return self.lift(self.base.month, (d, 0))

    def day(self, d):
        return self.lift(self.base.day, (d, 0))

    def date(self, y, m, d):
        return self.lift(self.base.date, (y, 1), (m, 0), (d, 0))

    def add_days(self, d, n):
        return self.lift(self.base.add_days, (d, 1), (n, 1))

    def flags(self, names, xs):
        # lo: the names surely flagged; hi: the names possibly flagged
        return self.lift(lambda *v: self.base.flags(names, list(v)), *((x, 1) for x in xs))


class ScalarSetOps(SetOps):
    def is_set(self, x):
        return type(x) is Span

    def make_set(self, lo, hi):
        if lo == hi and type(lo) is type(hi):
            return lo
        return Span(lo, hi)

    def is_true(self, x):
        return x is True

    def min_strict(self, a, b):
        return None if a is None or b is None else min(a, b)


class PolarsSetOps(SetOps):
    """A set is a pair (lo, hi) of expressions; the compiler decides where pairs appear."""

    def is_set(self, x):
        return isinstance(x, tuple)

    def make_set(self, lo, hi):
        return (lo, hi)

    def is_true(self, x):
        return x.fill_null(False)

    def min_strict(self, a, b):
        pl = self.base.pl
        return pl.when(a.is_null() | b.is_null()).then(None).otherwise(pl.min_horizontal(a, b))

    def when(self, cond, then, otherwise):
        if self.is_set(cond):
            return super().when(cond, then, otherwise)
        t, e = then(), otherwise()
        if not (self.is_set(t) or self.is_set(e)):
            return self.base.when(cond, lambda: t, lambda: e)
        (tl, th), (el, eh) = self.parts(t), self.parts(e)
        return (self.base.when(cond, lambda: tl, lambda: el), self.base.when(cond, lambda: th, lambda: eh))


SCALAR_SETS = ScalarSetOps(SCALAR)


def lift_node(o: Ops, f: Callable, *args: tuple) -> Any:
    """``f(base_ops, *values)`` lifted over sets where ``o`` is a SetOps."""
    if isinstance(o, SetOps):
        return o.lift(lambda *xs: f(o.base, *xs), *args)
    return f(o, *(v for v, _ in args))


def lower(o: Ops, x: Any) -> Any:
    return o.parts(x)[0] if isinstance(o, SetOps) else x


def upper(o: Ops, x: Any) -> Any:
    return o.parts(x)[1] if isinstance(o, SetOps) else x


def hull(o: Ops, a: Any, b: Any) -> Any:
    """The set from the lower end of ``a`` to the upper end of ``b``."""
    if isinstance(o, SetOps):
        return o.make_set(o.parts(a)[0], o.parts(b)[1])
    return a if a is b else (a, b) if isinstance(o, PolarsOps) else ScalarSetOps(o).make_set(a, b)


MEANING.update({
    E.Year: lambda e, run, o: lift_node(o, lambda b, d: b.year(d), (run(e.date), 1)),
    E.MonthStart: lambda e, run, o: lift_node(
        o, lambda b, d: b.date(b.year(d), b.month(d), b.lit(1)), (run(e.date), 1)),
    E.JanFirst: lambda e, run, o: lift_node(o, lambda b, y: b.date(y, b.lit(1), b.lit(1)), (run(e.year), 1)),
    E.Anniversary: lambda e, run, o: lift_node(
        o, anniversary, (run(e.date), 1), (run(e.years), 1), (run(e.leap), 0)),
    E.CompletedYears: lambda e, run, o: lift_node(
        o, completed_years, (run(e.start), -1), (run(e.end), 1), (run(e.leap), 0)),
    # whole months from start to end: fewer the later the start, more the later the end
    E.MonthsUntil: lambda e, run, o: lift_node(o, months_until, (run(e.start), -1), (run(e.end), 1)),
    E.Lower: lambda e, run, o: lower(o, run(e.x)),
    E.Upper: lambda e, run, o: upper(o, run(e.x)),
    E.Hull: lambda e, run, o: hull(o, run(e.lo), run(e.hi)),
})
