"""Column names and units of a listing file: ``--map old=new`` and ``--units field=unit``.

Unit factors are definitions of the units (1 in = 25.4 mm exactly), not law.
"""

from __future__ import annotations

from keicar.inputs.vehicle import BOUNDS, InputError

#: The columns the screen reads (``state`` is optional).
BUILT = "built"
BODY = "body"
STROKE = "stroke"
STATE = "state"
NUMBERS = tuple(BOUNDS)  # length_mm, width_mm, height_mm, cc, ev_kw
#: The date asked and the first registration, per row (named by --on-column, --registered-column).
ON = "on"
REGISTERED = "registered"
#: Amounts in US dollars (read when a price is given: ``price_usd``, or ``price_jpy`` at a rate)
#: and the transport mode.
PRICE = "price_usd"
PRICE_JPY = "price_jpy"
MONEY = (PRICE, "freight_usd", "insurance_usd", "broker_usd", "port_usd", "state_fees_usd")
MODE = "mode"
CANONICAL = (BUILT, BODY, *NUMBERS, STROKE, STATE)
REQUIRED = (BUILT, BODY)

#: The row number (1-based, as in the input file) in the output and the rejects file.
ROW = "row"
#: The rejects file's columns after ``row``: the field at fault and the reason.
FIELD = "field"
REASON = "reason"
#: The prefix of keicar's working columns.
WORKING = "__keicar_"

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


def names(columns: list[str], limit: int = 20) -> str:
    """Column names for a one-line message (quoted, so that a line break in a name shows as \\n)."""
    shown = ", ".join(repr(c) for c in columns[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")


def parse_map(items: list[str] | None, columns: list[str], header: list[str] | None = None) -> dict[str, str]:
    """``["Model Year=built", ...]`` -> {input column: new name}, checked against the input.
    ``header``: the names as the file's header writes them, where the reader renamed repeats."""
    mapping = dict(_pairs("map", items))
    for old in mapping:
        if old not in columns:
            raise InputError("map", f"no column {old!r} in the input; its columns: {names(columns)}")
    if header is not None and len(header) == len(columns):
        _repeated(header, columns, mapping)
    renamed = [mapping.get(c, c) for c in columns]
    dupes = sorted({c for c in renamed if renamed.count(c) > 1})
    if dupes:
        raise InputError("map", f"two input columns would be named {dupes[0]!r}; map or rename one of them")
    reserved = {ROW: "the row number", FIELD: "the field of a reject", REASON: "the reason of a reject"}
    for old, new in zip(columns, renamed):
        what = reserved.get(new) or (f"its working columns ({WORKING}*)" if new.startswith(WORKING) else None)
        if what is not None:
            clash(old, new, what)
    return mapping


def clash(old: str, new: str, what: str) -> None:
    """An input column named like a column keicar writes."""
    given = f"the input column {old!r}" + (f" (mapped to {new!r})" if new != old else "")
    example = f"{old}={new.removeprefix(WORKING)}_in"
    raise InputError("map", f"{given} has a name keicar uses for {what}; rename it, e.g. --map {example!r}")


def _repeated(header: list[str], columns: list[str], mapping: dict[str, str]) -> None:
    """A name the header gives to two columns, one of which keicar reads: which one is meant?"""
    carried: dict[str, list[str]] = {}
    for raw, col in zip(header, columns):
        carried.setdefault(raw, []).append(col)
    for raw, cols in carried.items():
        if len(cols) > 1 and (raw in CANONICAL or any(mapping.get(c, c) in CANONICAL for c in cols)):
            raise InputError("in", f"the header names {len(cols)} columns {raw!r}; keicar cannot tell which "
                                   f"one to read; rename all but one in the file")


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
