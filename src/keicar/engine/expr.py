"""A tiny typed expression language for rules.

Rules are written once with these nodes. Two runners give them meaning:
``keicar.engine.explain`` evaluates them for one vehicle and records which parameters (and
so which citations) each step used; ``keicar.engine.vectorized`` compiles them into Polars
expressions for tables. Both follow Kleene (SQL) logic for missing values: a comparison
with a missing operand is missing, ``And`` is False if any operand is False, else missing if
any is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Expr:
    def __le__(self, other): return Cmp("<=", self, _e(other))
    def __lt__(self, other): return Cmp("<", self, _e(other))
    def __ge__(self, other): return Cmp(">=", self, _e(other))
    def __gt__(self, other): return Cmp(">", self, _e(other))
    def eq(self, other): return Cmp("==", self, _e(other))
    def ne(self, other): return Cmp("!=", self, _e(other))
    # ``==`` and ``!=`` build comparisons (as in Polars), so ``E.Col("body") == "truck"`` is a
    # rule, never a silent ``False``; and an expression has no truth value, so ``a and b``,
    # ``if expr:`` or ``expr in (...)`` raise instead of quietly dropping an operand.
    def __eq__(self, other): return Cmp("==", self, _e(other))  # type: ignore[override]
    def __ne__(self, other): return Cmp("!=", self, _e(other))  # type: ignore[override]

    def __bool__(self):
        raise TypeError("a rule expression has no truth value: combine with & | ~ "
                        "(or E.And / E.Or / E.Not), compare with == != < <= > >=")
    def __add__(self, other): return Arith("+", self, _e(other))
    def __sub__(self, other): return Arith("-", self, _e(other))
    def __mul__(self, other): return Arith("*", self, _e(other))
    def __truediv__(self, other): return Arith("/", self, _e(other))
    def __and__(self, other): return And((self, _e(other)))
    def __or__(self, other): return Or((self, _e(other)))
    def __invert__(self): return Not(self)
    def is_null(self): return IsNull(self)

    __hash__ = object.__hash__


def _e(x: Any) -> Expr:
    return x if isinstance(x, Expr) else Lit(x)


@dataclass(frozen=True, eq=False)
class Col(Expr):
    """An input column (a vehicle attribute, or the date asked ``on``)."""
    name: str


@dataclass(frozen=True, eq=False)
class Lit(Expr):
    value: Any


@dataclass(frozen=True, eq=False)
class Param(Expr):
    """The value of the parameter ``path`` in force on the date ``at`` (per row)."""
    path: str
    at: Expr


@dataclass(frozen=True, eq=False)
class Since(Expr):
    """The date from which the value of ``path`` in force on ``at`` applies."""
    path: str
    at: Expr


@dataclass(frozen=True, eq=False)
class FirstDate(Expr):
    """The first date on which ``path`` has a value: before it, that law did not exist."""
    path: str


@dataclass(frozen=True, eq=False)
class StateParam(Expr):
    """A parameter of the jurisdiction named per row: the value of
    ``{prefix}.{state}.{field}`` in force on ``at`` (e.g. ``us.states.TX.status``).

    ``attr`` picks what is returned: ``"value"``, ``"since"`` (the date that value took
    effect), ``"confidence"`` or ``"basis"`` (what the value rests on). Missing (None) where the state is missing or unknown, where
    its file has no such parameter, or before the parameter's first date. ``field`` may be
    dotted (``car.status``, ``definition.max_width_in``)."""
    field: str
    state: Expr
    at: Expr
    attr: str = "value"
    prefix: str = "us.states"


@dataclass(frozen=True, eq=False)
class Cmp(Expr):
    op: str
    a: Expr
    b: Expr


@dataclass(frozen=True, eq=False)
class Arith(Expr):
    """``a op b`` for op in + - * / (missing if either is missing)."""
    op: str
    a: Expr
    b: Expr


@dataclass(frozen=True, eq=False)
class And(Expr):
    xs: tuple


@dataclass(frozen=True, eq=False)
class Or(Expr):
    xs: tuple


@dataclass(frozen=True, eq=False)
class Not(Expr):
    x: Expr


@dataclass(frozen=True, eq=False)
class IsNull(Expr):
    x: Expr


@dataclass(frozen=True, eq=False)
class If(Expr):
    """``then`` where ``cond`` is True; ``else_`` where it is False or missing."""
    cond: Expr
    then: Expr
    else_: Expr


@dataclass(frozen=True, eq=False)
class Coalesce(Expr):
    xs: tuple


@dataclass(frozen=True, eq=False)
class MaxOf(Expr):
    """Largest non-missing operand (missing when all are missing)."""
    xs: tuple


@dataclass(frozen=True, eq=False)
class IsIn(Expr):
    """``x`` is one of the items of the list-valued expression ``items``."""
    x: Expr
    items: Expr


@dataclass(frozen=True, eq=False)
class Year(Expr):
    date: Expr


@dataclass(frozen=True, eq=False)
class MonthStart(Expr):
    """The first day of the month of ``date`` (rules counted by month and year)."""
    date: Expr


@dataclass(frozen=True, eq=False)
class JanFirst(Expr):
    """1 January of the integer year ``year``."""
    year: Expr


@dataclass(frozen=True, eq=False)
class Anniversary(Expr):
    """The ``years``-th anniversary of ``date``. A 29 February date falls on 1 March in a
    year without one when ``leap`` is "march_1", on 28 February when "february_28"."""
    date: Expr
    years: Expr
    leap: Expr


@dataclass(frozen=True, eq=False)
class CompletedYears(Expr):
    """Whole years completed from ``start`` to ``end``, with the same leap-day reading as
    ``Anniversary`` (so ``CompletedYears(s, e) >= n`` iff ``e >= Anniversary(s, n)``)."""
    start: Expr
    end: Expr
    leap: Expr


@dataclass(frozen=True, eq=False)
class MonthsUntil(Expr):
    """Whole calendar months from ``start`` until ``end``, a part month counted as a whole:
    the least n >= 0 with ``start`` + n months on or after ``end`` (a day the month lacks
    falls on its last day: 31 January + 1 month = 28 February). 0 when ``end`` is not after
    ``start``."""
    start: Expr
    end: Expr


@dataclass(frozen=True, eq=False)
class Flags(Expr):
    """The ``names`` whose condition in ``conds`` is True, joined by commas in order ("" when
    none; a missing condition counts as not True): e.g. the limits a vehicle fails."""
    names: tuple
    conds: tuple



@dataclass(frozen=True, eq=False)
class Lower(Expr):
    """The least value ``x`` may take when an input is a set (``x`` itself when exact)."""
    x: Expr


@dataclass(frozen=True, eq=False)
class Upper(Expr):
    """The greatest value ``x`` may take when an input is a set (``x`` itself when exact):
    e.g. the conservative (latest) eligibility date of a vehicle built within a window."""
    x: Expr


@dataclass(frozen=True, eq=False)
class Hull(Expr):
    """The set from ``Lower(lo)`` to ``Upper(hi)`` (e.g. the earliest and latest eligibility
    date). Only at the top of a formula: its value is a window, which no node reads."""
    lo: Expr
    hi: Expr


def all_of(*xs: Expr) -> Expr:
    return And(tuple(xs))


def any_of(*xs: Expr) -> Expr:
    return Or(tuple(xs))


def substitute(expr: Expr, columns: dict[str, Expr]) -> Expr:
    """``expr`` with the input columns named in ``columns`` replaced (shared sub-trees stay
    shared)."""
    import dataclasses

    memo: dict[int, Any] = {}

    def sub(e: Any) -> Any:
        if isinstance(e, tuple):
            return tuple(sub(x) for x in e)
        if not isinstance(e, Expr):
            return e
        if id(e) not in memo:
            if isinstance(e, Col):
                memo[id(e)] = columns.get(e.name, e)
            else:
                changes = {k: sub(v) for k, v in vars(e).items() if isinstance(v, (Expr, tuple))}
                memo[id(e)] = dataclasses.replace(e, **changes) if changes else e
        return memo[id(e)]

    return sub(expr)


def params_in(expr: Expr) -> list[str]:
    """Every parameter path an expression reads, in order of first appearance."""
    out: list[str] = []

    def visit(e: Any) -> None:
        if isinstance(e, (Param, Since, FirstDate)) and e.path not in out:
            out.append(e.path)
        if isinstance(e, Expr):
            for v in vars(e).values():
                if isinstance(v, Expr):
                    visit(v)
                elif isinstance(v, tuple):
                    for x in v:
                        visit(x)

    visit(expr)
    return out
