"""Variables: every answer keicar gives, as a name, a label, a type, the provision it
implements and one formula (in the spirit of OpenFisca's variables).

A :class:`Variable` knows nothing of how it is computed: :func:`trace` runs its formula with
the explainer for one vehicle (its value and exactly the dated parameter values it read, with
their citations), :func:`columns` compiles formulas into Polars columns for a table (the date
asked as a constant or a column). Both read the same formula, so a table gets every answer
one vehicle gets. The variables themselves are declared next to their rules
(``keicar.rules``) and collected by ``keicar.rules.registry``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from . import expr as E
from .explain import Evaluator, Read
from keicar.present.jsonout import plain
from .parameters import Law, Value

VALUE_TYPES = ("bool", "date", "number", "enum", "text", "names")


@dataclass(frozen=True)
class Variable:
    """One answer. ``implements`` names the parameter whose citation is the provision the
    formula implements (read at the date asked, so the citation is the one in force);
    ``needs`` the inputs beyond the vehicle (``state``, ``entry_date``, ``price_usd``, …)
    without which the variable is not computed."""

    name: str
    label: str
    value_type: str
    formula: E.Expr
    implements: str | None = None
    unit: str | None = None
    values_allowed: tuple[str, ...] | None = None
    needs: tuple[str, ...] = ()
    column: str | None = None
    doc: str = ""

    def __post_init__(self):
        if self.value_type not in VALUE_TYPES:
            raise ValueError(f"{self.name}: value_type {self.value_type!r} not in {VALUE_TYPES}")

    @property
    def column_name(self) -> str:
        """The variable's column in a table: its name with dots as underscores."""
        return self.column or self.name.replace(".", "_")

    def provision(self, law: Law, on: dt.date | None) -> dict[str, Any] | None:
        """Citation and URL of the provision, as the law data has them on ``on``."""
        if self.implements is None:
            return None
        p = law.param(self.implements)
        entry = p.entry(on) if on is not None else None
        entry = entry or p.values[-1]
        ref = entry.references[0]
        return {"parameter": self.implements, "citation": ref.cites, "href": ref.href}

    def describe(self, law: Law, on: dt.date | None = None) -> dict[str, Any]:
        out = {"name": self.name, "label": self.label, "type": self.value_type,
               "column": self.column_name, "unit": self.unit,
               "values_allowed": list(self.values_allowed) if self.values_allowed else None,
               "needs": list(self.needs), "provision": self.provision(law, on)}
        if self.doc:
            out["doc"] = " ".join(self.doc.split())
        return out


class Registry:
    """Variables by name, in declaration order."""

    def __init__(self, variables: Iterable[Variable] = ()):
        self._vars: dict[str, Variable] = {}
        for v in variables:
            self.add(v)

    def add(self, v: Variable) -> Variable:
        if v.name in self._vars:
            raise ValueError(f"variable {v.name!r} declared twice")
        self._vars[v.name] = v
        return v

    def __getitem__(self, name: str) -> Variable:
        return self._vars[name]

    def __contains__(self, name: str) -> bool:
        return name in self._vars

    def __iter__(self):
        return iter(self._vars.values())

    def __len__(self) -> int:
        return len(self._vars)

    def names(self) -> list[str]:
        return list(self._vars)

    def select(self, names: Iterable[str] | None = None, have: Iterable[str] = ()) -> list[Variable]:
        """The variables named (all by default) whose ``needs`` are all in ``have``."""
        have = set(have)
        chosen = self if names is None else [self[n] for n in names]
        return [v for v in chosen if set(v.needs) <= have]


def read_records(reads: list[Read]) -> list[dict[str, Any]]:
    """Each distinct dated value read, in order of reading: parameter, value, in force since,
    citation, confidence (and basis, where the value has one)."""
    out, seen = [], set()
    for r in reads:
        e = r.entry
        if e is None or (r.path, e.since) in seen:
            continue
        seen.add((r.path, e.since))
        item = {"parameter": r.path, "value": plain(e.value), "since": e.since.isoformat(),
                "citation": e.citation, "confidence": e.confidence}
        if e.basis:
            item["basis"] = e.basis
        out.append(item)
    return out


def trace(law: Law, row: dict[str, Any], variable: Variable) -> dict[str, Any]:
    """``variable`` for one vehicle: its value and each dated parameter value the formula
    read (:func:`read_records`), in order of reading."""
    ev = Evaluator(law, row)
    value = ev.eval(variable.formula)
    return {"name": variable.name, "value": plain(value), "reads": read_records(ev.reads)}


def columns(law: Law, variables: Iterable[Variable], constants: dict[str, Any] | None = None,
            rename: dict[str, E.Expr] | None = None):
    """Polars expressions, one per variable, named by ``column_name``. ``constants`` are
    inputs the same for every row (e.g. ``on`` when one date is asked); every other input is
    read from the frame's column of that name, or from ``rename``'s expressions."""
    from .vectorized import Compiler

    comp = Compiler(law, constants or {})
    out = []
    for v in variables:
        formula = E.substitute(v.formula, rename) if rename else v.formula
        out.append(comp.compile(formula).alias(v.column_name))
    return out


def value_notes(v: Value) -> dict[str, Any]:
    """What a dated value says beyond its value and confidence, where it says it: its basis,
    a date known only to the month or year, its note."""
    out: dict[str, Any] = {}
    if v.basis:
        out["basis"] = v.basis
    if v.date_precision != "day":
        out["date_precision"] = v.date_precision
    if v.note:
        out["note"] = " ".join(str(v.note).split())
    return out


def parameter_record(law: Law, path: str) -> dict[str, Any]:
    """One parameter with every dated value and its references (``GET /v1/parameters/…``).
    Raises KeyError for an unknown path, with the closest known paths in the message."""
    from .parameters import Parameter

    try:
        p = law.get(path)
    except KeyError:
        raise KeyError(_closest(law, path)) from None
    if not isinstance(p, Parameter):
        children = sorted(p.children) if hasattr(p, "children") else []
        raise KeyError(f"{path!r} is a group of parameters: {', '.join(children[:20])}")
    values = []
    for v in p.values:
        item = {"since": v.since.isoformat(), "value": plain(v.value), "confidence": v.confidence,
                "references": [{"title": r.title, "href": r.href, "citation": r.citation,
                                "seen": r.seen.isoformat() if r.seen else None} for r in v.references]}
        item.update(value_notes(v))
        if v.disputed:
            item["disputed"] = [{"claim": d.get("claim"), "value": plain(d.get("value"))} for d in v.disputed]
        values.append(item)
    return {"path": path, "description": p.description, "unit": p.unit,
            "values_allowed": list(p.values_allowed) if p.values_allowed else None, "values": values}


def _closest(law: Law, path: str) -> str:
    import difflib

    known = [p.path for node in law.load_all() for p in node.walk()]
    near = difflib.get_close_matches(path, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return f"{path!r} is not a parameter{hint}"
