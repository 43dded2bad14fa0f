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
from .semantics import MEANING, SCALAR


@dataclass(frozen=True)
class Read:
    """One parameter read: which value of ``path`` was in force on ``at``."""
    path: str
    at: dt.date
    entry: Value | None


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
        meaning = MEANING.get(t)
        if meaning is None:
            raise TypeError(f"unknown expression node {t.__name__}")
        if self._memo is None:
            return meaning(e, self.eval, SCALAR)
        key = id(e)  # the caller keeps the expressions alive while this evaluator lives
        if key not in self._memo:
            self._memo[key] = meaning(e, self.eval, SCALAR)
        return self._memo[key]

    def _state_param(self, e: E.StateParam) -> Any:
        at = self.eval(e.at)
        path, entry = state_entry(self.law, e, self.eval(e.state), at)
        if path and entry is not None:
            self.reads.append(Read(path, at, entry))
        return state_attr(entry, e.attr)


def evaluate(law: Law, row: dict[str, Any], e: E.Expr) -> tuple[Any, list[Read]]:
    ev = Evaluator(law, row)
    return ev.eval(e), ev.reads
