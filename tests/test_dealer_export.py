"""Issue 13's acceptance test: a messy 50-row dealer export, screened as a dealer would (the
CLI, ``--map`` for the dealer's column names, ``--fx-jpy-per-usd`` for the yen prices).

The fixture (tests/fixtures/dealer_export_50.csv) is written as Japanese exporters' listings
look: six makes, chassis codes with emission prefixes, frame serials and family suffixes,
two rows without a chassis number (found by make, model and year), dates as dealers write
them (1999/02, 02/1999, Feb-1999, 1999, H11, 平成11年, S63, R2, 1999年11月, Heisei 12,
1996(H8)年9月), units in the values (3,395 mm, 660cc, 0.66L, ¥1,010,000, 25万円),
body synonyms, states as codes and names, rows whose dimensions the catalog fills, and four
rows that cannot be screened. The verdicts asserted for single rows were worked out by hand
from the build date (read at the end of its month or year), the kei limits of that date and
the 25-year rule, on the date asked below.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "dealer_export_50.csv"
ON = "2026-11-30"
MAP = {"Chassis No.": "chassis", "Make": "make", "Model": "model", "Year": "built", "Body": "body",
       "Engine (cc)": "cc", "Length (mm)": "length_mm", "Width (mm)": "width_mm", "Height (mm)": "height_mm",
       "Price (JPY)": "price_jpy", "State": "state"}
DEFINITE = {"road-now", "road-within-12-months", "off-road-only", "later", "not-kei"}
#: The rows that cannot be screened, by row number: the field named and what the reason says.
REJECTS = {
    45: ("built", "'03/05/1990' is not a build date: the day and the month could be either way round"),
    48: ("built", "'ASK' is not a build date"),
    49: ("chassis", "'XY99T-123456' is not in the catalog"),
}


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dealer")
    out = tmp / "screened.csv"
    args = [sys.executable, "-m", "keicar", "screen", str(FIXTURE), "--out", str(out), "--on", ON,
            "--fx-jpy-per-usd", "150", "--json"]
    for old, new in MAP.items():
        args += ["--map", f"{old}={new}"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode == 0, p.stderr
    written = pl.read_csv(out, infer_schema=False)
    rejects = pl.read_csv(tmp / "screened.rejects.csv", infer_schema=False)
    rows = {int(r["row"]): r for r in written.to_dicts()}
    return json.loads(p.stdout), p.stderr, written, rejects, rows


def test_every_row_is_counted_once(screened):
    summary, stderr, written, rejects, _ = screened
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        listing = list(csv.DictReader(f))
    assert len(listing) == 50
    assert (summary["read"], summary["written"], summary["rejected"]) == (50, written.height, rejects.height)
    assert written.height + rejects.height == 50
    assert "read 50 = written 47 + rejected 3" in stderr
    numbers = sorted(int(r) for r in written["row"].to_list() + rejects["row"].to_list())
    assert numbers == list(range(1, 51))
    # the dealer's own columns pass through: each stock number is where its row number says
    stock = dict(zip(written["row"].to_list() + rejects["row"].to_list(),
                     written["Stock #"].to_list() + rejects["Stock #"].to_list()))
    assert {int(k): v for k, v in stock.items()} == {i + 1: r["Stock #"] for i, r in enumerate(listing)}


def test_at_least_45_rows_get_a_definite_verdict_and_the_others_say_why(screened):
    _, _, written, rejects, _ = screened
    definite = written.filter(pl.col("us_import_outlook").is_in(list(DEFINITE)) & pl.col("kei_is_kei").is_not_null())
    assert definite.height == written.height == 47
    # no row screened is 'unknown' (unknown_because would say why)
    assert written.filter(pl.col("us_import_outlook") == "unknown").height == 0
    # row 50 (a DA63T with no height or cc) is filled with the catalog's sets, and every value in them agrees
    fifty = written.filter(pl.col("row") == "50").row(0, named=True)
    assert (fifty["input_sets"], fifty["us_import_outlook"]) == ("height_mm 1755-1800; cc 657-658", "off-road-only")
    # a year is a set of days: row 3 (1999) is road-importable whatever its day
    assert written.filter(pl.col("row") == "3")["input_sets"].to_list() == ["built 1999-01-01..1999-12-31"]
    got = {int(r["row"]): (r["field"], r["reason"]) for r in rejects.to_dicts()}
    assert set(got) == set(REJECTS)
    for row, (field, says) in REJECTS.items():
        assert got[row][0] == field and got[row][1].startswith(f"{field}: ") and says in got[row][1], got[row]


def test_the_summary_counts_by_verdict_and_sums_to_the_rows_read(screened):
    summary, _, written, _, _ = screened
    by = summary["by_verdict"]
    assert by == {"road-now": 33, "road-within-12-months": 2, "off-road-only": 6, "later": 5, "not-kei": 1,
                  "unknown": 0}
    assert sum(by.values()) + summary["rejected"] == summary["read"] == 50
    counted = written.group_by("us_import_outlook").len()
    assert dict(counted.iter_rows()) == {k: v for k, v in by.items() if v}
    assert summary["rejects_by_field"] == {"built": 2, "chassis": 1}
    # by state: codes and full names are one state; the rows without a state are counted apart
    assert sum(sum(v.values()) for v in summary["by_state"].values()) == 47
    assert sum(summary["by_state"]["TX"].values()) == 6  # TX, Texas (rows 1, 2, 17, 18, 29, 50)


def test_make_model_and_catalog_identity_columns(screened):
    _, _, written, _, _ = screened
    for column in ("make", "model", "chassis", "catalog_code", "catalog_make", "catalog_model",
                   "catalog_generation", "filled_from_catalog", "catalog_build_outside_production", "catalog_note",
                   "state", "price_usd", "cost_landed_usd", "papers_required", "us_months_until_road_import"):
        assert column in written.columns, column
    # every screened row but the one whose code the catalog lacks has its catalog row; two
    # rows without a chassis number found theirs by make, model and build date
    assert written.filter(pl.col("catalog_model").is_null())["row"].to_list() == ["42"]
    assert written.filter(pl.col("catalog_code").is_null())["row"].to_list() == ["24", "27", "42"]
    assert (written["catalog_build_outside_production"] == "false").all()


def test_rows_checked_by_hand(screened):
    _, _, _, _, rows = screened

    def of(row, *names):
        return tuple(rows[row][n] for n in names)

    # 1999/02 DA52T-220011 in TX: built by 1999-02-28, importable for road use from 2024-02-28
    one = rows[1]
    assert of(1, "catalog_code", "catalog_make", "catalog_model", "catalog_generation") == (
        "DA52T", "Suzuki", "Carry", "Suzuki Carry (generation 10)")
    assert of(1, "kei_is_kei", "us_import_outlook", "us_road_import_from", "state") == (
        "true", "road-now", "2024-02-28", "TX")
    assert (float(one["length_mm"]), float(one["height_mm"]), float(one["cc"]), one["body"]) == (3395, 1765, 658, "truck")
    assert float(one["price_usd"]) == pytest.approx(310_000 / 150)
    # a 2003 Acty (HA7): road import from the year's last day, 2028-12-31 (the conservative date);
    # the months until then differ over the year (open), the bucket does not: off road only
    assert of(28, "catalog_model", "filled_from_catalog", "length_mm", "width_mm", "cc") == (
        "Acty Truck", "length_mm,width_mm,cc,stroke", "3395.0", "1475.0", "656.0")
    assert of(28, "us_import_outlook", "us_road_import_from", "us_months_until_road_import", "state") == (
        "off-road-only", "2028-12-31", None, "TN")
    # a frame number with prefix and serial, 2001/10: road import from 2026-10-31
    assert of(29, "catalog_code", "us_import_outlook", "us_road_import_from") == ("HA7", "road-now", "2026-10-31")
    # 2002/01 and 2002/06: within the next 12 months (3 and 7 months, a part month counted whole)
    assert of(30, "us_import_outlook", "us_months_until_road_import") == ("road-within-12-months", "3")
    assert of(13, "us_import_outlook", "us_months_until_road_import") == ("road-within-12-months", "7")
    # passenger cars younger than 25 years have no import path yet
    assert of(23, "catalog_code", "us_import_outlook", "us_road_import_from") == ("L880K", "later", "2028-05-31")
    assert of(35, "body", "us_import_outlook") == ("passenger", "later")  # Roadster
    # every dimension from the catalog: Cappuccino EA11R (H4 = 1992), Beat PP1 (H3 = 1991), AZ-1
    assert of(10, "length_mm", "width_mm", "height_mm", "cc", "us_import_outlook") == (
        "3295.0", "1395.0", "1185.0", "657.0", "road-now")
    assert of(31, "height_mm", "cc", "built_start", "built_end") == ("1175.0", "656.0", "1991-01-01", "1991-12-31")
    assert of(47, "catalog_model", "height_mm", "us_import_outlook") == ("Autozam AZ-1", "1150.0", "road-now")
    # era years and Japanese dates: S63 (1988, the 550 cc rules), 平成8年, 平成10年2月, 1996(H8)年9月,
    # 1999年11月, Heisei 12, R2
    assert of(39, "built_end", "kei_is_kei", "kei_regime", "us_import_outlook") == (
        "1988-12-31", "true", "1976-01-01", "road-now")
    assert of(4, "built_end", "us_import_outlook") == ("1996-12-31", "road-now")
    assert of(17, "built_start", "built_end") == ("1998-02-01", "1998-02-28")
    assert of(37, "built_start", "built_end", "us_import_outlook") == ("1996-09-01", "1996-09-30", "road-now")
    assert of(44, "built_end", "us_import_outlook") == ("1999-11-30", "road-now")
    assert of(46, "built_end", "body", "us_import_outlook") == ("2000-12-31", "truck", "road-now")
    assert of(14, "built_end", "catalog_code", "us_import_outlook") == ("2020-12-31", "DA16T", "off-road-only")
    # a Jimny Wide (1,298 cc, 1600 mm wide) is no kei car; its code is not in the catalog, and says so
    assert of(42, "cc", "kei_is_kei", "us_import_outlook") == ("1298.0", "false", "not-kei")
    assert "'JB33W-105511' is not in the catalog" in rows[42]["catalog_note"]
    # no chassis number: Daihatsu Tanto 2005 and Honda Acty 1991 by make, model and year
    assert of(24, "catalog_generation", "filled_from_catalog", "height_mm", "us_import_outlook") == (
        "Daihatsu Tanto (generation 1)", "length_mm,width_mm,height_mm,cc,stroke", "1725.0", "later")
    assert of(27, "catalog_generation", "us_import_outlook") == ("Honda Acty (+ Street) (generation 2)", "road-now")
    # units in the values and a state by its full name
    assert of(7, "cc", "state", "state_status") == ("660.0", "PA", "off_road_only")  # 0.66L; 25万円
    assert float(rows[7]["price_usd"]) == pytest.approx(250_000 / 150)
    assert of(2, "state", "filled_from_catalog") == ("TX", "length_mm,width_mm,stroke")
    assert of(6, "body", "state", "state_status") == ("van", "GA", "prohibited")
    assert of(5, "body", "us_import_outlook") == ("truck", "road-now")  # Mini Truck 4WD, 02/1997
