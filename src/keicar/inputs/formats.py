"""The formats dealers use, parsed in one place: for one value (CLI options, HTTP fields) and
for Polars string columns (batch), with the same grammar.

Build dates (``built``): a window of days ``(first, last)`` and its precision:

====================================  =====================  =========
written                               window                 precision
====================================  =====================  =========
``1999-02-15``, ``1999/2/15``         that day               day
``1999-02``, ``1999/02``, ``1999.2``  the month              month
``02/1999``, ``2-1999``               the month              month
``Feb-1999``, ``February 1999``       the month              month
``1999``, ``1999年``                  the year               year
``1999年2月``                          the month              month
``H11``, ``平成11年``, ``Heisei 11``   the era year           year
``H11/2``, ``H11年2月``, ``平成11年2月``  the month            month
``1999(H11)``, ``1999(平成11年)``       the era year           year
====================================  =====================  =========

A year with its era year in brackets (``1999(H11)``, ``1999(H11)年2月``) is read when the two
agree, and refused when they do not.

Era letters M, T, S, H, R (Meiji, Taishō, Shōwa, Heisei, Reiwa; either case), the era's name
(``Heisei``, ``Showa`` or ``Shōwa``; either case) or its kanji; 元 is year 1; full-width digits
are read as digits. An era year is cut to the era's own days: H1 is 1989-01-08 to 1989-12-31,
S64 is 1989-01-01 to 1989-01-07, R1 starts 2019-05-01; a year or month the era does not reach
(H32, H31/5, S64/2) is refused. The eras' first days are the japanera library's table.

Refused, with the reason, never guessed: ``02/03/1999`` (day and month either way round),
two-digit years (``99``, ``2/99``, ``Feb-99``), unknown month names.

Amounts (``quantity``): a plain number (``3395``, ``3395.5``, ``1e3``), thousands grouped by
commas in threes (``3,395``, ``1,010,000``), and a unit before or after it that fits the
field: lengths mm, cm, m, in, ft; displacement cc, cm3, ml, l, ci; power kW, hp, PS; yen
``¥``, ``JPY``, ``円``, ``yen``, ``万円`` (ten thousand yen); US dollars ``$``, ``US$``,
``USD``. A bare number is in the field's unit (or the one ``--units`` gives). A unit that does
not fit the field (``660 kg`` for cc, ``$`` for a yen price) is refused naming what is accepted;
so are ``1.01M`` and ``4.5k`` (M can mean thousand or million: write the amount in full).

Bodies: the table ``bodies.csv`` beside this file (``kei truck``, ``mini truck``, ``dump``,
``panel van``, ``軽トラ`` ...), after lower case and spacing and without a drive written with
it (``Mini Truck 4WD``, ``4x4 kei truck``); words it refuses say why.

The single-value functions raise ``FormatError`` with the reason; the column functions give
null where the single-value one raises, so that a batch makes the reason for its rejected rows
only (``keicar.batch.validate``). ``tests/test_formats.py`` checks the two against each other.
Fast path for columns: text already in the plain form (ISO dates, plain numbers, a body as
keicar names it) is parsed by one cast; the grammar runs only on the rows that cast fails for.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path


class _Polars:
    """polars, imported on first use: ``keicar check`` reads one value and never needs it."""

    def __getattr__(self, name: str):
        import polars

        return getattr(polars, name)


pl = _Polars()


class FormatError(ValueError):
    """A value that is not in an accepted form: ``str(exc)`` is the reason (no field name)."""


# ---------------------------------------------------------------- tables

@dataclass(frozen=True)
class Era:
    kanji: str
    letter: str
    name: str
    first: dt.date
    last: dt.date  # its last day (dt.date.max for the present era)


@cache
def eras() -> tuple[Era, ...]:
    """Meiji to Reiwa, from the japanera library's table (its ``until`` is the next era's
    first day)."""
    import japanera

    names = {"明治": "Meiji", "大正": "Taishō", "昭和": "Shōwa", "平成": "Heisei", "令和": "Reiwa"}
    out = []
    for e in japanera.ERA_DATA_GENERAL:
        if e.kanji in names and e.since.year >= 1868:
            last = e.until - dt.timedelta(days=1) if e.until else dt.date.max
            out.append(Era(e.kanji, e.english[0], names[e.kanji], e.since, last))
    return tuple(out)


MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9

_FULLWIDTH = [chr(0xFF10 + i) for i in range(10)]
_ASCII = [str(i) for i in range(10)]
_TO_ASCII = str.maketrans(dict(zip(_FULLWIDTH, _ASCII)))

_Y, _M = "[0-9]{4}", "[0-9]{1,2}"
#: The eras' names as English listings spell them (Heisei 11), with and without the macron.
ERA_NAMES = {"meiji": "M", "taisho": "T", "taishō": "T", "showa": "S", "shōwa": "S", "heisei": "H",
             "reiwa": "R"}
_ERA = "|".join(ERA_NAMES) + "|[mtshr]|明治|大正|昭和|平成|令和"
#: one pattern, named groups per form (case-insensitive); the same text for Python and Polars
DATE = (
    "(?i)^(?:"
    rf"(?P<iy>{_Y})-(?P<im>[0-9]{{2}})-(?P<id>[0-9]{{2}})"
    rf"|(?P<sy>{_Y})/(?P<sm>{_M})/(?P<sd>{_M})"
    rf"|(?P<jy>{_Y})-(?P<jm>[0-9]{{2}})"
    rf"|(?P<ay>{_Y})[/.](?P<am>{_M})"
    rf"|(?P<bm>{_M})[/.-](?P<by>{_Y})"
    rf"|(?P<nn>[a-z]+)\.?[ ,/-]*(?P<ny>{_Y})"
    rf"|(?P<yy>{_Y})"
    rf"|(?P<ky>{_Y}) *年 *(?:(?P<km>{_M}) *月)?"
    rf"|(?P<e>{_ERA})\.? *(?P<ey>[0-9]{{1,2}}|元) *(?:年 *(?:(?P<em>{_M}) *月)?|[/.-] *(?P<en>{_M}))?"
    rf"|(?P<gy>{_Y}) *[(（] *(?P<ge>{_ERA})\.? *(?P<gey>[0-9]{{1,2}}|元) *年? *[)）]"
    rf" *(?:年 *(?:(?P<gm>{_M}) *月)?|[/.-] *(?P<gn>{_M}))?"
    ")$"
)
#: ISO days and months, the form most dates come in, are read without the grammar, as the
#: column readers do (``date_window_struct``): compiling ``DATE`` costs ~3 ms of a start.
#: Its groups are the grammar's for the same forms. Patterns compile on first use (``re``
#: keeps them): ``keicar check`` with numbers reads no quantity.
ISO = r"^(?P<iy>[0-9]{4})-(?P<im>[0-9]{2})(?:-(?P<id>[0-9]{2}))?$"
_GROUPS = re.findall(r"\(\?P<(\w+)>", DATE)
_MONTH_GROUPS = ("im", "sm", "jm", "am", "bm", "em", "en", "km", "gm", "gn")
_ORDER = r"^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}$"
_TWO_DIGIT = r"(?i)^(?:'?[0-9]{2}|[0-9]{1,2}[/.-][0-9]{2}|[a-z]+\.?[ ,/-]*'?[0-9]{2})$"
FORMS = ("YYYY-MM-DD, YYYY-MM, YYYY, YYYY/MM, MM/YYYY, Feb-1999, an era year (H11, H11/2, 平成11年), "
         "or a range of them (1998-12..1999-03)")

_NUM = r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+"
QUANTITY = rf"(?i)^(?P<pre>¥|￥|\$|us\$|jpy|usd)? *(?P<num>{_NUM}) *(?P<unit>[^0-9]*3?)$"
_PLAIN = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"

_LENGTH = {"mm": "mm", "millimetre": "mm", "millimetres": "mm", "millimeter": "mm", "millimeters": "mm",
           "cm": "cm", "m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m",
           "in": "in", "inch": "in", "inches": "in", '"': "in", "ft": "ft", "feet": "ft", "foot": "ft"}
#: Units a measure may be given in (``--units``, or written in the value), as factors to the field's unit.
UNITS: dict[str, dict[str, float]] = {
    **{f: {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8}
       for f in ("length_mm", "width_mm", "height_mm")},
    "cc": {"cc": 1.0, "l": 1000.0, "ci": 16.387064},
    "ev_kw": {"kw": 1.0, "hp": 0.74569987158227022, "ps": 0.73549875},
}

#: kind -> {unit as written, lower case: the unit's name in UNITS}
UNIT_WORDS: dict[str, dict[str, str]] = {
    "length": _LENGTH,
    "cc": {"cc": "cc", "cm3": "cc", "cm³": "cc", "ml": "cc", "l": "l", "litre": "l", "litres": "l",
           "liter": "l", "liters": "l", "ci": "ci", "cu in": "ci", "cid": "ci"},
    "ev_kw": {"kw": "kw", "hp": "hp", "ps": "ps"},
}
#: money kinds: (prefix, suffix) as written, lower case -> factor to the field's currency
CURRENCY: dict[str, dict[tuple[str, str], float]] = {
    "jpy": {("¥", ""): 1, ("￥", ""): 1, ("jpy", ""): 1, ("", "円"): 1, ("", "yen"): 1, ("", "jpy"): 1,
            ("", "万円"): 10_000, ("", "万"): 10_000, ("¥", "万"): 10_000, ("￥", "万"): 10_000},
    "usd": {("$", ""): 1, ("us$", ""): 1, ("usd", ""): 1, ("", "usd"): 1, ("", "$"): 1},
}
_ACCEPTED = {"length": "mm, cm, m, in, ft", "cc": "cc, cm3, ml, l, ci", "ev_kw": "kW, hp, PS",
             "jpy": "¥, JPY, 円, yen, 万円", "usd": "$, US$, USD"}


def kind(field: str) -> str:
    """The kind of amount a field holds: length, cc, ev_kw, jpy or usd."""
    if field.endswith("_jpy"):
        return "jpy"
    if field.endswith("_usd"):
        return "usd"
    if field in ("length_mm", "width_mm", "height_mm"):
        return "length"
    if field in ("cc", "ev_kw"):
        return field
    raise KeyError(field)


@cache
def units(field: str) -> dict[tuple[str, str], float]:
    """(prefix, suffix) as written, lower case -> factor to the field's unit, ("", "") aside."""
    k = kind(field)
    if k in CURRENCY:
        return CURRENCY[k]
    factors = UNITS[field]
    return {("", w): factors[u] for w, u in UNIT_WORDS[k].items()}


@dataclass(frozen=True)
class Synonym:
    body: str | None
    why: str


@cache
def body_table() -> dict[str, Synonym]:
    """bodies.csv: words as normalised -> keicar's body, or None with the reason it is refused."""
    # beside this module, as law/ is read (importlib.resources would cost a command ~40 ms to import)
    text = Path(__file__).with_name("bodies.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {_norm_body(r["written"]): Synonym(r["body"] or None, r["why"] or "") for r in rows}


# ---------------------------------------------------------------- one value

def _ascii(text: str) -> str:
    return text.strip().translate(_TO_ASCII)


def _fail_date(raw: str, why: str = "") -> FormatError:
    return FormatError(f"{raw!r} is not a build date{why}; use {FORMS}")


def date_window(raw: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, precision: day, month or year) of a build date as written."""
    text = _ascii(raw)
    m = re.match(ISO, text) or re.match(DATE, text)
    if not m:
        if re.match(_ORDER, text):
            raise _fail_date(raw, ": the day and the month could be either way round")
        if re.match(_TWO_DIGIT, text):
            raise _fail_date(raw, ": a two-digit year could be 19xx or 20xx")
        raise _fail_date(raw)
    g = dict.fromkeys(_GROUPS) | m.groupdict()  # every group of the grammar (ISO has three)
    era = None
    if g["e"] or g["ge"]:
        era = _era(g["e"] or g["ge"])
        n = g["ey"] or g["gey"]
        year = era.first.year - 1 + (1 if n == "元" else int(n))
        if g["gy"] and int(g["gy"]) != year:
            raise FormatError(f"{raw!r}: {g['gy']} is not {era.name} {n} ({year}); give one of them")
    else:
        year = int(next(g[k] for k in ("iy", "sy", "jy", "ay", "by", "ny", "yy", "ky") if g[k]))
    month_text = next((g[k] for k in _MONTH_GROUPS if g[k]), None)
    if g["nn"]:
        if g["nn"].lower() not in MONTHS:
            raise _fail_date(raw, f": {g['nn']!r} is not a month name")
        month = MONTHS[g["nn"].lower()]
    else:
        month = int(month_text) if month_text else None
    day = g["id"] or g["sd"]
    if not 1 <= year <= 9999:
        raise _fail_date(raw)
    if month is not None and not 1 <= month <= 12:
        raise FormatError(f"{raw!r} has no month {month}; use {FORMS}")
    if day is not None:
        try:
            first = last = dt.date(year, month, int(day))
        except ValueError:
            raise FormatError(f"{raw!r} is not a real calendar date; use YYYY-MM-DD") from None
        precision = "day"
    elif month is not None:
        first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        precision = "month"
    else:
        first, last, precision = dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if era is not None:
        first, last = max(first, era.first), min(last, era.last)
        if first > last:
            until = "" if era.last == dt.date.max else f" to {era.last}"
            raise FormatError(f"{raw!r} is outside the {era.name} era ({era.kanji}: from {era.first}{until})")
    return first, last, precision


def _era(written: str) -> Era:
    letter = ERA_NAMES.get(written.lower(), written.upper())
    return next(e for e in eras() if written == e.kanji or letter == e.letter)


def quantity(raw: str, field: str, factor: float = 1.0) -> float:
    """A number as written in ``field`` (``3,395 mm``, ``0.66L``, ``¥1,010,000``), in the
    field's unit; ``factor`` converts a bare number (``--units``). No range check."""
    text = _ascii(raw)
    if re.match(_PLAIN, text):
        return _scaled(float(text), factor)
    m = re.match(QUANTITY, text)
    if not m:
        raise FormatError(f"{raw!r} is not a number")
    pre, unit = (m["pre"] or "").lower(), m["unit"].strip().lower()
    number = float(m["num"].replace(",", ""))
    if not pre and not unit:
        return _scaled(number, factor)
    table = units(field)
    if (pre, unit) not in table:
        k = kind(field)
        if unit in ("m", "k") and k in CURRENCY:
            raise FormatError(f"{raw!r}: write the amount in full; {m['unit'].strip()} can mean thousand or million")
        shown = " ".join(x for x in (m["pre"], m["unit"].strip()) if x)
        raise FormatError(f"{raw!r}: {shown} is not a unit for {field}; accepted: {_ACCEPTED[k]}")
    return _scaled(number, table[(pre, unit)])


def _scaled(number: float, factor: float) -> float:
    """Rounded to a millionth of the unit when converted, so that 0.66 l is 660 cc, not
    660.0000000000001 (as ``quantity_expr`` does)."""
    return number if factor == 1 else round(number * factor, 6)


#: A drive written with the body (``Mini Truck 4WD``, ``4x4 kei truck``) says nothing of it.
DRIVE = r"\(?\b(?:4wd|2wd|awd|4x4|4x2)\b\)?"
_SPACES = r"[\s_-]+"


def _norm_body(text: str) -> str:
    return re.sub(_SPACES, " ", re.sub(DRIVE, " ", re.sub(_SPACES, " ", text.lower()))).strip()


def body(raw: str) -> str:
    """keicar's body for a body as written (``Kei Truck`` -> truck)."""
    syn = body_table().get(_norm_body(raw))
    if syn is None:
        raise FormatError(f"{raw.strip()!r} is not a body type; accepted: {accepted_bodies()}")
    if syn.body is None:
        raise FormatError(f"{raw.strip()!r} is not a body type: {syn.why}")
    return syn.body


@cache
def accepted_bodies() -> str:
    """The accepted bodies, for a reason: keicar's three and where the synonyms are listed."""
    from keicar.inputs.base import BODIES

    return f"{', '.join(BODIES)}, or a synonym such as kei truck, mini truck, dump, panel van (docs/formats.md)"


# ---------------------------------------------------------------- columns

def _scatter(fast: pl.Series, todo: pl.Series, slow: pl.Series) -> pl.Series:
    """``fast`` with the rows at ``todo`` replaced by ``slow``."""
    return fast.scatter(todo, slow) if len(todo) else fast


def _date_windows(s: pl.Series) -> pl.Series:
    """date_window_exprs on one batch: the cast for ISO days and months, the grammar on the
    rows left (filtered, not masked), in small stages (no expression is repeated)."""
    t = pl.col("t")
    df = pl.DataFrame({"t": s.cast(pl.String)}).with_columns(n=t.str.len_bytes(), plain=~t.str.contains(" ", literal=True))
    df = df.with_columns(
        d=pl.when(pl.col("n") == 10).then(t).str.to_date("%Y-%m-%d", strict=False, cache=False),
        m=pl.when(pl.col("n") == 7).then(t).str.to_date("%Y-%m", strict=False, cache=False))
    df = df.with_columns(  # the cast reads '+199-02-03' and '1999- 2-03' too: not ours
        d=pl.when(pl.col("plain") & (pl.col("d").dt.year() >= 1000)).then(pl.col("d")),
        m=pl.when(pl.col("plain") & (pl.col("m").dt.year() >= 1000)).then(pl.col("m")))
    first = df.select(pl.coalesce("d", "m")).to_series()
    last = df.select(pl.coalesce("d", pl.col("m").dt.month_end())).to_series()
    todo = (first.is_null() & df["t"].is_not_null()).arg_true()
    if len(todo):
        rest = df["t"].gather(todo)
        seen = rest.unique()  # listings repeat their values: each one is parsed once
        a, b = _date_grammar(seen)
        first = _scatter(first, todo, rest.replace_strict(seen, a, default=None, return_dtype=pl.Date))
        last = _scatter(last, todo, rest.replace_strict(seen, b, default=None, return_dtype=pl.Date))
    return pl.struct(first.alias("first"), last.alias("last"), eager=True)


def _date_grammar(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    f = pl.col
    g = pl.DataFrame({"t": s}).select(
        pl.col("t").str.strip_chars().str.replace_many(_FULLWIDTH, _ASCII).str.extract_groups(DATE)
        .alias("g")).unnest("g")
    era = {**{e.letter: e for e in eras()}, **{e.kanji: e for e in eras()}}
    era.update({name.upper(): era[letter] for name, letter in ERA_NAMES.items()})
    def era_of(attr):  # noqa: E306
        return pl.coalesce("e", "ge").str.to_uppercase().replace_strict(
            list(era), [getattr(e, attr) for e in era.values()], default=None, return_dtype=pl.Date)
    g = g.with_columns(lo=era_of("first"), hi=era_of("last"),
                       named=f("nn").str.to_lowercase().replace_strict(
                           list(MONTHS), list(MONTHS.values()), default=None, return_dtype=pl.Int32),
                       ey=pl.coalesce("ey", "gey").pipe(
                           lambda n: pl.when(n == "元").then(1).otherwise(n.cast(pl.Int32, strict=False))))
    g = g.with_columns(
        year=pl.coalesce(*[f(k).cast(pl.Int32) for k in ("iy", "sy", "jy", "ay", "by", "ny", "yy", "ky")],
                         f("lo").dt.year() - 1 + f("ey")),
        month=pl.coalesce(*[f(k).cast(pl.Int32) for k in _MONTH_GROUPS], "named"),
        day=pl.coalesce(f("id"), f("sd")).cast(pl.Int32))
    ok = ((f("month").is_between(1, 12) | (f("month").is_null() & f("nn").is_null())) & f("year").is_between(1, 9999)
          & (f("gy").is_null() | (f("gy").cast(pl.Int32) == f("year"))))  # 1999(H11): the two agree
    g = g.with_columns(first=pl.when(ok).then(
        pl.format("{}-{}-{}", f("year").cast(pl.String).str.zfill(4), f("month").fill_null(1), f("day").fill_null(1))
        .str.to_date("%Y-%m-%d", strict=False, cache=False)))
    g = g.with_columns(last=pl.when(f("day").is_not_null()).then(f("first"))
                       .when(f("month").is_not_null()).then(f("first").dt.month_end())
                       .otherwise(f("first").dt.offset_by("11mo").dt.month_end()))
    g = g.with_columns(  # an era year is cut to the era's days (max_horizontal skips a null: lo, hi)
        first=pl.when(f("first").is_not_null()).then(pl.max_horizontal("first", "lo")),
        last=pl.when(f("last").is_not_null()).then(pl.min_horizontal("last", "hi")))
    g = g.with_columns(ok=f("first") <= f("last"))
    return (g.select(pl.when("ok").then("first")).to_series(),
            g.select(pl.when("ok").then("last")).to_series())


def date_window_struct(text: pl.Expr) -> pl.Expr:
    """A struct ``{first, last}`` per build date as written, null fields where ``date_window``
    raises. ISO days and months are one cast; the grammar ``DATE`` runs on the other rows only,
    once per distinct value."""
    return text.map_batches(_date_windows, return_dtype=pl.Struct({"first": pl.Date, "last": pl.Date}),
                            is_elementwise=True)


def build_window_struct(text: pl.Expr) -> pl.Expr:
    """``date_window_struct``, and a range of two such dates (``1998-12..1999-03``: from the
    first day of the one to the last day of the other, as ``keicar.inputs.vehicle.parse_built``
    reads it); null fields for a range that ends before it starts. One call per batch."""
    return text.map_batches(_build_windows, return_dtype=pl.Struct({"first": pl.Date, "last": pl.Date}),
                            is_elementwise=True)


def _build_windows(s: pl.Series) -> pl.Series:
    t = s.cast(pl.String)
    ranged = t.str.contains("..", literal=True).fill_null(False)
    if not ranged.any():  # no range in the batch: one parse
        return _date_windows(t)
    ends = t.str.split_exact("..", 1).struct.unnest()
    one = _date_windows(pl.select(pl.when(~ranged).then(t)).to_series()).struct.unnest()
    a = _date_windows(pl.select(pl.when(ranged).then(ends["field_0"].str.strip_chars())).to_series())
    b = _date_windows(pl.select(pl.when(ranged).then(ends["field_1"].str.strip_chars())).to_series())
    w = pl.DataFrame({"r": ranged, "f1": one["first"], "l1": one["last"],
                      "fa": a.struct.field("first"), "lb": b.struct.field("last")})
    w = w.select(first=pl.when("r").then("fa").otherwise("f1"), last=pl.when("r").then("lb").otherwise("l1"))
    ok = pl.col("first") <= pl.col("last")
    return w.select(pl.struct(first=pl.when(ok).then("first"), last=pl.when(ok).then("last"))).to_series()


def date_window_exprs(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(first day, last day) of ``date_window_struct`` (a table with both can parse once:
    ``keicar.batch.validate``)."""
    w = date_window_struct(text)
    return w.struct.field("first"), w.struct.field("last")


def _quantities(s: pl.Series, field: str, factor: float) -> pl.Series:
    """quantity_expr on one batch: the cast for plain numbers, the grammar on the rows left."""
    cast = s.cast(pl.String).cast(pl.Float64, strict=False)
    fast = pl.select(pl.when(cast.is_finite()).then(cast)).to_series()
    fast = fast if factor == 1 else (fast * factor).round(6)
    todo = (fast.is_null() & s.is_not_null()).arg_true()
    if not len(todo):
        return fast
    f = pl.col
    rest = s.cast(pl.String).gather(todo)
    seen = rest.unique()  # listings repeat their values: each one is parsed once
    g = pl.DataFrame({"t": seen}).select(
        f("t").str.strip_chars().str.replace_many(_FULLWIDTH, _ASCII).str.extract_groups(QUANTITY)
        .alias("g")).unnest("g")
    table = {"\x00": factor, **{f"{p}\x00{u}": v for (p, u), v in units(field).items()}}
    g = g.with_columns(
        scale=pl.concat_str([f("pre").fill_null("").str.to_lowercase(), pl.lit("\x00"),
                             f("unit").str.strip_chars().str.to_lowercase()])
        .replace_strict(list(table), list(table.values()), default=None, return_dtype=pl.Float64),
        number=f("num").str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False))
    slow = g.select(pl.when(f("scale") == 1).then("number").otherwise((f("number") * f("scale")).round(6)))
    return _scatter(fast, todo, rest.replace_strict(seen, slow.to_series(), default=None, return_dtype=pl.Float64))


def quantity_expr(text: pl.Expr, field: str, factor: float = 1.0) -> pl.Expr:
    """A column of amounts as written (String) in ``field``'s unit, null where ``quantity``
    raises. A plain number is one cast; the grammar ``QUANTITY`` runs on the other rows only."""
    units(field)  # a field that holds no amount fails here, not in a batch
    return text.map_batches(lambda s: _quantities(s, field, factor), return_dtype=pl.Float64,
                            is_elementwise=True)


def _bodies(s: pl.Series) -> pl.Series:
    """body_expr on one batch: keicar's own names as they are, the table for the rest."""
    from keicar.inputs.base import BODIES

    s = s.cast(pl.String)
    fast = pl.select(pl.when(s.is_in(BODIES)).then(s)).to_series()
    todo = (fast.is_null() & s.is_not_null()).arg_true()
    if not len(todo):
        return fast
    rest = s.gather(todo)
    seen = rest.unique()
    norm = (seen.str.to_lowercase().str.replace_all(_SPACES, " ").str.replace_all(DRIVE, " ")
            .str.replace_all(_SPACES, " ").str.strip_chars())
    table = {w: syn.body for w, syn in body_table().items() if syn.body}
    found = norm.replace_strict(list(table), list(table.values()), default=None, return_dtype=pl.String)
    return _scatter(fast, todo, rest.replace_strict(seen, found, default=None, return_dtype=pl.String))


def body_expr(text: pl.Expr) -> pl.Expr:
    """keicar's body for a column of bodies as written (String), null where ``body`` raises."""
    return text.map_batches(_bodies, return_dtype=pl.String, is_elementwise=True)


def built_range(raw: pl.Expr, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    """(first day, last day) of a build date column: a date, or text in a form read here (a
    month or a year: its first and last day); null otherwise."""
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        return raw.cast(pl.Date), raw.cast(pl.Date)
    return date_window_exprs(raw.cast(pl.String))


def _number_sets(s: pl.Series, field: str, factor: float) -> pl.Series:
    """number_set_expr on one batch: the distinct values that read as a set, each parsed once
    by ``keicar.inputs.sets.parse_number_set`` (as ``keicar check`` reads them)."""
    from keicar.inputs.base import InputError
    from keicar.inputs.sets import Span, is_number_set, parse_number_set

    text = s.cast(pl.String)
    seen = [v for v in text.drop_nulls().unique().to_list() if is_number_set(v)]
    lows, highs, errors = [], [], []
    for v in seen:
        try:
            got = parse_number_set(field, v, lambda f, x: quantity(x, f, factor))
        except (InputError, FormatError) as exc:
            got, err = None, str(exc).split(": ", 1)[-1] if isinstance(exc, InputError) else str(exc)
        else:
            err = None
        lo, hi = (got.lo, got.hi) if type(got) is Span else (got, got)
        lows.append(lo)
        highs.append(hi)
        errors.append(err)
    table = pl.DataFrame({"t": seen, "lo": lows, "hi": highs, "error": errors},
                         schema={"t": pl.String, "lo": pl.Float64, "hi": pl.Float64, "error": pl.String})
    return pl.DataFrame({"t": text}).join(table, on="t", how="left", maintain_order="left").select(
        pl.struct("lo", "hi", "error").alias("set")).to_series()


def number_set_expr(text: pl.Expr, field: str, factor: float = 1.0) -> pl.Expr:
    """A column of amounts as written (String): where a value is a set (``1755-1800``,
    ``657|658``), the struct {lo, hi, error}; the fields are null for other values, and
    ``error`` says why a set cannot be read (a range from high to low)."""
    return text.map_batches(lambda s: _number_sets(s, field, factor),
                            return_dtype=pl.Struct({"lo": pl.Float64, "hi": pl.Float64, "error": pl.String}),
                            is_elementwise=True)
