"""Column names and units of a listing file: ``--map old=new`` and ``--units field=unit``.

Unit factors are definitions of the units (1 in = 25.4 mm exactly), not law.
"""

from __future__ import annotations

from ..vehicle import BOUNDS, InputError

#: The columns the screen reads (``state`` is optional).
BUILT = "built"
BODY = "body"
STROKE = "stroke"
STATE = "state"
NUMBERS = tuple(BOUNDS)  # length_mm, width_mm, height_mm, cc, ev_kw
CANONICAL = (BUILT, BODY, *NUMBERS, STROKE, STATE)
REQUIRED = (BUILT, BODY)

#: The row number (1-based, as in the input file) in the output and the rejects file.
ROW = "row"

#: field -> {unit: factor to the unit the rules read (BOUNDS)}
UNITS: dict[str, dict[str, float]] = {
    **{f: {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8}
       for f in ("length_mm", "width_mm", "height_mm")},
    "cc": {"cc": 1.0, "l": 1000.0, "ci": 16.387064},
    "ev_kw": {"kw": 1.0, "hp": 0.74569987158227022, "ps": 0.73549875},
}
_FIELD_ALIASES = {"length": ["length_mm"], "width": ["width_mm"], "height": ["height_mm"],
                  "dimensions": ["length_mm", "width_mm", "height_mm"],
                  "displacement": ["cc"], "ev": ["ev_kw"], "power": ["ev_kw"]}


def _pairs(option: str, items: list[str] | None) -> list[tuple[str, str]]:
    out = []
    for item in items or []:
        left, sep, right = item.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise InputError(option, f"{item!r} is not NAME=VALUE")
        out.append((left.strip(), right.strip()))
    return out


def parse_map(items: list[str] | None, columns: list[str]) -> dict[str, str]:
    """``["Model Year=built", ...]`` -> {input column: new name}, checked against the input."""
    mapping = dict(_pairs("map", items))
    for old in mapping:
        if old not in columns:
            raise InputError("map", f"no column {old!r} in the input; its columns: {', '.join(columns)}")
    renamed = [mapping.get(c, c) for c in columns]
    dupes = sorted({c for c in renamed if renamed.count(c) > 1})
    if dupes:
        raise InputError("map", f"two input columns would be named {dupes[0]!r}; map or rename one of them")
    if ROW in renamed:
        raise InputError("map", f"the input has a column {ROW!r}, the name keicar gives the row number; "
                                f"rename it, e.g. --map {ROW}=listing_row")
    return mapping


def parse_units(items: list[str] | None) -> dict[str, float]:
    """``["length=in", "cc=l"]`` -> {field: factor to the rules' unit}."""
    factors: dict[str, float] = {}
    for key, unit in _pairs("units", items):
        fields = _FIELD_ALIASES.get(key.lower(), [key.lower()])
        for f in fields:
            if f not in UNITS:
                accepted = ", ".join([*_FIELD_ALIASES, *UNITS])
                raise InputError("units", f"{key!r} is not a measured field; accepted: {accepted}")
            table = UNITS[f]
            if unit.lower() not in table:
                raise InputError("units", f"{unit!r} is not a unit for {f}; accepted: {', '.join(table)}")
            factors[f] = table[unit.lower()]
    return factors
