"""The package's shape (docs/architecture.md): layers import downwards only, no cycles, no private
names imported across modules. Read from the source with ast, so a lazy import counts too."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "keicar"

#: Lower layers first; a module may import its own layer or any layer below it.
LAYERS = [
    ("keicar.present.jsonout",),
    ("keicar.inputs",),
    ("keicar.engine",),
    ("keicar.rules",),
    ("keicar.catalog",),
    ("keicar.answers", "keicar.api", "keicar.present"),
    ("keicar.batch", "keicar.spark"),
    ("keicar.web", "keicar.cli", "keicar.__main__"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports() -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        is_pkg = path.name == "__init__.py"
        out: set[tuple[str, str]] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_pkg else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    out.add((target, alias.name))
            elif isinstance(node, ast.Import):
                out.update((alias.name, "") for alias in node.names)
        found[name] = {(t, n) for t, n in out if t.split(".")[0] == "keicar"}
    return found


def layer(module: str) -> int:
    best, rank = -1, -1
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    return rank


IMPORTS = imports()
MODULES = set(IMPORTS)


def resolve(target: str, name: str) -> str:
    """The module an import reads: `from keicar.rules.us import states` reads keicar.rules.us.states."""
    sub = f"{target}.{name}"
    return sub if sub in MODULES else target


def test_every_module_has_a_layer():
    assert [m for m in MODULES if m != "keicar" and layer(m) < 0] == []


@pytest.mark.parametrize("module", sorted(MODULES - {"keicar"}))
def test_imports_go_downwards_only(module):
    upward = sorted({resolve(t, n) for t, n in IMPORTS[module]
                     if resolve(t, n) != "keicar" and layer(resolve(t, n)) > layer(module)})
    assert upward == [], f"{module} (layer {layer(module)}) imports from a higher layer"


def test_no_import_cycles():
    graph = {m: {resolve(t, n) for t, n in IMPORTS[m]} & MODULES - {m, "keicar"} for m in MODULES}
    # a package's __init__ importing its own modules is how packages re-export; skip parent links
    graph = {m: {t for t in ts if not m.startswith(t + ".") and not t.startswith(m + ".")}
             for m, ts in graph.items()}
    cycles, state = [], {}

    def visit(m, stack):
        state[m] = 1
        for t in sorted(graph.get(m, ())):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t, stack + [t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_no_private_names_across_modules():
    crossing = sorted(f"{m} imports {t}.{n}" for m, pairs in IMPORTS.items() for t, n in pairs
                      if n.startswith("_") and not n.startswith("__") and resolve(t, n) == t
                      and t != m)
    assert crossing == []
