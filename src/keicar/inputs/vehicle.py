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

from .base import (BODIES, BOUNDS, DATES, EARLIEST_BUILD, MONTH_READINGS, STROKES,  # noqa: F401 - re-exported
                   InputError)

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)


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
        text = str(raw).strip()
        form = _DAY.match(text) or _MONTH.match(text)
        if form and not DATES[0].year <= int(form[1]) <= DATES[1].year:  # e.g. year 0000
            raise _outside(field, raw, month=_MONTH.match(text) is not None) from None
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
    from keicar.inputs.sets import is_number_set, parse_number_set

    if is_number_set(raw):  # a range or alternatives: the rules run over the whole set
        return parse_number_set(field, raw, parse_number)
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
        if self.built_precision == "range":
            return f"{self.built_start.isoformat()}..{self.built_end.isoformat()}"
        return self.built_start.isoformat()

    def row(self) -> dict[str, Any]:
        """The columns the rules read. A build window (a year, a range) is a set of days for
        every rule; a month keeps its reading (first or last day, ``month_reading``)."""
        start, end = self.built_start, self.built_end
        if self.built_precision in ("year", "range"):
            from keicar.inputs.sets import Span

            start = end = Span(start, end)
        return {
            "built_start": start,
            "built_end": end,
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

    start, end, precision = read_built(built)
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


_YEAR_ONLY = re.compile(r"^\d{4}$", re.ASCII)


def read_built(raw: Any) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, precision) of a build date as ``make_vehicle`` reads it: a day, a
    month, a year, or a range ``A..B`` (the batch screen words its reasons with it too)."""
    window = None if isinstance(raw, dt.date) else parse_built_window("built", raw)
    try:
        return window or parse_built(raw)
    except InputError as err:
        raise InputError("built", err.message.replace(
            "use YYYY-MM-DD or YYYY-MM", "use YYYY-MM-DD, YYYY-MM, YYYY or a range A..B")) from None


def parse_built_window(field: str, raw: Any) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, precision) of a year (``year``) or a range (``range``) of
    days, months or years written ``A..B``; None when ``raw`` is neither."""
    text = str(raw).strip()
    if _YEAR_ONLY.match(text):
        start, _, _ = parse_built(f"{text}-01", field)
        return start, dt.date(start.year, 12, 31), "year"
    if ".." not in text:
        return None
    left, _, right = (t.strip() for t in text.partition(".."))
    ends = []
    for part in (left, right):
        if _YEAR_ONLY.match(part):
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
