"""A tiny typed expression language for rules.

Rules are written once with these nodes. Two runners give them meaning:
``keicar.engine.explain`` evaluates them for one vehicle and records which parameters (and
so which citations) each step used; ``keicar.engine.vectorized`` compiles them into Polars
expressions for tables. Both follow Kleene (SQL) logic for missing values: a comparison
with a missing operand is missing, ``And`` is False if any operand is False, else missing if
any is missing.
"""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from typing import Any, Callable


class Expr:
    # A node is a frozen dataclass (``dataclasses.fields`` and ``replace`` work on it) whose
    # __init__, __repr__ and refusal to change are written here once (see ``node``).
    _names: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names, kind = self._names, type(self).__name__
        if len(args) > len(names):
            raise TypeError(f"{kind}() takes {len(names)} arguments ({len(args)} given)")
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names or key in values:
                raise TypeError(f"{kind}() got an unexpected or repeated argument {key!r}")
            values[key] = value
        own = self.__dict__  # filled in field order, as vars(node) is read
        for name in names:
            if name in values:
                own[name] = values[name]
            elif name in self._defaults:
                own[name] = self._defaults[name]
            else:
                raise TypeError(f"{kind}() missing argument {name!r}")

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._names)})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

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


def node(cls: type) -> type:
    """A node class: a dataclass of its annotated fields with Expr's __init__, __repr__ and
    immutability. ``@dataclass(frozen=True)`` would generate those four methods for each of
    the ~30 node classes with ``exec``, ~20 ms of every start of keicar."""
    cls = dataclass(init=False, repr=False, eq=False)(cls)
    cls._names = tuple(f.name for f in fields(cls))
    cls._defaults = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    return cls


def _e(x: Any) -> Expr:
    return x if isinstance(x, Expr) else Lit(x)


@node
class Col(Expr):
    """An input column (a vehicle attribute, or the date asked ``on``)."""
    name: str


@node
class Lit(Expr):
    value: Any


@node
class Param(Expr):
    """The value of the parameter ``path`` in force on the date ``at`` (per row)."""
    path: str
    at: Expr


@node
class Since(Expr):
    """The date from which the value of ``path`` in force on ``at`` applies."""
    path: str
    at: Expr


@node
class FirstDate(Expr):
    """The first date on which ``path`` has a value: before it, that law did not exist."""
    path: str


@node
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


@node
class Cmp(Expr):
    op: str
    a: Expr
    b: Expr


@node
class Arith(Expr):
    """``a op b`` for op in + - * / (missing if either is missing)."""
    op: str
    a: Expr
    b: Expr


@node
class And(Expr):
    xs: tuple


@node
class Or(Expr):
    xs: tuple


@node
class Not(Expr):
    x: Expr


@node
class IsNull(Expr):
    x: Expr


@node
class If(Expr):
    """``then`` where ``cond`` is True; ``else_`` where it is False or missing."""
    cond: Expr
    then: Expr
    else_: Expr


@node
class Coalesce(Expr):
    xs: tuple


@node
class MaxOf(Expr):
    """Largest non-missing operand (missing when all are missing)."""
    xs: tuple


@node
class IsIn(Expr):
    """``x`` is one of the items of the list-valued expression ``items``."""
    x: Expr
    items: Expr


@node
class Year(Expr):
    date: Expr


@node
class MonthStart(Expr):
    """The first day of the month of ``date`` (rules counted by month and year)."""
    date: Expr


@node
class JanFirst(Expr):
    """1 January of the integer year ``year``."""
    year: Expr


@node
class Anniversary(Expr):
    """The ``years``-th anniversary of ``date``. A 29 February date falls on 1 March in a
    year without one when ``leap`` is "march_1", on 28 February when "february_28"."""
    date: Expr
    years: Expr
    leap: Expr


@node
class CompletedYears(Expr):
    """Whole years completed from ``start`` to ``end``, with the same leap-day reading as
    ``Anniversary`` (so ``CompletedYears(s, e) >= n`` iff ``e >= Anniversary(s, n)``)."""
    start: Expr
    end: Expr
    leap: Expr


@node
class MonthsUntil(Expr):
    """Whole calendar months from ``start`` until ``end``, a part month counted as a whole:
    the least n >= 0 with ``start`` + n months on or after ``end`` (a day the month lacks
    falls on its last day: 31 January + 1 month = 28 February). 0 when ``end`` is not after
    ``start``."""
    start: Expr
    end: Expr


@node
class Flags(Expr):
    """The ``names`` whose condition in ``conds`` is True, joined by commas in order ("" when
    none; a missing condition counts as not True): e.g. the limits a vehicle fails."""
    names: tuple
    conds: tuple



@node
class Lower(Expr):
    """The least value ``x`` may take when an input is a set (``x`` itself when exact)."""
    x: Expr


@node
class Upper(Expr):
    """The greatest value ``x`` may take when an input is a set (``x`` itself when exact):
    e.g. the conservative (latest) eligibility date of a vehicle built within a window."""
    x: Expr


@node
class Hull(Expr):
    """The set from ``Lower(lo)`` to ``Upper(hi)`` (e.g. the earliest and latest eligibility
    date). Only at the top of a formula: its value is a window, which no node reads."""
    lo: Expr
    hi: Expr


def all_of(*xs: Expr) -> Expr:
    return And(tuple(xs))


def any_of(*xs: Expr) -> Expr:
    return Or(tuple(xs))


def rewrite(expr: Any, replace: Callable[["Expr"], "Expr | None"]) -> Any:
    """``expr`` with each node for which ``replace`` gives an expression replaced by it (its
    sub-tree is not visited); shared sub-trees stay shared."""
    import dataclasses

    memo: dict[int, Any] = {}

    def sub(e: Any) -> Any:
        if isinstance(e, tuple):
            return tuple(sub(x) for x in e)
        if not isinstance(e, Expr):
            return e
        if id(e) not in memo:
            new = replace(e)
            if new is None:  # a node none of whose sub-trees changed stays itself
                changes = {k: sub(v) for k, v in vars(e).items() if isinstance(v, (Expr, tuple))}
                changes = {k: v for k, v in changes.items() if not _same(v, getattr(e, k))}
                new = dataclasses.replace(e, **changes) if changes else e
            memo[id(e)] = new
        return memo[id(e)]

    return sub(expr)


def _same(a: Any, b: Any) -> bool:
    """The same node, or tuples of the same nodes (identity: ``==`` builds a comparison)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(x is y for x, y in zip(a, b))
    return a is b


def substitute(expr: Expr, columns: dict[str, Expr]) -> Expr:
    """``expr`` with the input columns named in ``columns`` replaced (shared sub-trees stay
    shared)."""
    return rewrite(expr, lambda e: columns.get(e.name) if isinstance(e, Col) else None)


def walk(expr: Any, visit: Callable[["Expr"], bool]) -> None:
    """Call ``visit`` on each node, depth first; its sub-trees only where it returns true."""
    if isinstance(expr, tuple):
        for x in expr:
            walk(x, visit)
    elif isinstance(expr, Expr) and visit(expr):
        for v in vars(expr).values():
            walk(v, visit)


def columns_in(expr: Expr) -> set[str]:
    """Every input column an expression reads (shared sub-trees visited once)."""
    out: set[str] = set()
    seen: set[int] = set()

    def visit(e: Expr) -> bool:
        if id(e) in seen:
            return False
        seen.add(id(e))
        if isinstance(e, Col):
            out.add(e.name)
        return True

    walk(expr, visit)
    return out


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
