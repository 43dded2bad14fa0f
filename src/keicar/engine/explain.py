"""Evaluate rule expressions for one vehicle, recording every parameter read.

This is the per-vehicle runner: slow per row (tens of microseconds) but it knows, for each
step, which dated value of which parameter it used, and therefore the effective date and the
citation to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import expr as E
from .parameters import Law, Value
from .semantics import MEANING, SCALAR, SCALAR_SETS, Span


@dataclass(frozen=True)
class Read:
    """One parameter read: which value of ``path`` was in force on ``at``."""
    path: str
    at: dt.date
    entry: Value | None


@dataclass(frozen=True)
class Straddle:
    """A comparison left unknown because an operand is a set on both sides of the other:
    ``cmp.a`` was ``a``, ``cmp.b`` was ``b``."""
    cmp: E.Cmp
    a: Any
    b: Any


def values_between(p, lo: dt.date, hi: dt.date) -> list:
    """Every value of parameter ``p`` in force on some day of [lo, hi] (None before its
    first date), in order."""
    out = [] if p.entry(lo) is not None else [None]
    out += [v.value for v in p.values if v.since <= hi and (v.since > lo or p.entry(lo) is v)]
    return out


def span_of(values: list) -> Any:
    """The hull of ``values``; one value when they agree. Missing where one is missing: on a
    day of the window without the value (before it existed, or after it lapsed) a rule reads
    nothing, so nothing definite follows for the whole window (as each such day gives)."""
    if not values or any(v is None for v in values):
        return None
    return SCALAR_SETS.make_set(min(values), max(values))


def jurisdictions(law: Law, prefix: str) -> tuple[str, ...]:
    """The codes of the law files directly under ``prefix`` (``us.states`` -> AK, AL, ...),
    sorted: the order of the Enum the Polars runner encodes them with."""
    cache = law.__dict__.setdefault("_jurisdictions", {})
    if prefix not in cache:
        head = prefix + "."
        cache[prefix] = tuple(sorted(
            p[len(head):] for p, _ in law.files() if p.startswith(head) and "." not in p[len(head):]))
    return cache[prefix]


def state_param_path(e: "E.StateParam", code: Any) -> str:
    return f"{e.prefix}.{code}.{e.field}"


def state_parameter(law: Law, path: str):
    """The Parameter at ``path``, or None where the file has none (memoised per law: the
    runners ask for the same few paths many times)."""
    cache = law.__dict__.setdefault("_state_params", {})
    if path not in cache:
        cache[path] = law.param(path) if law.has(path) else None
    return cache[path]


def state_entry(law: Law, e: "E.StateParam", code: Any, at: Any) -> tuple[str, Value | None]:
    """(path, value in force on ``at``) of a StateParam for one jurisdiction code."""
    if code is None or at is None or code not in jurisdictions(law, e.prefix):
        return "", None
    path = state_param_path(e, code)
    p = state_parameter(law, path)
    return path, (None if p is None else p.entry(at))


def state_attr(entry: Value | None, attr: str) -> Any:
    if entry is None:
        return None
    if attr == "value":
        return entry.value
    if attr == "since":
        return entry.since
    if attr == "confidence":
        return entry.confidence
    if attr == "basis":
        return entry.basis
    raise ValueError(f"StateParam attr {attr!r}: use value, since, confidence or basis")


class Evaluator:
    """Evaluates expressions for one row. With ``remember=True`` each sub-expression is
    evaluated once for the row (values only: a remembered sub-tree does not record its
    parameter reads again), for computing many variables that share sub-trees."""

    def __init__(self, law: Law, row: dict[str, Any], remember: bool = False):
        self.law = law
        self.row = row
        self.reads: list[Read] = []
        self._memo: dict[int, Any] | None = {} if remember else None
        #: a row holding a set (a range, alternatives, a date window) is evaluated over sets
        self.ops = SCALAR_SETS if any(type(v) is Span for v in row.values()) else SCALAR
        self.straddles: list[Straddle] = []

    def _entry(self, path: str, at: Any) -> Value | None:
        if at is None:
            return None
        entry = self.law.param(path).entry(at)
        self.reads.append(Read(path, at, entry))
        return entry

    def eval(self, e: E.Expr) -> Any:
        t = type(e)
        if t is E.Col:
            return self.row.get(e.name)
        if t is E.Lit:
            return e.value
        if t is E.Param or t is E.Since:
            at = self.eval(e.at)
            if type(at) is Span:
                return self._param_over(e, at)
            entry = self._entry(e.path, at)
            return None if entry is None else entry.value if t is E.Param else entry.since
        if t is E.FirstDate:
            first = self.law.param(e.path).values[0]
            self.reads.append(Read(e.path, first.since, first))
            return first.since
        if t is E.StateParam:
            return self._state_param(e)
        meaning = MEANING.get(t)
        if meaning is None:
            raise TypeError(f"unknown expression node {t.__name__}")
        if self.ops is not SCALAR and t is E.Cmp:
            meaning = self._compare
        if self._memo is None:
            return meaning(e, self.eval, self.ops)
        key = id(e)  # the caller keeps the expressions alive while this evaluator lives
        if key not in self._memo:
            self._memo[key] = meaning(e, self.eval, self.ops)
        return self._memo[key]

    def _compare(self, e: E.Cmp, run, o) -> Any:
        """A comparison over sets, remembering where it is unknown (the reason to give)."""
        a, b = run(e.a), run(e.b)
        out = o.binary(e.op, a, b)
        if type(out) is Span:
            self.straddles.append(Straddle(e, a, b))
        return out

    def _param_over(self, e: E.Param | E.Since, at: Span) -> Any:
        """A dated parameter read on a window of days: the hull of the values in force."""
        lo, hi = at
        if lo is None or hi is None:
            return None
        p = self.law.param(e.path)
        for d in (lo, hi):
            self._entry(e.path, d)
        if type(e) is E.Since:
            ends = [p.entry(d) for d in (lo, hi)]
            return SCALAR_SETS.make_set(*(None if x is None else x.since for x in ends))
        return span_of(values_between(p, lo, hi))

    def _state_param(self, e: E.StateParam) -> Any:
        at = self.eval(e.at)
        if type(at) is Span:
            raise TypeError("a state parameter is read on one date, not a window")
        path, entry = state_entry(self.law, e, self.eval(e.state), at)
        if path and entry is not None:
            self.reads.append(Read(path, at, entry))
        return state_attr(entry, e.attr)


def evaluate(law: Law, row: dict[str, Any], e: E.Expr) -> tuple[Any, list[Read]]:
    ev = Evaluator(law, row)
    return ev.eval(e), ev.reads
