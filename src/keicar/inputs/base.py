"""What every input accepts (input sanity, not law: the legal limits live in ``law/``), and
the one error an input raises. A leaf: imports nothing of keicar."""

from __future__ import annotations

import datetime as dt

BODIES = ("passenger", "truck", "van")
STROKES = (2, 4)
MONTH_READINGS = ("end_of_month", "start_of_month")

#: field -> (min, max, unit, what it is)
BOUNDS: dict[str, tuple[float, float, str]] = {
    "length_mm": (1000, 20000, "mm"),
    "width_mm": (500, 3000, "mm"),
    "height_mm": (500, 5000, "mm"),
    "cc": (20, 10000, "cc"),
    "ev_kw": (0.1, 1000, "kW"),
}
EARLIEST_BUILD = dt.date(1885, 1, 1)
#: Every date keicar accepts, in any field of any command: from the first motor vehicle to a
#: horizon the law data can be asked about (input sanity, not law). A command may narrow it,
#: e.g. to the first date for which its law is encoded.
DATES = (EARLIEST_BUILD, dt.date(2100, 12, 31))


class InputError(ValueError):
    """Bad input: says which field, what was wrong and what is accepted."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
