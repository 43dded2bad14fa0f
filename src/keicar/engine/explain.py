"""Evaluate rule expressions for one vehicle, recording every parameter read.

This is the per-vehicle runner: slow per row (tens of microseconds) but it knows, for each
step, which dated value of which parameter it used, and therefore the effective date and the
citation to show.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import expr as E
from .parameters import Law, Value


@dataclass(frozen=True)
class Read:
    """One parameter read: which value of ``path`` was in force on ``at``."""
    path: str
    at: dt.date
    entry: Value | None


def anniversary(d: dt.date, years: int, leap: str) -> dt.date:
    y = d.year + years
    if d.month == 2 and d.day == 29 and not calendar.isleap(y):
        return dt.date(y, 3, 1) if leap == "march_1" else dt.date(y, 2, 28)
    return d.replace(year=y)


def completed_years(start: dt.date, end: dt.date, leap: str) -> int:
    years = end.year - start.year
    md = (start.month, start.day)
    if md == (2, 29) and not calendar.isleap(end.year):
        md = (3, 1) if leap == "march_1" else (2, 28)
    if (end.month, end.day) < md:
        years -= 1
    return years


_CMP = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}

_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


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
    def __init__(self, law: Law, row: dict[str, Any]):
        self.law = law
        self.row = row
        self.reads: list[Read] = []

    def _entry(self, path: str, at: Any) -> Value | None:
        if at is None:
            return None
        entry = self.law.param(path).entry(at)
        self.reads.append(Read(path, at, entry))
        return entry

    def eval(self, e: E.Expr) -> Any:  # noqa: C901 - one branch per node type
        t = type(e)
        if t is E.Col:
            return self.row.get(e.name)
        if t is E.Lit:
            return e.value
        if t is E.Param:
            entry = self._entry(e.path, self.eval(e.at))
            return None if entry is None else entry.value
        if t is E.Since:
            entry = self._entry(e.path, self.eval(e.at))
            return None if entry is None else entry.since
        if t is E.FirstDate:
            first = self.law.param(e.path).values[0]
            self.reads.append(Read(e.path, first.since, first))
            return first.since
        if t is E.StateParam:
            return self._state_param(e)
        if t is E.Cmp:
            a, b = self.eval(e.a), self.eval(e.b)
            return None if a is None or b is None else _CMP[e.op](a, b)
        if t is E.Arith:
            a, b = self.eval(e.a), self.eval(e.b)
            if a is None or b is None:
                return None
            return _ARITH[e.op](a, b)
        if t is E.And:
            vals = [self.eval(x) for x in e.xs]
            if any(v is False for v in vals):
                return False
            return None if any(v is None for v in vals) else True
        if t is E.Or:
            vals = [self.eval(x) for x in e.xs]
            if any(v is True for v in vals):
                return True
            return None if any(v is None for v in vals) else False
        if t is E.Not:
            v = self.eval(e.x)
            return None if v is None else not v
        if t is E.IsNull:
            return self.eval(e.x) is None
        if t is E.If:
            return self.eval(e.then) if self.eval(e.cond) is True else self.eval(e.else_)
        if t is E.Coalesce:
            for x in e.xs:
                v = self.eval(x)
                if v is not None:
                    return v
            return None
        if t is E.MaxOf:
            vals = [v for v in (self.eval(x) for x in e.xs) if v is not None]
            return max(vals) if vals else None
        if t is E.IsIn:
            x, items = self.eval(e.x), self.eval(e.items)
            if x is None or items is None:
                return None
            return x in items
        if t is E.Year:
            d = self.eval(e.date)
            return None if d is None else d.year
        if t is E.MonthStart:
            d = self.eval(e.date)
            return None if d is None else d.replace(day=1)
        if t is E.JanFirst:
            y = self.eval(e.year)
            return None if y is None else dt.date(y, 1, 1)
        if t is E.Anniversary:
            d, n, leap = self.eval(e.date), self.eval(e.years), self.eval(e.leap)
            return None if d is None or n is None or leap is None else anniversary(d, n, leap)
        if t is E.CompletedYears:
            s, end, leap = self.eval(e.start), self.eval(e.end), self.eval(e.leap)
            return None if s is None or end is None or leap is None else completed_years(s, end, leap)
        raise TypeError(f"unknown expression node {t.__name__}")

    def _state_param(self, e: E.StateParam) -> Any:
        at = self.eval(e.at)
        path, entry = state_entry(self.law, e, self.eval(e.state), at)
        if path and entry is not None:
            self.reads.append(Read(path, at, entry))
        return state_attr(entry, e.attr)


def evaluate(law: Law, row: dict[str, Any], e: E.Expr) -> tuple[Any, list[Read]]:
    ev = Evaluator(law, row)
    return ev.eval(e), ev.reads
