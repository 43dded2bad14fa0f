"""A vehicle as the user describes it, validated once for every interface.

Plausibility bounds here are about input sanity (a 20 m long car is a typo), not law: the
legal limits live in ``law/``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

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

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)


class InputError(ValueError):
    """Bad input: says which field, what was wrong and what is accepted."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _outside(field: str, raw: Any, month: bool = False) -> InputError:
    lo, hi = DATES
    fmt = "%Y-%m" if month else "%Y-%m-%d"
    shown = raw.isoformat() if isinstance(raw, dt.date) else repr(raw)
    return InputError(field, f"{shown} is outside the accepted dates {lo.strftime(fmt)} to {hi.strftime(fmt)}")


def _year(field: str, raw: Any, year: int, month: bool = False) -> int:
    """``year``, if ``DATES`` has days in it (checked before ``dt.date()``, which has no year 0)."""
    if not DATES[0].year <= year <= DATES[1].year:
        raise _outside(field, raw, month)
    return year


def parse_date(field: str, raw: Any) -> dt.date:
    """A day, ``YYYY-MM-DD``, within ``DATES``."""
    if isinstance(raw, dt.date):
        if not DATES[0] <= raw <= DATES[1]:
            raise _outside(field, raw)
        return raw
    m = _DAY.match(str(raw).strip())
    if not m:
        raise InputError(field, f"{raw!r} is not a date; use YYYY-MM-DD")
    year = _year(field, raw, int(m[1]))
    try:
        return dt.date(year, int(m[2]), int(m[3]))
    except ValueError:
        raise InputError(field, f"{raw!r} is not a real calendar date; use YYYY-MM-DD") from None


def parse_month(field: str, raw: Any) -> tuple[dt.date, dt.date]:
    """A month, ``YYYY-MM``, within ``DATES``: its first and last day."""
    m = _MONTH.match(str(raw).strip())
    if not m:
        raise InputError(field, f"{raw!r} is not a month; use YYYY-MM")
    year, month = _year(field, raw, int(m[1]), month=True), int(m[2])
    if not 1 <= month <= 12:
        raise InputError(field, f"{raw!r} has no month {month}; use YYYY-MM")
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_built(raw: Any, field: str = "built") -> tuple[dt.date, dt.date, str]:
    """(first possible day, last possible day, precision: day, month or year) of a build date,
    in any form ``keicar.inputs.formats`` reads (1999-05, 1999/05, Feb-1999, 1999, H11/5...)."""
    from keicar.inputs.formats import FormatError, date_window

    if isinstance(raw, dt.date):
        return parse_date(field, raw), raw, "day"
    try:
        first, last, precision = date_window(str(raw))
    except FormatError as exc:
        raise InputError(field, str(exc)) from None
    if not (DATES[0].year <= first.year and last.year <= DATES[1].year):
        raise _outside(field, raw, month=precision != "day")
    return first, last, precision


def read_amount(field: str, raw: Any) -> float:
    """A number, or text holding one with its unit or currency (``3,395 mm``, ``0.66L``,
    ``¥1,010,000``: ``keicar.inputs.formats``), in the field's unit. No range check."""
    from keicar.inputs.formats import FormatError, quantity

    if isinstance(raw, str):
        try:
            return quantity(raw, field)
        except FormatError as exc:
            raise InputError(field, str(exc)) from None
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise InputError(field, f"{raw!r} is not a number") from None


def parse_number(field: str, raw: Any) -> float | None:
    """A measure (``read_amount``) within the field's plausible range; blank is None."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    value = read_amount(field, raw)
    lo, hi, unit = BOUNDS[field]
    if not lo <= value <= hi:
        shown = _number_text(value) if isinstance(raw, str) else raw
        raise InputError(field, f"{shown} {unit} is outside the plausible range {lo:g}–{hi:g} {unit}")
    return int(value) if value.is_integer() else value


def _number_text(x: float) -> str:
    """3395.0 -> '3395', as a person writes it."""
    return str(int(x)) if x == x and x not in (float("inf"), float("-inf")) and x.is_integer() else str(x)


@dataclass
class Vehicle:
    built_start: dt.date
    built_end: dt.date
    built_precision: str
    body: str
    length_mm: float | None = None
    width_mm: float | None = None
    height_mm: float | None = None
    cc: float | None = None
    stroke: int = 4
    ev_kw: float | None = None
    make: str | None = None
    model: str | None = None
    chassis: str | None = None
    filled_from_catalog: list[str] = field(default_factory=list)

    @property
    def built(self) -> str:
        if self.built_precision == "month":
            return self.built_start.strftime("%Y-%m")
        if self.built_precision == "year":
            return str(self.built_start.year)
        return self.built_start.isoformat()

    def row(self) -> dict[str, Any]:
        """The columns the rules read."""
        return {
            "built_start": self.built_start,
            "built_end": self.built_end,
            "length_mm": self.length_mm,
            "width_mm": self.width_mm,
            "height_mm": self.height_mm,
            "cc": self.cc,
            "stroke": self.stroke,
            "ev_kw": self.ev_kw,
            "body": self.body,
        }

    def describe(self) -> dict[str, Any]:
        d = asdict(self)
        d["built"] = self.built
        for k in ("built_start", "built_end"):
            d[k] = d[k].isoformat()
        return {k: v for k, v in d.items() if v not in (None, [])}


def make_vehicle(
    *,
    built: Any = None,
    body: Any = None,
    length_mm: Any = None,
    width_mm: Any = None,
    height_mm: Any = None,
    cc: Any = None,
    stroke: Any = None,
    ev_kw: Any = None,
    make: str | None = None,
    model: str | None = None,
    chassis: str | None = None,
    today: dt.date | None = None,
    require_specs: bool = True,
) -> Vehicle:
    """Validate raw input (strings or numbers) into a Vehicle, or raise InputError."""
    today = today or dt.date.today()
    if built is None or str(built).strip() == "":
        raise InputError("built", "missing; give the build date as YYYY-MM-DD or YYYY-MM")
    start, end, precision = parse_built(built)
    if start > today:
        raise InputError("built", f"{built} is in the future (today is {today})")
    if body is None or str(body).strip() == "":
        raise InputError("body", f"missing; accepted: {', '.join(BODIES)}")
    from keicar.inputs.formats import FormatError, body as body_of

    try:
        body = body_of(str(body))
    except FormatError as exc:
        raise InputError("body", str(exc)) from None
    if stroke is None or stroke == "":
        stroke_v = 4
    else:
        try:  # the JSON number 4.0 is 4; 4.5 is no cycle (int() would read it as 4)
            stroke_v = int(stroke) if not isinstance(stroke, float) or stroke.is_integer() else -1
        except (TypeError, ValueError, OverflowError):
            stroke_v = -1
        if stroke_v not in STROKES:
            raise InputError("stroke", f"{stroke!r} is not an engine cycle; accepted: 2 or 4")
    v = Vehicle(
        built_start=start,
        built_end=min(end, today),
        built_precision=precision,
        body=body,
        length_mm=parse_number("length_mm", length_mm),
        width_mm=parse_number("width_mm", width_mm),
        height_mm=parse_number("height_mm", height_mm),
        cc=parse_number("cc", cc),
        stroke=stroke_v,
        ev_kw=parse_number("ev_kw", ev_kw),
        make=make or None,
        model=model or None,
        chassis=chassis or None,
    )
    if require_specs:
        require_complete(v)
    return v


def require_complete(v: Vehicle) -> None:
    for name in ("length_mm", "width_mm", "height_mm"):
        if getattr(v, name) is None:
            lo, hi, unit = BOUNDS[name]
            raise InputError(name, f"missing; give it in {unit} ({lo:g}–{hi:g}), or a chassis code to take it from the catalog")
    if v.cc is None and v.ev_kw is None:
        raise InputError("cc", "missing; give the engine displacement in cc, or ev_kw for an electric motor")
