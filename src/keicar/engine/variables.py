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
import dataclasses
from dataclasses import dataclass
from typing import Any, Iterable

from . import expr as E
from .explain import Evaluator, Read, Straddle
from .semantics import Span
from keicar.present.jsonout import plain
from .parameters import Law, Value

#: ``window``: [earliest, latest] dates (equal when the inputs are exact).
VALUE_TYPES = ("bool", "date", "number", "enum", "text", "names", "window")


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
    read (:func:`read_records`), in order of reading. Where an input is a set and the values
    in it give different answers, the value is None and ``unknown`` says between what
    (``range``: the least and greatest answer) and why (``reasons``)."""
    ev = Evaluator(law, row)
    value = ev.eval(variable.formula)
    out = {"name": variable.name, "value": settled(value, variable.value_type),
           "reads": read_records(ev.reads)}
    if type(value) is Span and variable.value_type != "window":
        read = sorted(_set_inputs(variable.formula, row))
        why = reasons(ev.straddles) or [f"{k} is {_shown(row[k])}" for k in read if k != "built_end"]
        inputs = sorted({c for s in ev.straddles for c in _set_inputs(s.cmp, row)})
        out["unknown"] = {"range": [plain(value.lo), plain(value.hi)], "reasons": why,
                          "inputs": inputs or read}
    return out


def _set_inputs(e: Any, row: dict[str, Any]) -> set[str]:
    """The input columns read by ``e`` that hold a set in ``row``."""
    if isinstance(e, E.Col):
        return {e.name} if type(row.get(e.name)) is Span else set()
    out: set[str] = set()
    if isinstance(e, E.Expr):
        for v in vars(e).values():
            for x in v if isinstance(v, tuple) else (v,):
                out |= _set_inputs(x, row)
    return out


def settled(value: Any, value_type: str) -> Any:
    """A variable's value as JSON: None where the inputs leave it open; a window as
    [earliest, latest]."""
    if value_type == "window":
        lo, hi = value if type(value) is Span else (value, value)
        return None if lo is None and hi is None else [plain(lo), plain(hi)]
    return None if type(value) is Span else plain(value)


def _shown(x: Any) -> str:
    if type(x) is Span:
        return f"{_shown(x.lo)}–{_shown(x.hi)}"
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(plain(x))


def _operand(e: E.Expr) -> str:
    if isinstance(e, E.Col):
        return e.name
    if isinstance(e, E.CompletedYears):
        return "age in whole years"
    if isinstance(e, E.Arith) and isinstance(e.a, E.Year):
        return "calendar years"
    if isinstance(e, (E.Param, E.Since)):
        return e.path
    return "the value"


_OPS = {"<=": "≤", ">=": "≥", "==": "=", "!=": "≠"}


def reasons(straddles: list[Straddle]) -> list[str]:
    """Why an answer is open: each comparison whose input set lies on both sides of the
    threshold, e.g. "height_mm 1755–2100 straddles ≤ 2000 (true for part of it only)"."""
    out: list[str] = []
    for s in straddles:
        if any(type(x) is Span and isinstance(x.lo, bool) for x in (s.a, s.b)):
            continue  # an answer that is open already (is_kei true or false): its own reason says why
        op = _OPS.get(s.cmp.op, s.cmp.op)
        if type(s.a) is Span and type(s.b) is not Span:
            text = f"only if {_operand(s.cmp.a)} {op} {_shown(s.b)}; the set {_shown(s.a)} straddles it"
        elif type(s.b) is Span and type(s.a) is not Span:
            text = (f"{_operand(s.cmp.b)} is {_shown(s.b)} over the build window; "
                    f"{_operand(s.cmp.a)} {_shown(s.a)} {op} it for part of it only")
        else:
            text = f"{_operand(s.cmp.a)} {_shown(s.a)} {op} {_operand(s.cmp.b)} {_shown(s.b)} for part of them only"
        if text not in out:
            out.append(text)
    return out


def columns(law: Law, variables: Iterable[Variable], constants: dict[str, Any] | None = None,
            rename: dict[str, E.Expr] | None = None, ends: bool = False, date_tables: bool = True):
    """Polars expressions, one per variable, named by ``column_name``. ``constants`` are
    inputs the same for every row (e.g. ``on`` when one date is asked); every other input is
    read from the frame's column of that name, or from ``rename``'s expressions. Exact inputs
    are compiled with finite-domain tables (``keicar.engine.plan``). Inputs given as sets are
    computed by :func:`table`. ``date_tables=False`` skips the tables of functions of one
    date (``keicar.engine.vectorized``): each costs ~5 ms to build, which a small frame
    never earns back."""
    from .plan import PlannedCompiler, finite_domains

    comp = PlannedCompiler(law, constants or {}, date_tables, domains=finite_domains(law, rename))
    return _outputs(comp, variables, rename, ends)


def table(frame: Any, law: Law, variables: Iterable[Variable], constants: dict[str, Any] | None = None,
          rename: dict[str, E.Expr] | None = None, sets: Iterable[str] = (), ends: bool = False):
    """``frame`` (a Polars DataFrame or LazyFrame) -> the same kind of frame with one column
    per variable, as :func:`columns` gives them. ``sets`` names inputs given as sets
    (columns ``<name>_lo`` and ``<name>_hi``): a value is null where the set leaves it open
    (a window variable is the list [earliest, latest]). With ``ends``, two columns per
    variable instead, ``<column>_lo`` and ``<column>_hi``: the least and greatest answer
    (equal where it is definite). Over sets the plain compiler runs in stages (each
    set-valued sub-result a hidden column), so the query grows with the formula, not with
    two to the power of its depth."""
    sets = tuple(sets)
    if not sets:
        return frame.select(columns(law, variables, constants, rename, ends))
    frame, out, _ = staged(frame, law, variables, constants, rename, sets, ends)
    return frame.select(out)


def staged(frame: Any, law: Law, variables: Iterable[Variable], constants: dict[str, Any] | None,
           rename: dict[str, E.Expr] | None, sets: Iterable[str], ends: bool = False):
    """For inputs given as ``sets`` (see :func:`table`): (``frame`` with the hidden stage
    columns added, one expression per variable that reads them, the hidden columns' names)."""
    from .vectorized import Compiler

    comp = Compiler(law, constants or {}, sets=tuple(sets))
    out = _outputs(comp, variables, rename, ends)
    return comp.stage_columns(frame), out, list(comp.stages)


def hoisted(frame: Any, law: Law, variables: Iterable[Variable], constants: dict[str, Any] | None = None,
            rename: dict[str, E.Expr] | None = None, date_tables: bool = True):
    """:func:`columns` for a frame, with each variable whose formula another one reads (``papers.required``
    reads ``state.status``) computed once, as a hidden column the others read: (``frame`` with
    the hidden columns added level by level, one expression per variable, the hidden names).
    Polars does not share such a sub-tree between columns by itself."""
    from .plan import PlannedCompiler, finite_domains
    from .vectorized import DATE_COLUMNS

    variables = list(variables)
    formulas = tuple(v.formula for v in variables)
    if rename:
        formulas = E.substitute(formulas, rename)
    # only a formula that reads a measurement: one of dates and small sets of values (state,
    # body) compiles to a table gather, which the formulas reading it fold into their own
    domains = finite_domains(law, rename)
    dates = [(rename or {}).get(c, E.Col(c)) for c in DATE_COLUMNS]
    cheap = {*(constants or {}), *domains, *(e.name for e in dates if isinstance(e, E.Col))}
    inner = [i for i in _read_by_others(formulas) if E.columns_in(formulas[i]) - cheap]
    names = {i: f"__keicar_v_{i}" for i in inner}
    cut = {id(formulas[i]): E.Col(n) for i, n in names.items()}
    bodies = [E.rewrite(f, lambda e, f=f: None if e is f else cut.get(id(e))) for f in formulas]
    comp = PlannedCompiler(law, constants or {}, date_tables, domains=domains)
    by_name = {n: i for i, n in names.items()}
    level: dict[int, int] = {}

    def level_of(i: int) -> int:
        if i not in level:
            level[i] = 1 + max((level_of(by_name[c]) for c in E.columns_in(bodies[i]) if c in by_name), default=0)
        return level[i]

    for lv in sorted({level_of(i) for i in inner}):
        frame = frame.with_columns([comp.compile(bodies[i]).alias(names[i]) for i in inner if level[i] == lv])
    shown = [dataclasses.replace(v, formula=E.Col(names[i]) if i in names else bodies[i])
             for i, v in enumerate(variables)]
    return frame, _outputs(comp, shown, None, False), list(names.values())


def _read_by_others(formulas: tuple[E.Expr, ...]) -> list[int]:
    """The positions of the formulas found inside another formula of the list."""
    at = {id(f): i for i, f in enumerate(formulas)}
    found: set[int] = set()
    seen: set[int] = set()
    for root in formulas:
        def visit(e: E.Expr, root=root) -> bool:
            if e is not root and id(e) in at:
                found.add(at[id(e)])
                return False  # its own sub-tree is walked from it
            if id(e) in seen:
                return False
            seen.add(id(e))
            return True
        E.walk(root, visit)
    return sorted(found)


def _outputs(comp: Any, variables: Iterable[Variable], rename: dict[str, E.Expr] | None, ends: bool):
    import polars as pl

    variables = list(variables)
    # one substitution for all formulas, so sub-trees shared between variables stay shared
    formulas = E.substitute(tuple(v.formula for v in variables), rename) if rename else \
        tuple(v.formula for v in variables)
    out = []
    for v, formula in zip(variables, formulas):
        got = comp.compile(formula)
        lo, hi = got if isinstance(got, tuple) else (got, got)
        if ends:
            out += [lo.alias(v.column_name + "_lo"), hi.alias(v.column_name + "_hi")]
        elif v.value_type == "window":
            out.append(pl.when(lo.is_null() & hi.is_null()).then(None)
                       .otherwise(pl.concat_list([lo, hi])).alias(v.column_name))
        elif isinstance(got, tuple):
            out.append(pl.when(lo.eq_missing(hi)).then(lo).alias(v.column_name))
        else:
            out.append(got.alias(v.column_name))
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
