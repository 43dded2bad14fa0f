"""Rewrite imports for the package layout of issue 11 (one-off tool, kept for branches made before it).

Usage: python scripts/relayout.py [--move] ROOT
  --move   also `git mv` the modules (run once, on main)
Without --move only the imports are rewritten: every import of a moved module becomes an absolute
``keicar.…`` import, and every relative import inside a moved module becomes absolute, so the text is
the same wherever the file sits. Dotted names in strings and docs are renamed too.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

MOVES = {
    "keicar.vehicle": "keicar.inputs.vehicle",
    "keicar.check_input": "keicar.answers.check_input",
    "keicar.jsonout": "keicar.present.jsonout",
    "keicar.statemap": "keicar.present.statemap",
    "keicar.explanation": "keicar.answers.explanation",
    "keicar.state_check": "keicar.answers.state",
    "keicar.statelaw": "keicar.answers.statelaw",
    "keicar.cost": "keicar.answers.cost",
    "keicar.countries": "keicar.answers.countries",
    "keicar.papers": "keicar.answers.papers",
    "keicar.eligibility": "keicar.answers.eligibility",
    "keicar.policy_run": "keicar.answers.policy",
    "keicar.changes": "keicar.answers.changes",
    "keicar.rules.japan": "keicar.rules.jp.kei",
    "keicar.rules.japan_costs": "keicar.rules.jp.costs",
    "keicar.rules.federal": "keicar.rules.us.federal",
    "keicar.rules.customs": "keicar.rules.us.customs",
    "keicar.rules.states": "keicar.rules.us.states",
    "keicar.rules.fmvss": "keicar.rules.us.fmvss",
    "keicar.rules.countries": "keicar.rules.intl.countries",
}
PACKAGES = ("keicar.inputs", "keicar.present", "keicar.answers", "keicar.rules.jp", "keicar.rules.us",
            "keicar.rules.intl")


def module_of(path: Path, src: Path) -> tuple[str, bool]:
    rel = path.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    is_pkg = parts[-1] == "__init__"
    if is_pkg:
        parts = parts[:-1]
    return ".".join(parts), is_pkg


def absolute(current: str, is_pkg: bool, level: int, module: str | None) -> str:
    base = current.split(".")
    if not is_pkg:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def rewrite_source(text: str, current: str | None, is_pkg: bool) -> str:
    moved_self = current in MOVES
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            if current is None:
                continue
            target = absolute(current, is_pkg, node.level, node.module)
        else:
            target = node.module or ""
        if not target.startswith("keicar"):
            continue
        pieces: list[str] = []
        keep_relative = node.level and not moved_self
        if target in MOVES:
            pieces.append(f"from {MOVES[target]} import {names(node.names)}")
        else:
            sub_moved = [a for a in node.names if f"{target}.{a.name}" in MOVES]
            if not sub_moved and keep_relative or not sub_moved and not node.level:
                continue
            rest = [a for a in node.names if a not in sub_moved]
            if rest:
                head = f"from {'.' * node.level}{node.module or ''}" if keep_relative else f"from {target}"
                pieces.append(f"{head} import {names(rest)}")
            for a in sub_moved:
                parent, leaf = MOVES[f"{target}.{a.name}"].rsplit(".", 1)
                alias = a.asname or a.name
                pieces.append(f"from {parent} import {leaf}" + (f" as {alias}" if alias != leaf else ""))
        indent = " " * node.col_offset
        replacement = ("\n" + indent).join(pieces)
        edits.append((node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, replacement))
    for lineno, col, end_lineno, end_col, rep in sorted(edits, reverse=True):
        start = sum(len(x) for x in lines[: lineno - 1]) + col
        end = sum(len(x) for x in lines[: end_lineno - 1]) + end_col
        joined = "".join(lines)
        joined = joined[:start] + rep + joined[end:]
        lines = joined.splitlines(keepends=True)
    return rename_dotted("".join(lines))


#: Renames that came with the move (applied as text to every .py file).
SUBSTITUTIONS = [
    (r"^from \.main import app$", "from .app import app"),
    (r"\b_Fail\b", "Fail"), (r"\b_as_date\b", "as_date"), (r"\b_parse_source\b", "parse_source"),
    (r"\b_parse_parameter\b", "parse_parameter"),
    (r"from keicar\.rules\.jp\.costs import compare", "from keicar.answers.jp_costs import compare"),
]


def names(aliases) -> str:
    return ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in aliases)


def rename_dotted(text: str) -> str:
    for old in sorted(MOVES, key=len, reverse=True):
        text = re.sub(re.escape(old) + r"(?![A-Za-z0-9_])", MOVES[old], text)
    return text


def main(argv: list[str]) -> None:
    move = "--move" in argv
    root = Path([a for a in argv if not a.startswith("--")][0]).resolve()
    src = root / "src"
    files = [p for p in root.rglob("*.py") if ".venv" not in p.parts and "scripts" not in p.parts[-2:-1]]
    for path in files:
        text = path.read_text(encoding="utf-8")
        current, is_pkg = module_of(path, src) if src in path.parents else (None, False)
        new = rewrite_source(text, current, is_pkg)
        for pattern, repl in SUBSTITUTIONS:
            new = re.sub(pattern, repl, new, flags=re.M)
        if new != text:
            path.write_text(new, encoding="utf-8")
    for path in [*root.glob("*.md"), *root.glob("docs/*.md")]:
        text = path.read_text(encoding="utf-8")
        new = rename_dotted(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
    if move:
        for pkg in PACKAGES:
            d = src / Path(*pkg.split("."))
            d.mkdir(parents=True, exist_ok=True)
            init = d / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
                subprocess.run(["git", "add", str(init)], cwd=root, check=True)
        for old, new in MOVES.items():
            a = src / (old.replace(".", "/") + ".py")
            b = src / (new.replace(".", "/") + ".py")
            subprocess.run(["git", "mv", str(a), str(b)], cwd=root, check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
