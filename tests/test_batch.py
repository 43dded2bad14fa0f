"""keicar screen and keicar sample: nothing lost, same rules as make_vehicle, formats, mapping."""

import datetime as dt
import random
import subprocess
import sys

import polars as pl
import pytest

from keicar.api import check
from keicar.batch.run import screen_file
from keicar.batch.sample import BAD_KINDS, write_sample
from keicar.inputs.sets import Span
from keicar.inputs.vehicle import InputError, make_vehicle

TODAY = dt.date(2026, 11, 24)
VERDICTS = ["kei_is_kei", "kei_regime", "kei_is_kei_today", "kei_failed", "us_nhtsa_eligible_from",
            "us_epa_eligible_from", "us_path", "us_importable"]

# raw values as a listing file might carry them, good and bad
RAW = {
    "built": ["1999-05", "1999-05-20", " 2001-02-28 ", "2001-02-29", "2000-02-29", "1999-13", "1999-00",
              "1999/05/20", "1999-5-20", "", None, "1884-12", "1885-01", "2026-11", "2026-11-24", "2026-11-25",
              "2027-01", "abc", "1998-12..1999-03", "1999-03..1998-12", "1999-03..abc"],
    "body": ["truck", " Van", "PASSENGER", "bus", "", None],
    "length_mm": ["3395", "3395.5", " 3400 ", "3,395", "999", "1000", "20000", "20001", "", None, "nan", "1e3"],
    "width_mm": ["1475", "500", "3000", "499", "", None, "x"],
    "height_mm": ["1765", "500", "5000", "5001", "", None],
    "cc": ["658", "20", "360", "19", "", None, "660cc"],
    "stroke": ["", None, "2", "4", "3", "4.0", " 2 ", "two"],
    "ev_kw": ["", None, "20", "0.05", "0.1", "kw"],
}


def messy_rows(n, seed=1):
    rnd = random.Random(seed)
    # mostly valid values, so that each kind of error is seen first in some rows
    good = {k: v[:3] for k, v in RAW.items()}
    return [{k: rnd.choice(RAW[k] if rnd.random() < 0.15 else good[k]) for k in RAW} for _ in range(n)]


def write_csv(rows, path):
    pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}).write_csv(path)


def test_rejects_match_make_vehicle(tmp_path):
    """Each row is rejected by the batch exactly when make_vehicle rejects it, for the same
    field; accepted rows have the values make_vehicle reads."""
    rows = messy_rows(3000)
    write_csv(rows, tmp_path / "in.csv")
    counts = screen_file(tmp_path / "in.csv", tmp_path / "out.parquet", on=TODAY, today=TODAY)
    out = pl.read_parquet(tmp_path / "out.parquet")
    rej = pl.read_parquet(tmp_path / "out.rejects.parquet")
    assert counts.read == 3000 and counts.balanced
    by_row_out = {r["row"]: r for r in out.iter_rows(named=True)}
    by_row_rej = {r["row"]: r for r in rej.iter_rows(named=True)}
    assert sorted([*by_row_out, *by_row_rej]) == list(range(1, 3001))
    kinds = set()
    for i, raw in enumerate(rows, start=1):
        try:
            v = make_vehicle(**raw, today=TODAY)
        except InputError as exc:
            assert i in by_row_rej, (raw, exc)
            assert by_row_rej[i]["field"] == exc.field, (raw, by_row_rej[i]["reason"], str(exc))
            assert by_row_rej[i]["reason"] == f"{exc.field}: {exc.message}", raw
            kinds.add(exc.field)
            continue
        assert i in by_row_out, (raw, by_row_rej.get(i))
        got = by_row_out[i]
        for k, want in v.row().items():
            if isinstance(want, Span):  # a build window: the screen gives its first and last day
                want = want.lo if k == "built_start" else want.hi
            assert got[k] == want, (k, raw)
    assert kinds == {"built", "body", "stroke", "length_mm", "width_mm", "height_mm", "cc", "ev_kw"}


def test_verdicts_are_those_of_check(tmp_path):
    rows = [r for r in messy_rows(400, seed=2)]
    write_csv(rows, tmp_path / "in.csv")
    screen_file(tmp_path / "in.csv", tmp_path / "out.csv", on="2026-11-24", month_reading="start", today=TODAY)
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert out.height > 100
    for r in out.head(60).iter_rows(named=True):
        one = check(make_vehicle(**rows[int(r["row"]) - 1], today=TODAY), on="2026-11-24", month_reading="start")
        assert r["us_nhtsa_eligible_from"] == one["us"]["nhtsa_eligible_from"]
        assert r["us_path"] == one["us"]["path"]
        assert (r["kei_is_kei"] == "true") == one["kei"]["is_kei"]
        assert (r["kei_failed"] or "") == ",".join(one["kei"]["failed"])


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    d = tmp_path_factory.mktemp("sample")
    write_sample(d / "s.csv", rows=30_000, seed=5, bad_share=0.05, today=TODAY)
    write_sample(d / "s.parquet", rows=30_000, seed=5, bad_share=0.05, today=TODAY)
    return d


@pytest.mark.parametrize("src,dst", [("s.csv", "o.parquet"), ("s.parquet", "o.csv"), ("s.csv", "o.csv"),
                                     ("s.parquet", "o.parquet")])
def test_round_trips_lose_nothing(samples, tmp_path, src, dst):
    counts = screen_file(samples / src, tmp_path / dst, on=TODAY, today=TODAY)
    read = pl.read_csv if dst.endswith(".csv") else pl.read_parquet
    out, rej = read(tmp_path / dst), read(tmp_path / dst.replace(".", ".rejects."))
    assert (counts.read, counts.written, counts.rejected) == (30_000, out.height, rej.height)
    assert sorted(out["row"].to_list() + rej["row"].to_list()) == list(range(1, 30_001))
    assert rej["reason"].null_count() == 0 and rej["field"].null_count() == 0
    # rows keep their identity: the listing id is the row number in a sample
    for f in (out, rej):
        assert (f["listing_id"].cast(pl.Int64) == f["row"].cast(pl.Int64)).all()
    assert set(VERDICTS) <= set(out.columns)
    assert 0.03 < rej.height / 30_000 < 0.08


def test_csv_and_parquet_give_the_same_verdicts(samples, tmp_path):
    screen_file(samples / "s.csv", tmp_path / "a.parquet", on=TODAY, today=TODAY)
    screen_file(samples / "s.parquet", tmp_path / "b.parquet", on=TODAY, today=TODAY)
    a = pl.read_parquet(tmp_path / "a.parquet").select("row", *VERDICTS)
    b = pl.read_parquet(tmp_path / "b.parquet").select("row", *VERDICTS)
    assert a.height > 25_000 and a.equals(b)


def test_sample_has_every_kind_of_bad_row(samples, tmp_path):
    screen_file(samples / "s.csv", tmp_path / "o.csv", on=TODAY, today=TODAY)
    reasons = pl.read_csv(tmp_path / "o.rejects.csv")["reason"]
    for pattern in ["is not a build date", "not a real calendar date", "has no month", "outside the accepted dates 1885-01",
                    "in the future", "built: missing", "not a body type", "body: missing",
                    "outside the plausible range", "is not a number", "width_mm: missing", "cc: missing",
                    "not an engine cycle"]:
        assert reasons.str.contains(pattern, literal=True).any(), pattern
    assert len(BAD_KINDS) == 13


def test_sample_is_deterministic(tmp_path):
    for name in ("a", "b"):
        write_sample(tmp_path / f"{name}.csv", rows=5000, seed=11, today=TODAY)
    write_sample(tmp_path / "c.csv", rows=5000, seed=12, today=TODAY)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()


def test_mapping_and_units(tmp_path):
    mm = [dict(built="1999-05", body="truck", length_mm="3395", width_mm="1475", height_mm="1765",
               cc="658"),
          dict(built="1989-01-15", body="van", length_mm="3300", width_mm="1400", height_mm="1800",
               cc="550")]
    write_csv(mm, tmp_path / "mm.csv")
    other = [{"Built On": r["built"], "Type": r["body"], "Length (in)": str(float(r["length_mm"]) / 25.4),
              "Width (cm)": str(float(r["width_mm"]) / 10), "Height": r["height_mm"],
              "Engine (l)": str(float(r["cc"]) / 1000)} for r in mm]
    write_csv(other, tmp_path / "other.csv")
    screen_file(tmp_path / "mm.csv", tmp_path / "a.csv", on=TODAY, today=TODAY)
    screen_file(tmp_path / "other.csv", tmp_path / "b.csv", on=TODAY, today=TODAY,
                mapping=["Built On=built", "Type=body", "Length (in)=length_mm", "Width (cm)=width_mm",
                         "Height=height_mm", "Engine (l)=cc"], units=["length=in", "width=cm", "cc=l"])
    a, b = pl.read_csv(tmp_path / "a.csv"), pl.read_csv(tmp_path / "b.csv")
    assert b.height == 2
    assert a.select("length_mm", "width_mm", "cc", *VERDICTS).equals(b.select("length_mm", "width_mm", "cc", *VERDICTS))
    assert b["cc"].to_list() == [658, 550]  # 0.658 l is 658 cc, not 658.0000000000001


@pytest.mark.parametrize("mapping,units,field", [
    (["nope=built"], None, "map"), (["built"], None, "map"), (None, ["length=furlong"], "units"),
    (None, ["weight=kg"], "units"), (["body=built"], None, "map")])
def test_bad_options(tmp_path, mapping, units, field):
    write_csv([dict(built="1999-05", body="truck")], tmp_path / "in.csv")
    with pytest.raises(InputError) as err:
        screen_file(tmp_path / "in.csv", tmp_path / "o.csv", mapping=mapping, units=units, on=TODAY, today=TODAY)
    assert err.value.field == field


def test_streams_many_batches(tmp_path):
    """A file much larger than one streaming batch: every row once, in order, and the
    progress callback sees the rows go by."""
    n = 600_000
    write_sample(tmp_path / "big.parquet", rows=n, seed=3, today=TODAY)
    seen = []
    counts = screen_file(tmp_path / "big.parquet", tmp_path / "o.parquet", on=TODAY, today=TODAY,
                         progress=seen.append)
    assert counts.read == n and counts.balanced
    rows = pl.concat([pl.scan_parquet(tmp_path / "o.parquet").select("row"),
                      pl.scan_parquet(tmp_path / "o.rejects.parquet").select("row")]).collect()["row"]
    assert rows.sort().equals(pl.int_range(1, n + 1, eager=True).cast(rows.dtype).alias("row"))
    out_rows = pl.read_parquet(tmp_path / "o.parquet", columns=["row"])["row"]
    assert out_rows.is_sorted()
    assert len(seen) > 1 and max(seen) == n


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "keicar", *args], capture_output=True, text=True)


def test_cli_counts_and_errors(tmp_path):
    write_csv(messy_rows(200), tmp_path / "in.csv")
    ok = run_cli("screen", str(tmp_path / "in.csv"), "--out", str(tmp_path / "o.csv"), "--on", "2026-11-24")
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.startswith("read 200 = written ")
    for args, option in [(["missing.csv"], "IN"), ([str(tmp_path / "in.csv"), "--units", "cc=gallon"], "--units"),
                         ([str(tmp_path / "in.csv"), "--engine", "dask"], "--engine"),
                         ([str(tmp_path / "in.csv"), "--on", "1950-01-01"], "--on")]:
        bad = run_cli("screen", *args, "--out", str(tmp_path / "x.csv"))
        assert bad.returncode == 2 and bad.stderr.count("\n") == 1, bad.stderr
        assert bad.stderr.startswith(f"keicar: error: {option}: ")
    (tmp_path / "x.txt").write_text("a,b\n")
    bad = run_cli("screen", str(tmp_path / "x.txt"), "--out", str(tmp_path / "x.csv"))
    assert bad.returncode == 2 and "keicar: error: IN:" in bad.stderr


def test_unreadable_file_is_one_line(tmp_path):
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    bad = run_cli("screen", str(tmp_path / "bad.parquet"), "--out", str(tmp_path / "x.csv"))
    assert bad.returncode == 2 and bad.stderr.startswith("keicar: error: IN: cannot read"), bad.stderr

