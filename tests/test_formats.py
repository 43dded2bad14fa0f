"""keicar.inputs.formats: every accepted form, the era boundaries, the refused forms with their
reasons, and the one-value parser against the column parser (the batch's)."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keicar.inputs import formats as F
from keicar.inputs.vehicle import InputError, make_vehicle, parse_built, parse_number

D = dt.date

DATES = [
    ("1999-02-15", D(1999, 2, 15), D(1999, 2, 15), "day"),
    ("1999/2/15", D(1999, 2, 15), D(1999, 2, 15), "day"),
    ("1999-02", D(1999, 2, 1), D(1999, 2, 28), "month"),
    (" 2000-02 ", D(2000, 2, 1), D(2000, 2, 29), "month"),
    ("1999/02", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("1999.2", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("02/1999", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("2-1999", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("Feb-1999", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("feb 1999", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("February 1999", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("Sept. 1999", D(1999, 9, 1), D(1999, 9, 30), "month"),
    ("1999", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("H11", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("h11", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("H.11", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("平成11年", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("平成１１年", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("S63", D(1988, 1, 1), D(1988, 12, 31), "year"),
    ("R2", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("令和2年", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("T15", D(1926, 1, 1), D(1926, 12, 24), "year"),
    ("H11/2", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("H11年2月", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("平成11年2月", D(1999, 2, 1), D(1999, 2, 28), "month"),
    # era boundaries: Shōwa to 1989-01-07, Heisei from 1989-01-08; Heisei to 2019-04-30, Reiwa from 2019-05-01
    ("S64", D(1989, 1, 1), D(1989, 1, 7), "year"),
    ("S64/1", D(1989, 1, 1), D(1989, 1, 7), "month"),
    ("H1", D(1989, 1, 8), D(1989, 12, 31), "year"),
    ("平成元年", D(1989, 1, 8), D(1989, 12, 31), "year"),
    ("H1/1", D(1989, 1, 8), D(1989, 1, 31), "month"),
    ("H31", D(2019, 1, 1), D(2019, 4, 30), "year"),
    ("H31/4", D(2019, 4, 1), D(2019, 4, 30), "month"),
    ("R1", D(2019, 5, 1), D(2019, 12, 31), "year"),
    ("令和元年5月", D(2019, 5, 1), D(2019, 5, 31), "month"),
    # Gregorian years as Japanese listings write them (年式 1999年2月), and era names in English
    ("1999年", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("1999年2月", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("１９９９年０２月", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("2000 年 2 月", D(2000, 2, 1), D(2000, 2, 29), "month"),
    ("Heisei 11", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("HEISEI11/2", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("Showa 63", D(1988, 1, 1), D(1988, 12, 31), "year"),
    ("Shōwa 64", D(1989, 1, 1), D(1989, 1, 7), "year"),
    ("Heisei 1", D(1989, 1, 8), D(1989, 12, 31), "year"),
    ("Heisei 31", D(2019, 1, 1), D(2019, 4, 30), "year"),
    ("Reiwa 1", D(2019, 5, 1), D(2019, 12, 31), "year"),
    ("reiwa 2年", D(2020, 1, 1), D(2020, 12, 31), "year"),
    # a year with its era year in brackets, read when they agree (cut to the era's days)
    ("1999(H11)", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("1999 （平成１１年）", D(1999, 1, 1), D(1999, 12, 31), "year"),
    ("1999(H11)年2月", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("1999(H11)/2", D(1999, 2, 1), D(1999, 2, 28), "month"),
    ("1989(S64)", D(1989, 1, 1), D(1989, 1, 7), "year"),
    ("1989(H1)", D(1989, 1, 8), D(1989, 12, 31), "year"),
    ("2019(R元年)", D(2019, 5, 1), D(2019, 12, 31), "year"),
]

REFUSED = [
    ("02/03/1999", "either way round"),
    ("13/02/1999", "either way round"),
    ("99", "two-digit year"),
    ("2/99", "two-digit year"),
    ("Feb-99", "two-digit year"),
    ("Foo-1999", "'Foo' is not a month name"),
    ("1999-13", "has no month 13"),
    ("H11/13", "has no month 13"),
    ("2001-02-29", "not a real calendar date"),
    ("S64/2", "outside the Shōwa era (昭和: from 1926-12-25 to 1989-01-07)"),
    ("S65", "outside the Shōwa era"),
    ("H0", "outside the Heisei era"),
    ("H31/5", "outside the Heisei era (平成: from 1989-01-08 to 2019-04-30)"),
    ("H32", "outside the Heisei era"),
    ("R1/4", "outside the Reiwa era (令和: from 2019-05-01)"),
    ("X11", "is not a build date"),
    ("1999-2-03", "is not a build date"),
    ("1999- 2-03", "is not a build date"),
    ("+199-02-03", "is not a build date"),
    ("0000", "is not a build date"),
    ("1999年13月", "has no month 13"),
    ("1999年2", "is not a build date"),
    ("99年", "is not a build date"),
    ("Heisei 32", "outside the Heisei era"),
    ("Heisei 31/5", "outside the Heisei era"),
    ("Heisi 11", "is not a build date"),
    ("2000(H11)", "2000 is not Heisei 11 (1999); give one of them"),
    ("1988(S64)", "1988 is not Shōwa 64 (1989)"),
    ("1989(S64)/2", "outside the Shōwa era"),
    ("1999(H11", "is not a build date"),
]


def column(fn, values, *args):
    out = pl.DataFrame({"t": values}, schema={"t": pl.String}).select(fn(pl.col("t"), *args))
    return out


def windows(values):
    first, last = F.date_window_exprs(pl.col("t"))
    df = pl.DataFrame({"t": values}, schema={"t": pl.String}).select(first.alias("a"), last.alias("b"))
    return list(zip(df["a"].to_list(), df["b"].to_list()))


@pytest.mark.parametrize("text,first,last,precision", DATES)
def test_dates(text, first, last, precision):
    assert F.date_window(text) == (first, last, precision)
    assert windows([text]) == [(first, last)]


def test_era_day_before_and_day_of_each_change():
    """Read from the japanera table: the day before an era's first day is its predecessor's."""
    assert F.date_window("S64")[1] == D(1989, 1, 7) and F.date_window("H1")[0] == D(1989, 1, 8)
    assert F.date_window("H31")[1] == D(2019, 4, 30) and F.date_window("R1")[0] == D(2019, 5, 1)
    assert F.date_window("T15")[1] == D(1926, 12, 24) and F.date_window("S1") == (
        D(1926, 12, 25), D(1926, 12, 31), "year")


@pytest.mark.parametrize("text,why", REFUSED)
def test_refused_dates(text, why):
    with pytest.raises(F.FormatError, match=None) as exc:
        F.date_window(text)
    assert why in str(exc.value) and repr(text) in str(exc.value)
    assert windows([text]) == [(None, None)]


QUANTITIES = [
    ("length_mm", "3395", 3395), ("length_mm", "3,395", 3395), ("length_mm", "3,395 mm", 3395),
    ("length_mm", "3395mm", 3395), ("length_mm", "3.4 m", 3400), ("length_mm", "3.4 M", 3400),
    ("length_mm", "339.5cm", 3395), ("length_mm", "133.7 in", 3395.98), ("length_mm", "３３９５ｍｍ", None),
    ("length_mm", "３３９５mm", 3395), ("length_mm", " 3395 ", 3395), ("length_mm", "1e3", 1000),
    ("cc", "660cc", 660), ("cc", "660 cc", 660), ("cc", "0.66L", 660), ("cc", "0.66 l", 660),
    ("cc", "658 cm3", 658), ("cc", "1,000cc", 1000), ("ev_kw", "20 kW", 20), ("ev_kw", "64 PS", 47.07192),
    ("price_jpy", "¥1,010,000", 1010000), ("price_jpy", "JPY 1,010,000", 1010000),
    ("price_jpy", "1,010,000円", 1010000), ("price_jpy", "101万円", 1010000), ("price_jpy", "101.5万", 1015000),
    ("price_usd", "$4,500", 4500), ("price_usd", "USD 4,500", 4500), ("price_usd", "4500 USD", 4500),
    ("freight_usd", "US$1,500.50", 1500.5),
]

QUANTITY_REFUSED = [
    ("cc", "660 kg", "kg is not a unit for cc; accepted: cc, cm3, ml, l, ci"),
    ("length_mm", "3395 cc", "cc is not a unit for length_mm; accepted: mm, cm, m, in, ft"),
    ("price_jpy", "$4,500", "$ is not a unit for price_jpy; accepted: ¥, JPY, 円, yen, 万円"),
    ("price_usd", "¥4,500", "¥ is not a unit for price_usd"),
    ("price_jpy", "1.01M", "write the amount in full; M can mean thousand or million"),
    ("price_usd", "4.5k", "write the amount in full"),
    ("length_mm", "33,95", "is not a number"), ("length_mm", "3,3950", "is not a number"),
    ("length_mm", "1.010.000", "is not a number"), ("length_mm", "nan", "is not a number"),
    ("length_mm", "inf", "is not a number"), ("length_mm", "1_000", "is not a number"),
    ("length_mm", "mm", "is not a number"),
]


@pytest.mark.parametrize("field,text,want", QUANTITIES)
def test_quantities(field, text, want):
    if want is None:  # full-width letters are not a unit keicar reads
        with pytest.raises(F.FormatError):
            F.quantity(text, field)
        assert column(F.quantity_expr, [text], field).item() is None
        return
    assert F.quantity(text, field) == pytest.approx(want)
    assert column(F.quantity_expr, [text], field).item() == pytest.approx(want)


@pytest.mark.parametrize("field,text,why", QUANTITY_REFUSED)
def test_refused_quantities(field, text, why):
    with pytest.raises(F.FormatError) as exc:
        F.quantity(text, field)
    assert why in str(exc.value)
    assert column(F.quantity_expr, [text], field).item() is None


def test_bare_number_takes_the_column_unit_and_a_written_unit_wins():
    assert F.quantity("134", "length_mm", 25.4) == pytest.approx(3403.6)
    assert F.quantity("3395 mm", "length_mm", 25.4) == 3395
    assert column(F.quantity_expr, ["134", "3395 mm"], "length_mm", 25.4).to_series().to_list() == [3403.6, 3395]


BODIES = [("truck", "truck"), ("Kei Truck", "truck"), ("mini-truck", "truck"), ("MINI_TRUCK", "truck"),
          ("Dump", "truck"), ("dump truck", "truck"), ("scissor lift", "truck"), ("flatbed", "truck"),
          ("pickup", "truck"), ("軽トラ", "truck"), ("panel van", "van"), ("Van", "van"), ("kei van", "van"),
          (" PASSENGER ", "passenger"), ("kei car", "passenger"), ("K-Car", "passenger"),
          ("Roadster", "passenger"), ("Station Wagon", "passenger"), ("light truck", "truck"),
          ("Light Van", "van"), ("Mini Truck 4WD", "truck"), ("4x4 Kei Truck", "truck"), ("Dump (2WD)", "truck"),
          ("kei-truck_4x4", "truck"), ("SUV AWD", "passenger")]


@pytest.mark.parametrize("text,want", BODIES)
def test_bodies(text, want):
    assert F.body(text) == want
    assert column(F.body_expr, [text]).item() == want


@pytest.mark.parametrize("text,why", [("bus", "accepted: passenger, truck, van, or a synonym"),
                                      ("kei", "kei is a size class"), ("minivan", "say van (cargo) or passenger"),
                                      ("4x4", "'4x4' is not a body type; accepted"),
                                      ("truck4wd", "'truck4wd' is not a body type; accepted"),
                                      ("kei 4WD", "kei is a size class")])
def test_refused_bodies(text, why):
    with pytest.raises(F.FormatError) as exc:
        F.body(text)
    assert why in str(exc.value)
    assert column(F.body_expr, [text]).item() is None


def test_check_inputs_read_the_same_forms():
    v = make_vehicle(built="H11/2", body="Kei Truck", length_mm="3,395 mm", width_mm="1475mm",
                     height_mm="1.765 m", cc="0.66L", today=D(2026, 11, 30))
    assert (v.built_start, v.built_end, v.built, v.body) == (D(1999, 2, 1), D(1999, 2, 28), "1999-02", "truck")
    assert (v.length_mm, v.width_mm, v.height_mm, v.cc) == (3395, 1475, 1765, 660)
    year = make_vehicle(built="1999", body="dump", length_mm=3395, width_mm=1475, height_mm=1765, cc=658)
    assert (year.built_start, year.built_end, year.built_precision, year.built) == (
        D(1999, 1, 1), D(1999, 12, 31), "year", "1999")
    with pytest.raises(InputError, match="^cc: '660 kg': kg is not a unit for cc"):
        parse_number("cc", "660 kg")
    with pytest.raises(InputError, match="^length_mm: 34000 mm is outside the plausible range"):
        parse_number("length_mm", "34 m")
    with pytest.raises(InputError, match="^built: '1884' is outside the accepted dates"):
        parse_built("1884")


# ---- the one-value parser against the column parser, on text made of the grammar's pieces

PIECES = ["1999", "2019", "1989", "0999", "12", "2", "02", "13", "31", "29", "0", "1", "11", "64", "99",
          "-", "/", ".", " ", ",", "年", "月", "元", "H", "h", "S", "R", "T", "X", "平成", "令和", "昭和",
          "Feb", "February", "sept", "Foo", "１", "９", "+", "mm", "m", "cc", "L", "kg", "¥", "$", "JPY",
          "円", "万", "M", "k", "e", "3,395", "000", "nan", "inf", "truck", "Kei", "van", "_", "dump",
          "Heisei", "showa", "Shōwa", "REIWA", "4WD", " 4x4", "(2wd)", "(", ")", "（"]
TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join)
FIELDS = ["length_mm", "cc", "ev_kw", "price_jpy", "price_usd"]


def _one(fn, *args):
    try:
        return fn(*args)
    except F.FormatError:
        return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=40), st.sampled_from(FIELDS), st.sampled_from([1.0, 25.4]))
def test_one_value_and_column_agree(values, field, factor):
    got_dates = windows(values)
    got_qty = column(F.quantity_expr, values, field, factor).to_series().to_list()
    got_body = column(F.body_expr, values).to_series().to_list()
    for v, d, q, b in zip(values, got_dates, got_qty, got_body):
        one = _one(F.date_window, v)
        assert d == ((one[0], one[1]) if one else (None, None)), v
        want = _one(F.quantity, v, field, factor)
        assert (q is None) == (want is None) and (q is None or q == pytest.approx(want)), (v, field)
        assert b == _one(F.body, v), v


def test_screen_reads_dealer_forms_and_says_why_it_refuses(tmp_path):
    """A dealer's file through keicar screen: the forms above are read as check reads them;
    the ambiguous ones are rejects with the one-value parser's reason."""
    from keicar.batch.run import screen_file

    good = {"built": ["H11/2", "Feb-1999", "1999", "02/1999", "平成11年2月", "1999-02"],
            "body": ["Kei Truck", "dump", "mini truck", "truck", "軽トラ", "Truck"],
            "length_mm": ["3,395 mm", "3395mm", "3.395 m", "3395", "3,395", " 3395 "]}
    bad = [("built", "02/03/1999", "built: '02/03/1999' is not a build date: the day and the month could be"),
           ("built", "99", "built: '99' is not a build date: a two-digit year"),
           ("built", "H31/5", "built: 'H31/5' is outside the Heisei era"),
           ("body", "kei", "body: 'kei' is not a body type: kei is a size class"),
           ("body", "bus", "body: 'bus' is not a body type; accepted: passenger, truck, van, or a synonym"),
           ("length_mm", "3395 kg", "length_mm: '3395 kg': kg is not a unit for length_mm"),
           ("cc", "660 kg", "cc: '660 kg': kg is not a unit for cc")]
    rows = [{"built": good["built"][i], "body": good["body"][i], "length_mm": good["length_mm"][i],
             "width_mm": "1,475", "height_mm": "1765", "cc": "0.66L"} for i in range(6)]
    for field, value, _ in bad:
        rows.append({**rows[0], field: value})
    pl.DataFrame(rows).write_csv(tmp_path / "in.csv")
    counts = screen_file(tmp_path / "in.csv", tmp_path / "out.csv", on=D(2026, 11, 24), today=D(2026, 11, 30))
    assert (counts.written, counts.rejected) == (6, len(bad))
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    one = make_vehicle(**rows[0], today=D(2026, 11, 30))
    assert out["body"].unique().to_list() == ["truck"] and out["cc"].cast(pl.Float64).unique().to_list() == [660]
    assert out["length_mm"].cast(pl.Float64).unique().to_list() == [one.length_mm]
    assert out.filter(pl.col("row") == "3")["built_start"].item() == "1999-01-01"
    assert out.filter(pl.col("row") == "3")["built_end"].item() == "1999-12-31"
    assert out.filter(pl.col("row") == "1")["built_end"].item() == one.built_end.isoformat() == "1999-02-28"
    reasons = pl.read_csv(tmp_path / "out.rejects.csv", infer_schema=False).sort(pl.col("row").cast(pl.Int64))
    for (field, value, why), (f, reason) in zip(bad, reasons.select("field", "reason").iter_rows()):
        assert f == field and reason.startswith(why), (value, reason)
