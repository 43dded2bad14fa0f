"""Inputs known only as a set: a number as a range (``1755-1800``) or as alternatives
(``657,658`` or ``657|658``), a build date as a year (``1999``) or a range
(``1998-12..1999-03``). The rules are evaluated over the whole set
(``keicar.engine.semantics.SetOps``); alternatives are read as the range they span, which is
exact for the limits the rules compare against (``≤``, ``<``, ``≥``, ``>``).

The value of a set is a :class:`Span`; one that collapses to a single
value is that value.
"""

from __future__ import annotations

import re
from typing import Any, Callable, NamedTuple


class Span(NamedTuple):
    """A set of values in the explainer: its hull, ``lo`` < ``hi`` (or one end missing).
    As JSON, [lo, hi]."""
    lo: Any
    hi: Any


#: A number written with thousands separators (3,395 or 12,000 mm): one number, not alternatives.
#: A first group of three digits (657,658) reads as alternatives: no kei measure is that large.
_GROUPED = re.compile(r"^\s*[0-9]{1,2}(?:,[0-9]{3})+(?:\.[0-9]+)?\s*[^0-9,|/]*$")
_RANGE = re.compile(r"^\s*([0-9.]+)\s*(?:-|–|—|\.\.)\s*([0-9.]+)\s*$")
_ALTERNATIVES = re.compile(r"^\s*[0-9.]+\s*(?:[,|/]\s*[0-9.]+\s*)+$")


def is_number_set(raw: Any) -> bool:
    return isinstance(raw, str) and not _GROUPED.match(raw) and bool(_RANGE.match(raw) or _ALTERNATIVES.match(raw))


def parse_number_set(field: str, raw: str, one: Callable[[str, Any], Any]) -> Any:
    """A range or alternatives of numbers, each checked by ``one(field, text)``: a Span (or
    one number when they are all equal). Raises InputError for a reversed range."""
    from keicar.inputs.base import InputError

    m = _RANGE.match(raw)
    if m:
        lo, hi = one(field, m[1]), one(field, m[2])
        if lo > hi:
            raise InputError(field, f"{raw!r} is a range from high to low; write it as {m[2]}-{m[1]}")
    else:
        values = [one(field, x) for x in re.split(r"[,|/]", raw)]
        lo, hi = min(values), max(values)
    return lo if lo == hi else Span(lo, hi)


def shown(value: Any) -> str:
    """A number or a set as the user would write it (``1755-1800``)."""
    def one(x: Any) -> str:
        return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)
    if type(value) is Span:
        return f"{one(value.lo)}-{one(value.hi)}"
    return one(value)

