"""Words for ``us.import_outlook``, the screening verdict (``keicar.rules.registry``): a label
and a sentence per value, and a colour for charts."""

from __future__ import annotations

#: value -> (label, what it means, colour)
OUTLOOK: dict[str, tuple[str, str, str]] = {
    "road-now": ("Road import now", "Kei, and may be imported for road use on the date asked "
                 "(NHTSA 25-year and EPA 21-year exemptions).", "#1a7f37"),
    "road-within-12-months": ("Road import within 12 months", "Kei; its road import date is at most "
                              "12 months after the date asked.", "#2f81c7"),
    "off-road-only": ("Off-road only", "Kei truck or van that may come in now only as a nonroad "
                      "vehicle (25 mph); road import later than 12 months.", "#d4a72c"),
    "later": ("Not importable yet", "Kei, no import path on the date asked; road import later than "
              "12 months.", "#8c959f"),
    "not-kei": ("Not kei", "Outside the kei standard in force when it was built.", "#a8431f"),
    "unknown": ("Unknown", "An input the verdict needs is missing: the kei verdict or the import "
                "date cannot be given.", "#6e40c9"),
}


def label(value: str) -> str:
    return OUTLOOK.get(value, (value,))[0]


def meaning(value: str) -> str:
    entry = OUTLOOK.get(value)
    return entry[1] if entry else ""


def colour(value: str) -> str:
    entry = OUTLOOK.get(value)
    return entry[2] if entry else "#57606a"
