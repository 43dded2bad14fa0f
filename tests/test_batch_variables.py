"""keicar screen and screen_frame give a table every variable one vehicle gets: states with
grandfathering, landed cost, the date asked per row, --columns; and the two runners agree."""

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from keicar.api import check, screen_frame
from keicar.batch.run import screen_file
from keicar.answers.cost import landed_cost
from keicar.engine.parameters import default_law
from keicar.engine.variables import trace
from keicar.rules.registry import registry
from keicar.inputs.vehicle import InputError, make_vehicle

TODAY = dt.date(2026, 11, 24)
KEI = {"body": "truck", "length_mm": "3395", "width_mm": "1475", "height_mm": "1800", "cc": "658"}
_spec = importlib.util.spec_from_file_location(
    "equal_runners", Path(__file__).parents[1] / "benchmarks" / "equal_runners.py")
equal_runners = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(equal_runners)


def run(tmp_path, rows, **options):
    pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}).write_csv(tmp_path / "in.csv")
    counts = screen_file(tmp_path / "in.csv", tmp_path / "out.parquet", today=TODAY, **options)
    out = pl.read_parquet(tmp_path / "out.parquet")
    rej = pl.read_parquet(tmp_path / "out.rejects.parquet")
    assert counts.balanced
    return out, rej


def test_state_columns_with_grandfathering(tmp_path):
    """A Rhode Island row gets the state columns; registered before the state's cut-off it is
    grandfathered, as keicar check says."""
    rows = [{**KEI, "built": "1999-05", "state": s, "reg": r}
            for s, r in (("RI", "2000-01-01"), ("ri", ""), ("TX", ""), ("", ""))]
    out, rej = run(tmp_path, rows, on="2026-11-24", registered_column="reg")
    assert rej.height == 0
    got = out.select("state_status", "state_grandfathered", "state_status_from", "state_basis",
                     "state_outside_definition").rows()
    v = make_vehicle(built="1999-05", **KEI)
    for (code, reg), row in zip((("RI", "2000-01-01"), ("RI", None), ("TX", None)), got):
        want = check(v, on="2026-11-24", state=code, registered=reg)["state"]
        assert row[0] == want["status"]
    assert got[0][1:3] == (True, "grandfather") and got[1][1:3] == (False, "record")
    assert got[0][0] != got[1][0]  # grandfathering changes the answer
    assert got[3] == (None, None, None, None, None)  # no state on that row


def test_one_state_for_every_row_and_registration_checks(tmp_path):
    rows = [{**KEI, "built": "1999-05", "reg": r} for r in ("2000-01-01", "2027-01-01", "1998-01-01", "x")]
    out, rej = run(tmp_path, rows, on="2026-11-24", state="ri", registered_column="reg")
    assert out["state_grandfathered"].to_list() == [True]
    assert rej["reason"].to_list() == [
        "registered: 2027-01-01 is after the date asked (2026-11-24)",
        "registered: 1998-01-01 is before the vehicle was built (1999-05-01)",
        "registered: 'x' is not a date; use YYYY-MM-DD"]


@pytest.mark.parametrize("money", [
    {"price_usd": "4000", "freight_usd": "1500", "insurance_usd": "80", "mode": "ocean"},
    {"price_usd": "12345.67", "mode": "AIR"},
    {"price_jpy": "600000", "freight_usd": "900"},
])
def test_price_gives_the_landed_cost_of_keicar_cost(tmp_path, money):
    rows = [{**KEI, "built": built, **money} for built in ("1999-05", "2005-02-03", "1960-01")]
    fx = "150" if "price_jpy" in money else None
    out, rej = run(tmp_path, rows, on="2026-11-24", fx_jpy_per_usd=fx)
    assert rej.height == 0
    for r in out.iter_rows(named=True):
        c = landed_cost(body="truck", built=rows[r["row"] - 1]["built"], entry_date="2026-11-24",
                        fx_jpy_per_usd=fx, **{k: v for k, v in money.items() if k != "mode"},
                        mode=money.get("mode", "ocean").lower(), today=TODAY)
        fees = {f["item"]: f["amount_usd"] for f in c["fees"]}
        assert round(r["customs_value_usd"], 2) == c["customs_value"]["amount_usd"]
        assert round(r["customs_duty_usd"], 2) == c["duty"]["amount_usd"]
        assert round(r["customs_mpf_usd"], 2) == fees["mpf"]
        assert round(r["customs_hmf_usd"], 2) == fees["hmf"]
        # keicar cost adds its fees rounded to the cent, the column unrounded: a cent apart at most
        assert abs(r["cost_landed_usd"] - c["total_usd"]) <= 0.01 + 1e-9
        assert r["duty_rate_percent"] == c["duty"]["rate_percent"]


def test_prices_are_checked_as_keicar_cost_checks_them(tmp_path):
    rows = [{**KEI, "built": "1999-05", "price_usd": p, "mode": m}
            for p, m in (("x", ""), ("-1", ""), ("20000000", ""), ("", "boat"), ("", ""))]
    out, rej = run(tmp_path, rows, on="2026-11-24")
    assert rej["reason"].to_list() == [
        "price_usd: 'x' is not a number",
        "price_usd: -1 is negative or not a number; give an amount of 0 or more",
        "price_usd: 20000000 is implausibly large (over 10,000,000)",
        "mode: 'boat' is not a transport mode; accepted: ocean, air"]
    assert out["cost_landed_usd"].to_list() == [None]  # no price on that row: no cost
    with pytest.raises(InputError, match="fx_jpy_per_usd: 20 is outside the plausible range 50–500"):
        run(tmp_path, [{**KEI, "built": "1999-05", "price_jpy": "1"}], fx_jpy_per_usd="20")
    with pytest.raises(InputError, match="^fx_jpy_per_usd: missing"):
        run(tmp_path, [{**KEI, "built": "1999-05", "price_jpy": "1"}])


def test_date_asked_per_row_is_check_on_that_date(tmp_path):
    days = ["1995-03-01", "2008-12-07", "2008-12-08", "2024-05-30", "2024-05-31", "2026-11-24", "2040-02-29"]
    builts = ["1960-01", "1983-12-08", "1999-05", "1999-05-31", "2001-02-03", "1976-01"]
    rows = [{**KEI, "built": b, "asked": d} for b in builts for d in days]
    out, rej = run(tmp_path, rows, on_column="asked", month_reading="start")
    assert out.height + rej.height == len(rows) and out.height > 30
    for r in out.iter_rows(named=True):
        raw = rows[r["row"] - 1]
        one = check(make_vehicle(built=raw["built"], **KEI), on=raw["asked"], month_reading="start")
        assert r["on"].isoformat() == one["on"]
        assert (r["kei_is_kei"], r["kei_is_kei_today"], r["us_path"]) == (
            one["kei"]["is_kei"], one["kei"]["is_kei_today"], one["us"]["path"])
        assert r["us_nhtsa_eligible_from"].isoformat() == one["us"]["nhtsa_eligible_from"]
        assert r["kei_failed_today"].split(",") if r["kei_failed_today"] else [] == one["kei"]["failed_today"]
    for r in rej.iter_rows(named=True):  # the build after the date asked, as check refuses it
        raw = rows[r["row"] - 1]
        with pytest.raises(InputError) as exc:
            check(make_vehicle(built=raw["built"], **KEI), on=raw["asked"])
        assert r["reason"] == str(exc.value)


def test_bad_dates_asked_are_rejects(tmp_path):
    rows = [{**KEI, "built": "1999-05", "asked": d} for d in ("", "2026-02-30", "1989-12-31", "24.11.2026",
                                                                "2200-01-01", "1999-04-30", "2026-11-24")]
    out, rej = run(tmp_path, rows, on_column="asked")
    assert out["row"].to_list() == [7]
    assert rej["reason"].to_list() == [
        "on: missing; give the date asked as YYYY-MM-DD",
        "on: '2026-02-30' is not a real calendar date; use YYYY-MM-DD",
        "on: 1989-12-31 is before 1990-01-31, the first date keicar encodes US import law for",
        "on: '24.11.2026' is not a date; use YYYY-MM-DD",
        "on: '2200-01-01' is outside the accepted dates 1885-01-01 to 2100-12-31",
        "built: 1999-05 is after the date asked (1999-04-30)"]


def test_columns_option(tmp_path):
    rows = [{**KEI, "built": "1999-05", "state": "TX"}]
    out, _ = run(tmp_path, rows, on="2026-11-24", columns="kei.is_kei, us_path,state.status")
    added = out.columns[out.columns.index("state") + 1:]
    assert added == ["kei_is_kei", "us_path", "state_status", "on", "input_sets", "unknown_because"]
    with pytest.raises(InputError, match=r"^columns: 'us.pth' is not a variable; closest: us.path"):
        run(tmp_path, rows, columns="us.pth")
    with pytest.raises(InputError, match=r"^columns: cost.landed_usd needs price_usd"):
        run(tmp_path, rows, columns="cost_landed_usd")


def test_cli_columns_error_is_one_line(tmp_path):
    (tmp_path / "in.csv").write_text("built,body\n1999-05,truck\n")
    r = subprocess.run([sys.executable, "-m", "keicar", "screen", str(tmp_path / "in.csv"), "--out",
                        str(tmp_path / "o.csv"), "--columns", "kei.is_keii"], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert r.stderr.startswith("keicar: error: --columns: 'kei.is_keii' is not a variable; closest: kei.is_kei")
    assert not (tmp_path / "o.csv").exists()


FRAME = {"body": ["truck", "van", "passenger"], "length_mm": [3395.0, 3395.0, 3395.0],
         "width_mm": [1475.0, 1475.0, 1475.0], "height_mm": [1800.0, 1800.0, 1800.0]}


def test_screen_frame_reads_the_documented_built_column():
    text = pl.DataFrame({**FRAME, "built": ["1999-05", "1999-05-20", "not a date"], "cc": [658.0] * 3})
    days = text.with_columns(built_start=pl.date(1999, 5, pl.Series([1, 20, 1])),
                             built_end=pl.date(1999, 5, pl.Series([31, 20, 1])))
    got = screen_frame(text, on="2026-11-24").collect()
    want = screen_frame(days, on="2026-11-24").collect()
    cols = ["kei_is_kei", "kei_regime", "us_nhtsa_eligible_from", "us_path"]
    assert got.head(2).select(cols).equals(want.head(2).select(cols))
    assert got["us_nhtsa_eligible_from"].to_list()[:2] == [dt.date(2024, 5, 31), dt.date(2024, 5, 20)]
    bad = got.row(2, named=True)  # an unreadable build date: null dates and verdicts
    assert (bad["us_nhtsa_eligible_from"], bad["kei_is_kei"], bad["kei_regime"]) == (None, None, None)
    as_date = screen_frame(text.with_columns(built=pl.date(1999, 5, 20)), on="2026-11-24").collect()
    assert as_date["us_nhtsa_eligible_from"].to_list() == [dt.date(2024, 5, 20)] * 3


def test_screen_frame_without_optional_columns():
    """No stroke, cc or ev_kw column (the table used to raise): they are missing values, and
    every column is what the explainer gives for a vehicle without them."""
    frame = pl.DataFrame({**FRAME, "built": ["1999-05", "1960-02-01", "1999-05"]}).with_columns(
        length_mm=pl.Series([3395.0, 3000.0, None]))
    got = screen_frame(frame, on="2026-11-24", today=TODAY).collect()
    law = default_law()
    for raw, row in zip(frame.iter_rows(named=True), got.iter_rows(named=True)):
        start, end = (dt.date(1999, 5, 1), dt.date(1999, 5, 31)) if raw["built"] == "1999-05" else (
            dt.date(1960, 2, 1), dt.date(1960, 2, 1))
        inputs = {**raw, "built_start": start, "built_end": end, "cc": None, "ev_kw": None, "stroke": None,
                  "on": dt.date(2026, 11, 24), "month_reading": None, "mode": "ocean"}
        for v in registry(law).select(have=()):
            if v.value_type == "window":  # a table computes a window only when asked by name
                assert v.column_name not in row
                continue
            want = trace(law, inputs, v)["value"]
            assert equal_runners.same(want, row[v.column_name]), (v.name, raw)
    assert got["us_path"].to_list() == ["25-year"] * 3
    assert got["kei_is_kei"].to_list()[2] is None  # no length: not known


def test_screen_frame_date_asked_per_row_and_entry_date():
    frame = pl.DataFrame({**FRAME, "built": ["1999-05"] * 3, "cc": [658.0] * 3, "price_usd": [4000.0] * 3,
                          "asked": [dt.date(2020, 1, 1), dt.date(2024, 5, 31), dt.date(2026, 11, 24)]})
    got = screen_frame(frame, on_column="asked").collect()
    assert got["us_path"].to_list() == ["off-road-only", "25-year", "25-year"]
    assert got["on"].to_list() == frame["asked"].to_list()
    fixed = screen_frame(frame, on_column="asked", entry_date="2026-11-24").collect()
    assert fixed["duty_additional_heading"].n_unique() == 1
    assert got["duty_additional_heading"].to_list()[0] is None  # entered in 2020: no Section 232
    with pytest.raises(InputError, match="^on_column: give either on"):
        screen_frame(frame, on="2026-01-01", on_column="asked")


def test_explainer_and_screen_agree_on_every_variable(tmp_path):
    """The issue's test: 2,000 random listings (states, registrations, dates asked per row,
    prices); every variable from the explainer equals its column from keicar screen.
    ``python benchmarks/equal_runners.py --rows 10000`` runs the same at scale."""
    written, read = equal_runners.listings(2000, seed=11)
    equal_runners.write(written, tmp_path / "in.csv")
    counts = screen_file(tmp_path / "in.csv", tmp_path / "out.parquet", **equal_runners.OPTIONS)
    assert (counts.written, counts.rejected) == (2000, 0)
    compared, diffs = equal_runners.differences(read, pl.read_parquet(tmp_path / "out.parquet"))
    assert diffs == []
    assert compared > 60_000


def test_screen_frame_unknown_state_code_is_no_state():
    frame = pl.DataFrame({**FRAME, "built": ["1999-05"] * 3, "cc": [658.0] * 3, "st": ["ZZ", None, " tx"]})
    got = screen_frame(frame, on="2026-11-24", state_column="st").collect()
    assert got["state_status"].to_list()[:2] == [None, None] and got["state_status"][2] is not None
    assert got["st"].to_list() == ["ZZ", None, " tx"]
