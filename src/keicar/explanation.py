"""Explanation steps: one check of a vehicle (``keicar.rules.model.Check``) evaluated with
the explainer, with exactly the dated parameter values the step read. Shared by the US,
state and country blocks of ``keicar check``."""

from __future__ import annotations

from typing import Any

from keicar.engine.explain import Evaluator, Read
from keicar.engine.parameters import Law, Value
from keicar.engine.variables import read_records
from keicar.present.jsonout import plain
from keicar.rules.model import Check


def _eval_reading(ev: Evaluator, expr) -> tuple[Any, list[Read]]:
    ev.reads = []
    value = ev.eval(expr)
    return value, [r for r in ev.reads if r.entry is not None]


def step(check: Check, ev: Evaluator) -> dict[str, Any] | None:
    """Evaluate one check for the explanation; None when it does not apply. ``reads`` lists
    every dated value the step's figure and limit read; ``citation``, ``effective`` and
    ``confidence`` are those of the limit's deciding value (the last one its formula read)."""
    if ev.eval(check.applies) is not True:
        return None
    value, value_reads = _eval_reading(ev, check.value)
    limit, limit_reads = _eval_reading(ev, check.limit)
    passed = ev.eval(check.passed)
    entry: Value | None = limit_reads[-1].entry if limit_reads else None
    out: dict[str, Any] = {
        "rule": check.name,
        "label": check.label,
        "passed": passed,
        "value": plain(value),
        "limit": plain(limit),
        "unit": check.unit,
        "op": check.op,
        "effective": plain(entry.since) if entry else None,
        "citation": entry.citation if entry else None,
        "citations": entry.citations if entry else [],
        "confidence": entry.confidence if entry else None,
        "parameter": limit_reads[-1].path if limit_reads else None,
        "reads": read_records(value_reads + limit_reads),
    }
    if entry and entry.disputed:
        out["disputed"] = [d.get("claim") for d in entry.disputed]
    if entry and entry.note:
        out["note"] = entry.note.strip()
    if passed is False and isinstance(value, (int, float)) and isinstance(limit, (int, float)):
        out["excess"] = round(value - limit, 3)
    return out


def steps(checks, ev: Evaluator) -> list[dict[str, Any]]:
    """The steps of ``checks`` that apply, in order."""
    return [s for s in (step(c, ev) for c in checks) if s is not None]


def variable_values(law: Law, row: dict[str, Any], have: tuple[str, ...] = (),
                    prefix: str = "") -> dict[str, Any]:
    """``{name: value}`` of every registry variable (``keicar.rules.registry``) whose needs
    are in ``have`` and whose name starts with ``prefix``: the values
    :func:`keicar.engine.variables.trace` gives (dates as YYYY-MM-DD, ``names`` comma-joined),
    each shared sub-tree evaluated once."""
    from keicar.rules.registry import registry

    ev = Evaluator(law, row, remember=True)  # variables share sub-trees: evaluate each once
    return {v.name: plain(ev.eval(v.formula)) for v in registry(law).select(have=have)
            if v.name.startswith(prefix)}


def names(value: str | None) -> list[str]:
    """A ``names`` variable's value (comma-joined) as a list."""
    return value.split(",") if value else []
