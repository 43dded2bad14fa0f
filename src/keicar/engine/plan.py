"""Planning layer of the Polars compiler: finite-domain tables.

``keicar.engine.vectorized.Compiler`` turns one expression into one Polars expression, node
by node. Many rule sub-trees, though, read only inputs with a handful of possible values —
the state code, the body, the transport mode — besides run-level constants (the date asked,
when it is one date). Such a sub-tree (a state's class definition applied to a body, the
status in force, its confidence) is a function of those few inputs: :class:`PlannedCompiler`
evaluates it once for every combination of their values, with the ordinary compiler on a
frame of a few hundred rows, and compiles it into a single gather of that small table by a
row key (each input's position in its domain). Per row, a state verdict then costs one
gather instead of dozens of look-ups and branches.

Exactness: a value outside the domain (an unknown code) and a missing value each get a slot
of their own, evaluated on a representative row (a code no law file has, and null). That
stands for every unknown value only where each use of the input is an equality test against
a literal, a membership test, a null test or a jurisdiction look-up — all of which treat
every unknown value alike. A sub-tree that uses the input any other way is compiled as
before. The node meanings are untouched (``engine.semantics``): the tables are computed by
the same compiler, so both runners still agree wherever they agreed.
"""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl

from . import expr as E
from .explain import jurisdictions
from .parameters import Law
from .vectorized import Compiler, label_leaves

#: Largest table (rows) built for one sub-tree.
MAX_TABLE = 4096
#: A value no input domain holds: the representative of every unknown value.
UNKNOWN = "\x00unknown"


def finite_domains(law: Law, rename: dict[str, E.Expr] | None = None) -> dict[str, tuple]:
    """The inputs with a small known set of values, by the column that holds them: state
    codes (from the law files), bodies, transport modes. Names not data: the sets come
    from the law files and keicar.inputs.vehicle."""
    from keicar.inputs.vehicle import BODIES

    domains = {"state": jurisdictions(law, "us.states"), "body": tuple(BODIES), "mode": ("ocean", "air")}
    out = {}
    for name, values in domains.items():
        col = (rename or {}).get(name, E.Col(name))
        if isinstance(col, E.Col):
            out[col.name] = values
    return out


def _children(e: E.Expr):
    for v in vars(e).values():
        if isinstance(v, E.Expr):
            yield v
        elif isinstance(v, tuple):
            yield from (x for x in v if isinstance(x, E.Expr))


def _replace(e: Any, nodes: dict[int, E.Expr], memo: dict[int, Any]) -> Any:
    """``e`` with the sub-trees in ``nodes`` (by identity) replaced."""
    import dataclasses

    if isinstance(e, tuple):
        return tuple(_replace(x, nodes, memo) for x in e)
    if not isinstance(e, E.Expr):
        return e
    if id(e) in nodes:
        return nodes[id(e)]
    if id(e) not in memo:
        changes = {k: _replace(v, nodes, memo) for k, v in vars(e).items() if isinstance(v, (E.Expr, tuple))}
        memo[id(e)] = dataclasses.replace(e, **changes) if changes else e
    return memo[id(e)]


def _uses_only_equality(parent: E.Expr, child: E.Col) -> bool:
    """Whether ``parent`` treats every value of ``child`` outside a domain alike."""
    if isinstance(parent, E.StateParam):
        return parent.state is child and parent.at is not child
    if isinstance(parent, E.Cmp) and parent.op in ("==", "!="):
        other = parent.b if parent.a is child else parent.a
        return isinstance(other, E.Lit)
    if isinstance(parent, E.IsIn):
        return parent.x is child
    return isinstance(parent, E.IsNull)


class PlannedCompiler(Compiler):
    """The compiler with finite-domain tables (see the module's text). ``domains`` maps a
    column to its possible values; columns that are constants are folded as before."""

    def __init__(self, law: Law, constants: dict[str, Any] | None = None, date_tables: bool = True,
                 domains: dict[str, tuple] | None = None):
        super().__init__(law, constants, date_tables)
        self.domains = {c: d for c, d in (domains or {}).items() if c not in self.constants}
        self._free: dict[int, frozenset | None] = {}
        self._size: dict[int, int] = {}
        self._finite_tables: dict[int, tuple[E.Expr, pl.Expr]] = {}
        self._keep: list = []  # keeps analysed nodes alive, so their ids stay theirs
        self._atoms: dict[str, tuple[E.Expr, list]] = {}  # label choices, by working name

    # -------------------------------------------------------------- analysis

    def _finite_free(self, e: E.Expr) -> frozenset | None:
        """The finite-domain columns ``e`` reads, or None where it reads any other column
        or uses a finite one other than by equality (constant branches fold first)."""
        key = id(e)
        if key in self._free:
            return self._free[key]
        self._keep.append(e)
        if isinstance(e, E.Col):
            out: frozenset | None = frozenset() if e.name in self.constants else (
                frozenset([e.name]) if e.name in self.domains else None)
        elif isinstance(e, E.Lit):
            out = frozenset()
        elif isinstance(e, E.If) and self._is_const(e.cond):
            out = self._finite_free(e.then if self._taken(e.cond) else e.else_)
        else:
            out = frozenset()
            for x in _children(e):
                if isinstance(x, E.Col) and x.name in self.domains and not _uses_only_equality(e, x):
                    out = None
                    break
                sub = self._finite_free(x)
                if sub is None:
                    out = None
                    break
                out |= sub
            labels: list = []
            if out is None and isinstance(e, E.If) and label_leaves(e, labels, none_too=True) \
                    and any(isinstance(v, str) for v in labels):
                # A choice among a few labels made from other inputs (an import path from
                # the build date): its code is an input of finite domain to the trees above.
                name = f"__keicar_label_{len(self._atoms)}"
                self._atoms[name] = (e, labels)
                out = frozenset([name])
        self._free[key] = out
        return out

    def _taken(self, cond: E.Expr) -> bool:
        from .explain import Evaluator

        return Evaluator(self.law, self.constants).eval(cond) is True

    def _nodes(self, e: E.Expr) -> int:
        key = id(e)
        if key not in self._size:
            self._size[key] = 1 + sum(self._nodes(x) for x in _children(e))
        return self._size[key]

    # -------------------------------------------------------------- compiling

    def compile(self, e: E.Expr) -> pl.Expr:
        if not isinstance(e, (E.Col, E.Lit)):
            free = self._finite_free(e)
            # Worth a table: a jurisdiction look-up, or more than one comparison of an input
            # with a literal.
            if free and (isinstance(e, E.StateParam) or self._nodes(e) > 3) \
                    and self._table_rows(free) <= MAX_TABLE:
                return self._finite_table(e, sorted(free))
        return super().compile(e)

    def _values(self, c: str) -> list:
        """Values of a table's input: a label choice's labels; a column's domain, then null,
        then the representative of any other value."""
        if c in self._atoms:
            return self._atoms[c][1]
        return list(self.domains[c]) + [None, UNKNOWN]

    def _table_rows(self, free) -> int:
        n = 1
        for c in free:
            n *= len(self._values(c))
        return n

    def _code(self, c: str) -> pl.Expr:
        """Each row's index in ``_values(c)``."""
        if c in self._atoms:
            e, labels = self._atoms[c]
            return self._codes(e, labels)
        dom = self.domains[c]
        n = len(dom)
        return pl.when(pl.col(c).is_null()).then(pl.lit(n, dtype=pl.UInt32)).otherwise(
            pl.col(c).cast(pl.Enum(list(dom)), strict=False).to_physical().cast(pl.UInt32)
            .fill_null(pl.lit(n + 1, dtype=pl.UInt32)))

    def _key(self, cols: list[str]) -> pl.Expr:
        """Each row's position in the table of ``cols`` (mixed radix, first column slowest)."""
        key: pl.Expr | None = None
        for c in cols:
            code = self._code(c)
            key = code if key is None else key * pl.lit(len(self._values(c)), dtype=pl.UInt32) + code
        return key

    def _finite_table(self, e: E.Expr, cols: list[str]) -> pl.Expr:
        key = id(e)
        if key not in self._finite_tables:
            combos = list(itertools.product(*(self._values(c) for c in cols)))
            frame = pl.DataFrame({c: pl.Series([row[i] for row in combos], dtype=pl.String)
                                  for i, c in enumerate(cols)})
            atoms = {id(self._atoms[c][0]): E.Col(c) for c in cols if c in self._atoms}
            plain = Compiler(self.law, self.constants, self.date_tables)
            table = frame.with_columns(plain.compile(_replace(e, atoms, {})).alias("v"))["v"]
            self._finite_tables[key] = (e, pl.lit(table).gather(self._key(cols)))
        return self._finite_tables[key][1]
