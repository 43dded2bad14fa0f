"""Inputs known only as a set: a number as a range (``1755-1800``) or as alternatives
(``657,658`` or ``657|658``), a build date as a year (``1999``) or a range
(``1998-12..1999-03``). The rules are evaluated over the whole set
(``keicar.engine.semantics.SetOps``); alternatives are read as the range they span, which is
exact for the limits the rules compare against (``≤``, ``<``, ``≥``, ``>``).

The value of a set is a :class:`keicar.engine.semantics.Span`; one that collapses to a single
value is that value.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from ..engine.semantics import Span

_RANGE = re.compile(r"^\s*([0-9.]+)\s*(?:-|–|—|\.\.)\s*([0-9.]+)\s*$")
_ALTERNATIVES = re.compile(r"^\s*[0-9.]+\s*(?:[,|/]\s*[0-9.]+\s*)+$")
_YEAR = re.compile(r"^\d{4}$", re.ASCII)


def is_number_set(raw: Any) -> bool:
    return isinstance(raw, str) and bool(_RANGE.match(raw) or _ALTERNATIVES.match(raw))


def parse_number_set(field: str, raw: str, one: Callable[[str, Any], Any]) -> Any:
    """A range or alternatives of numbers, each checked by ``one(field, text)``: a Span (or
    one number when they are all equal). Raises InputError for a reversed range."""
    from keicar.inputs.vehicle import InputError

    m = _RANGE.match(raw)
    if m:
        lo, hi = one(field, m[1]), one(field, m[2])
        if lo > hi:
            raise InputError(field, f"{raw!r} is a range from high to low; write it as {m[2]}-{m[1]}")
    else:
        values = [one(field, x) for x in re.split(r"[,|/]", raw)]
        lo, hi = min(values), max(values)
    return lo if lo == hi else Span(lo, hi)


def parse_built_window(field: str, raw: Any) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, precision) of a year (``year``) or a range (``range``) of
    days, months or years written ``A..B``; None when ``raw`` is neither."""
    from keicar.inputs.vehicle import InputError, parse_built

    text = str(raw).strip()
    if _YEAR.match(text):
        start, _, _ = parse_built(f"{text}-01", field)
        return start, dt.date(start.year, 12, 31), "year"
    if ".." not in text:
        return None
    left, _, right = (t.strip() for t in text.partition(".."))
    ends = []
    for part in (left, right):
        if _YEAR.match(part):
            first, _, _ = parse_built(f"{part}-01", field)
            ends.append((first, dt.date(first.year, 12, 31)))
        else:
            try:
                ends.append(parse_built(part, field)[:2])
            except InputError:
                raise InputError(field, f"{raw!r} is not a build window; use YYYY, or A..B with "
                                        f"A and B each YYYY, YYYY-MM or YYYY-MM-DD") from None
    start, end = ends[0][0], ends[1][1]
    if start > end:
        raise InputError(field, f"{raw!r} ends before it starts; write the earlier date first")
    if start == end:
        return start, end, "day"
    return start, end, "range"


def shown(value: Any) -> str:
    """A number or a set as the user would write it (``1755-1800``)."""
    def one(x: Any) -> str:
        return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)
    if type(value) is Span:
        return f"{one(value.lo)}-{one(value.hi)}"
    return one(value)

