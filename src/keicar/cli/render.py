"""Rendering of API results for the terminal. No rule logic here."""

from __future__ import annotations

import contextlib
import re
import sys
from typing import Any

from keicar.inputs.vehicle import InputError

OK, FAIL = "✔", "✘"
OPS = {"<=": "≤", ">=": "≥", "in": "one of"}


@contextlib.contextmanager
def fields_named(**names: str):
    """Inside, an InputError about field ``key`` is about this command's parameter
    ``names[key]`` (the core says ``state``; ``keicar state`` calls it CODE)."""
    try:
        yield
    except InputError as exc:
        if exc.field not in names:
            raise
        raise InputError(names[exc.field], exc.message) from None


def print_json(data: Any) -> None:
    """Strict JSON (``keicar.present.jsonout``: the same as the web API's), indented for people."""
    from keicar.present.jsonout import dumps

    sys.stdout.write(dumps(data, indent=2) + "\n")


def emit(result: Any, as_json: bool, show) -> None:
    """Print ``result`` as JSON, or render it with ``show``."""
    if as_json:
        print_json(result)
    else:
        show(result)


def console():
    """A rich console; for files and pipes, wide enough that citations stay whole. Text is
    shown as it is: no highlighting, and no emoji codes (``:100:`` in a model name or a
    citation stays ``:100:``; and rich's emoji table is never loaded)."""
    from rich.console import Console

    c = Console(highlight=False, emoji=False)
    return c if c.is_terminal else Console(highlight=False, emoji=False, width=160)


#: C0 and C1 control characters and DEL, except tab and newline: a terminal acts on them
#: (ESC starts a colour or a cursor move), so they are shown escaped, as ``\x1b``; so are the
#: bytes of an argument that is not valid UTF-8 (Python holds them as lone surrogates)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udcff]")


def printable(text: str) -> str:
    """``text`` with every control character but tab and newline shown as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()) & 0xff:02x}", text)


def esc(value: Any) -> str:
    """``value`` as text rich shows as it is: user input and data may hold ``[...]``, which
    rich would otherwise read as markup (and fail on, or hide), and control characters,
    which the terminal would act on (``printable``)."""
    from rich.markup import escape

    return escape(printable(str(value)))


def add_row(table, *cells: Any, **kwargs) -> None:
    """``table.add_row`` with every cell shown as it is (see ``esc``)."""
    table.add_row(*(esc(c) for c in cells), **kwargs)


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if unit and unit not in ("date",) and isinstance(value, (int, float)):
        return f"{value:g} {unit}" if isinstance(value, float) else f"{value} {unit}"
    return str(value)


def steps_table(title: str, steps: list[dict]):
    from rich.table import Table

    from ..present.labels import citation

    t = Table(title=title, title_justify="left", show_lines=False, expand=False)
    t.add_column("", no_wrap=True)
    t.add_column("rule", max_width=24)
    t.add_column("value", justify="right")
    t.add_column("limit", justify="right")
    t.add_column("in force since", no_wrap=True)
    t.add_column("citation", ratio=1)
    for s in steps:
        mark = "?" if s["passed"] is None else (OK if s["passed"] else FAIL)
        cite = citation(s.get("citation") or "")
        if s.get("confidence") in ("low", "medium"):
            cite += f" [{s['confidence']} confidence]"
        if s.get("disputed"):
            cite += " [disputed]"
        limit = f"{OPS.get(s.get('op'), '')} {fmt(s['limit'], s.get('unit', ''))}".strip()
        value, unit = s["value"], s.get("unit", "")
        shown = (f"{fmt(value[0])}–{fmt(value[1], unit)}" if s.get("open") is not None
                 and isinstance(value, list) and len(value) == 2 else fmt(value, unit))
        add_row(t, mark, s.get("label", s["rule"]), shown, limit,
                s.get("effective") or "—", cite, style=None if s["passed"] else "red")
    return t
