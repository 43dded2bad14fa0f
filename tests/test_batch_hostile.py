"""Hostile files for ``keicar screen`` (issue 10): whatever the file, either the screen succeeds
and every row read is in the output or the rejects (rows counted by a reader other than
keicar's: Python's csv module, pyarrow's Parquet metadata), or it refuses the file in one line
and writes nothing. The input is byte-identical afterwards, and no run folder is left over.
"""

import csv
import datetime as dt
import io
import os
import string
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from keicar.batch import files
from keicar.batch.run import screen_file
from keicar.inputs.vehicle import InputError

TODAY = dt.date(2026, 11, 24)
SETTINGS = settings(max_examples=int(os.environ.get("KEICAR_HOSTILE_EXAMPLES", 25)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

GOOD = {"built": ["1999-05", "2001-02-28", "1990-1-1", "", "2027-01", "0000-05", "1999-13"],
        "body": ["truck", " Van", "PASSENGER", "bus", ""],
        "length_mm": ["3395", "3,395", "1e3", "nan", "inf", "-1", ""], "width_mm": ["1475", "x", ""],
        "height_mm": ["1765", "99999999999999999999", ""], "cc": ["658", "0.66", ""],
        "stroke": ["4", "2", "3", ""], "ev_kw": ["", "20", "-0"],
        "state": ["TX", "texas", "ZZ", "District of Columbia", "", "tx "]}
# extra column names: harmless, or refused (named like keicar's columns, or a repeat of one it reads)
EXTRA = ["note", "注記", "a b", "", "Built", "a\nb", 'say "hi"', "x,y"]
REFUSED = ["row", "field", "reason", "on", "kei_is_kei", "us_path", "__keicar_x", "built"]
hostile_text = st.text(alphabet=st.sampled_from([*string.printable, "é", "\u2028", "\ufeff", "🚗",
                                                 '"', ",", "\r", "\n"]), max_size=12)


def quote(value: str) -> str:
    """RFC 4180: a value with a comma, a quote or a line break is quoted, quotes doubled."""
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


@st.composite
def csv_files(draw):
    """(bytes of a CSV file, how it may legitimately be refused or None)."""
    read = draw(st.lists(st.sampled_from(list(GOOD)), unique=True, max_size=8))
    columns = ["built", "body", *[c for c in read if c not in ("built", "body")]]
    columns += draw(st.lists(st.sampled_from(EXTRA + REFUSED), max_size=3))
    draw(st.randoms()).shuffle(columns)
    end = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(map(quote, columns))]
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["good", "good", "good", "hostile", "ragged", "blank", "raw"]))
        if kind == "blank":
            lines.append("")
            continue
        values = [draw(st.sampled_from(GOOD[c])) if c in GOOD and kind != "hostile" else draw(hostile_text)
                  for c in columns]
        if kind == "ragged":
            values = values[:draw(st.integers(0, len(values)))] + draw(st.lists(hostile_text, max_size=2))
        if kind == "raw":  # unquoted: a comma in a value makes the line ragged
            values = [v.replace('"', "").replace("\r", "").replace("\n", "") for v in values]
            lines.append(",".join(values))
        else:
            lines.append(",".join(map(quote, values)))
    if len(lines) > 1 and draw(st.integers(0, 9)) == 0:  # a NUL character: binary data
        lines[-1] += "\x00"
    text = end.join(lines) + draw(st.sampled_from([end, ""]))
    data = draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + text.encode()
    if draw(st.booleans()):  # a byte that is not UTF-8, in a value
        data = data.replace("é".encode(), b"\xff", 1)
    refusal = None
    if b"\x00" in data:
        refusal = "binary data"
    elif (set(columns) & set(REFUSED) - {"built"}) or columns.count("built") > 1:
        refusal = "name"
    return data, refusal


def independent_count(data: bytes) -> int:
    """Data rows by Python's csv module; blank lines before the header are skipped (as by
    Polars and keicar), a blank line after it is a row."""
    text = data.decode("utf-8-sig", errors="replace")
    records = list(csv.reader(io.StringIO(text, newline="")))
    while records and records[0] == []:
        records.pop(0)
    return max(len(records) - 1, 0)


def csv_rows(path: Path) -> int:
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def check_run(src: Path, out: Path, rejects: Path, refusal: str | None, expected_read: int | None,
              record=lambda outcome: None):
    before = src.read_bytes()
    for p in (out, rejects):
        p.unlink(missing_ok=True)
    try:
        counts = screen_file(src, out, rejects, on=TODAY, today=TODAY)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message, message
        assert refusal is not None, f"refused: {message}"
        record(f"refused: {refusal}")
        assert not out.exists() and not rejects.exists()
    else:
        assert refusal is None, f"not refused ({refusal})"
        record("screened, with rejects" if counts.rejected else "screened, no rejects")
        count = csv_rows if out.suffix == ".csv" else parquet_rows
        written, rejected = count(out), count(rejects)
        assert (counts.read, counts.written, counts.rejected) == (expected_read, written, rejected)
        assert expected_read == written + rejected
        rows = pl.concat([pl.read_csv(p, columns=["row"], infer_schema=False) if p.suffix == ".csv"
                          else pl.read_parquet(p, columns=["row"]).cast(pl.String) for p in (out, rejects)])
        assert sorted(rows["row"].cast(pl.Int64).to_list()) == list(range(1, expected_read + 1))
    assert src.read_bytes() == before
    assert not list(src.parent.glob(files.PREFIX + "*"))


@SETTINGS
@given(csv_files(), st.sampled_from([".csv", ".parquet"]))
def test_hostile_csv(tmp_path, case, out_format):
    if out_format == ".parquet":
        pytest.importorskip("pyarrow")
    data, refusal = case
    src = tmp_path / "in.csv"
    src.write_bytes(data)
    check_run(src, tmp_path / f"out{out_format}", tmp_path / f"rej{out_format}", refusal,
              None if refusal else independent_count(data), event)


def test_old_mac_file_is_refused_whatever_its_rows(tmp_path):
    for rows in (1, 2, 50):
        src = tmp_path / "in.csv"
        src.write_bytes(("built,body\r" + "1999-05,truck\r" * rows).encode())
        check_run(src, tmp_path / "o.csv", tmp_path / "r.csv", "old Mac", None)


@st.composite
def parquet_frames(draw):
    n = draw(st.integers(0, 30))
    text = st.one_of(st.none(), hostile_text, st.sampled_from(GOOD["built"] + GOOD["body"]))
    cols = {"built": draw(st.sampled_from([pl.String, pl.Int64, pl.Date, pl.Null])),
            "body": draw(st.sampled_from([pl.String, pl.Categorical])),
            "length_mm": draw(st.sampled_from([pl.String, pl.Float64, pl.Int32])),
            "note": draw(st.sampled_from([pl.String, pl.List(pl.String)]))}
    data = {}
    for name, dtype in cols.items():
        if dtype == pl.Null:
            data[name] = pl.Series(name, [None] * n, dtype=pl.Null)
        elif dtype == pl.Date:
            data[name] = pl.Series(name, draw(st.lists(st.none() | st.dates(), min_size=n, max_size=n)), pl.Date)
        elif dtype in (pl.Int64, pl.Int32):
            data[name] = pl.Series(name, draw(st.lists(st.none() | st.integers(-2**31, 2**31 - 1), min_size=n,
                                                       max_size=n)), dtype)
        elif dtype == pl.Float64:
            data[name] = pl.Series(name, draw(st.lists(st.none() | st.floats(), min_size=n, max_size=n)), dtype)
        elif dtype == pl.List(pl.String):
            data[name] = pl.Series(name, draw(st.lists(st.lists(hostile_text, max_size=2), min_size=n,
                                                       max_size=n)), dtype)
        else:
            data[name] = pl.Series(name, draw(st.lists(text, min_size=n, max_size=n)), pl.String).cast(dtype)
    return pl.DataFrame(data), cols


@SETTINGS
@given(parquet_frames(), st.sampled_from([".csv", ".parquet"]))
def test_hostile_parquet(tmp_path, case, out_format):
    pytest.importorskip("pyarrow")
    frame, cols = case
    src = tmp_path / "in.parquet"
    frame.write_parquet(src)
    refusal = None
    if cols["note"] == pl.List(pl.String) and out_format == ".csv":
        refusal = "a list column cannot go into CSV"
    check_run(src, tmp_path / f"out{out_format}", tmp_path / f"rej{out_format}", refusal, parquet_rows(src), event)
