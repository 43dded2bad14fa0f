"""keicar screen keeps users' files safe: one regression test per defect of issue 10 (items 1-5,
15, 16). Every test also checks that the input file is unchanged."""

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from keicar.batch import files
from keicar.batch import run as R
from keicar.batch.csvscan import count_records
from keicar.batch.run import RowsLost, screen_file
from keicar.cli.main import main
from keicar.engine.parameters import default_law
from keicar.answers.state import state_codes, state_name
from keicar.inputs.vehicle import InputError

TODAY = dt.date(2026, 11, 24)
HEADER = "built,body,length_mm,width_mm,height_mm,cc"
GOOD = "1999-05,truck,3395,1475,1765,658"


def write(path: Path, *lines: str, end: str = "\n") -> Path:
    path.write_bytes(end.join(lines).encode() + end.encode())
    return path


def screen(src, out, **kw):
    return screen_file(src, out, on=TODAY, today=TODAY, **kw)


def cli(capsys, *args) -> tuple[int, str]:
    """``keicar ARGS`` in this process, through the real entry point: (exit code, stderr)."""
    argv = sys.argv
    sys.argv = ["keicar", *map(str, args)]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        sys.argv = argv
    return code, capsys.readouterr().err


def one_line_error(code: int, err: str, option: str | None = None) -> None:
    assert code == 2 and err.startswith("keicar: error: ") and err.count("\n") == 1, err
    if option:
        assert err.startswith(f"keicar: error: --{option}: "), err


def run_folders(folder: Path) -> list[Path]:
    return sorted(folder.glob(files.PREFIX + "*"))


@pytest.fixture
def listing(tmp_path):
    src = write(tmp_path / "in.csv", HEADER, GOOD, "1999-05,bus,3395,1475,1765,658", GOOD)
    return src, src.read_bytes()


# 1. hard links -------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["out", "rejects"])
@pytest.mark.parametrize("link", [os.link, os.symlink])
def test_an_output_linked_to_the_input_is_refused(listing, tmp_path, option, link):
    src, before = listing
    link(src, tmp_path / "other.csv")
    kw = {"out": tmp_path / "o.csv", "rejects": tmp_path / "r.csv"}
    kw[option] = tmp_path / "other.csv"
    with pytest.raises(InputError) as err:
        screen(src, kw["out"], rejects=kw["rejects"])
    assert err.value.field == option and "is the input file" in err.value.message
    assert src.read_bytes() == before and (tmp_path / "other.csv").read_bytes() == before
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "r.csv").exists()


def test_out_and_rejects_linked_to_each_other_are_refused(listing, tmp_path):
    src, before = listing
    write(tmp_path / "o.csv", "old")
    os.link(tmp_path / "o.csv", tmp_path / "r.csv")
    with pytest.raises(InputError) as err:
        screen(src, tmp_path / "o.csv", rejects=tmp_path / "r.csv")
    assert err.value.field == "rejects"
    assert (tmp_path / "o.csv").read_text() == "old\n" and src.read_bytes() == before


def test_a_stale_run_folder_holding_the_input_is_kept(listing, tmp_path):
    """Cleaning up compares files, not names: a (hard-linked) input inside a dead run's folder
    is never removed."""
    src, before = listing
    stale = tmp_path / (files.PREFIX + "old")
    stale.mkdir()
    (stale / files.MARKER).write_text(json.dumps({"keicar": "run", "host": os.uname().nodename,
                                                  "boot": "another boot", "pid": 1, "start": "1"}))
    os.link(src, stale / "in.csv")
    screen(src, tmp_path / "o.csv")
    assert (stale / "in.csv").read_bytes() == before and src.read_bytes() == before


# 2. CR-only line breaks; rows counted by a second reader ---------------------------------

def test_old_mac_line_breaks_are_refused_in_one_line(tmp_path, capsys):
    src = write(tmp_path / "mac.csv", HEADER, GOOD, GOOD, end="\r")
    before = src.read_bytes()
    code, err = cli(capsys, "screen", src, "--out", tmp_path / "o.csv", "--on", "2026-11-24")
    one_line_error(code, err)
    assert "carriage return alone" in err and src.read_bytes() == before
    assert not (tmp_path / "o.csv").exists()
    # a CR alone further down is found by the full reading
    src = write(tmp_path / "mixed.csv", HEADER, GOOD + "\r" + GOOD, GOOD)
    with pytest.raises(InputError, match="carriage return alone"):
        screen(src, tmp_path / "o.csv")


def test_crlf_and_quoted_line_breaks_are_rows(tmp_path):
    src = write(tmp_path / "in.csv", HEADER + ",notes", GOOD + ',"two\r\nlines"', GOOD + ",x", end="\r\n")
    counts = screen(src, tmp_path / "o.parquet")
    assert (counts.read, counts.written, counts.rejected) == (2, 2, 0)
    assert pl.read_parquet(tmp_path / "o.parquet")["notes"].to_list() == ["two\r\nlines", "x"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_the_second_reader_counts_as_pythons_csv_module_does(tmp_path, chunk):
    text = ('\ufeffa,b,"c\nc"\r\n\r\n1,"x,""y""\n",3\n"",,\n4,5\n6,7,8,9\n\n"q\r\n",r,"s"')
    src = tmp_path / "in.csv"
    src.write_bytes(text.encode())
    with open(src, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]
    rec = count_records(src, chunk=chunk)
    assert rec.header_fields == 3 and rec.rows == len(rows) == 7
    assert [i for i, r in enumerate(rows, 1) if len(r) != 3] == rec.ragged_rows == [1, 4, 5, 6]
    assert rec.ragged_fields == [0, 2, 4, 0]


def test_rows_lost_by_the_reader_leave_no_output(listing, tmp_path, monkeypatch):
    """If the CSV reader drops a row, the second count says so and nothing is written."""
    src, before = listing
    write(tmp_path / "o.csv", "from an earlier run")
    real_scan = R.scan

    def lossy_scan(path, row_index=True):
        lf = real_scan(path, row_index)
        return lf.filter(pl.col(R.INDEX) != 2) if row_index else lf
    monkeypatch.setattr(R, "scan", lossy_scan)
    with pytest.raises(RowsLost) as err:
        screen(src, tmp_path / "o.csv")
    assert (err.value.counts.read, err.value.counts.written, err.value.counts.rejected) == (3, 2, 0)
    assert (tmp_path / "o.csv").read_text() == "from an earlier run\n"
    assert not (tmp_path / "o.rejects.csv").exists() and not run_folders(tmp_path)
    assert src.read_bytes() == before


# 3. ragged rows, repeated columns ------------------------------------------------------------

def test_ragged_rows_are_rejected_with_their_reason(tmp_path):
    src = write(tmp_path / "in.csv", HEADER + ",notes", GOOD + ",a", GOOD + ",b,lost?", "1999-05,truck", "",
                GOOD + ",c")
    counts = screen(src, tmp_path / "o.csv")
    rej = pl.read_csv(tmp_path / "o.rejects.csv", infer_schema=False)
    assert (counts.read, counts.written, counts.rejected) == (5, 2, 3)
    assert rej["row"].to_list() == ["2", "3", "4"] and set(rej["field"]) == {"row"}
    assert rej["reason"].to_list() == [
        "row: the line has 8 fields where the header has 7; a value may hold an unquoted comma",
        "row: the line has 2 fields where the header has 7", "row: the line is empty"]
    assert pl.read_csv(tmp_path / "o.csv")["notes"].to_list() == ["a", "c"]


@pytest.mark.parametrize("header,mapping", [
    ("built,body,built", None), ("Year,body,Year", ["Year=built"]), ("built,Type,Type", ["Type=body"])])
def test_a_repeated_column_keicar_reads_is_refused(tmp_path, capsys, header, mapping):
    src = write(tmp_path / "in.csv", header, "1999-05,truck,2001-01")
    args = [a for m in mapping or [] for a in ("--map", m)]
    code, err = cli(capsys, "screen", src, "--out", tmp_path / "o.csv", *args)
    one_line_error(code, err)
    assert "names 2 columns" in err and not (tmp_path / "o.csv").exists()


def test_a_repeated_column_kept_as_it_is_passes(tmp_path):
    src = write(tmp_path / "in.csv", HEADER + ",note,note", GOOD + ",a,b")
    assert screen(src, tmp_path / "o.csv").written == 1


# 4. input columns named like keicar's -------------------------------------------------------

@pytest.mark.parametrize("name", ["row", "field", "reason", "built_start", "kei_is_kei", "us_path", "duty_hts",
                                  "on", "__keicar_bad", "__keicar_in_0"])
def test_a_column_named_like_keicars_is_refused_and_map_resolves_it(tmp_path, capsys, name):
    src = write(tmp_path / "in.csv", HEADER + "," + name, GOOD + ",mine", "1999-05,bus,1,1,1,1,mine too")
    before = src.read_bytes()
    code, err = cli(capsys, "screen", src, "--out", tmp_path / "o.csv", "--on", "2026-11-24")
    one_line_error(code, err, "map")
    assert repr(name) in err and "--map" in err and not (tmp_path / "o.csv").exists()
    code, err = cli(capsys, "screen", src, "--out", tmp_path / "o.csv", "--on", "2026-11-24",
                    "--map", f"{name}=theirs")
    assert code == 0, err
    assert pl.read_csv(tmp_path / "o.csv")["theirs"].to_list() == ["mine"]
    assert pl.read_csv(tmp_path / "o.rejects.csv")["theirs"].to_list() == ["mine too"]
    assert src.read_bytes() == before


# 5. nothing that looks finished unless the run finished ---------------------------------------

def test_a_failed_run_leaves_nothing_and_keeps_earlier_outputs(listing, tmp_path, monkeypatch):
    src, before = listing
    write(tmp_path / "o.csv", "earlier")

    def fail(self):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(R._Rejects, "finish", fail)
    with pytest.raises(InputError, match="the disk is full"):
        screen(src, tmp_path / "o.csv")
    assert (tmp_path / "o.csv").read_text() == "earlier\n" and not (tmp_path / "o.rejects.csv").exists()
    assert not run_folders(tmp_path) and src.read_bytes() == before


def test_outputs_appear_together_and_under_their_names(listing, tmp_path):
    src, _ = listing
    counts = screen(src, tmp_path / "o.parquet", rejects=tmp_path / "sub.csv")
    assert counts.balanced and sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.parquet", "sub.csv"]


def test_a_killed_run_leaves_only_its_run_folder_which_the_next_run_removes(tmp_path):
    from keicar.batch.sample import write_sample

    src = tmp_path / "big.parquet"
    write_sample(src, rows=800_000, seed=4, today=TODAY)
    before = src.read_bytes()
    out = tmp_path / "out" / "o.csv"
    out.parent.mkdir()
    child = subprocess.Popen([sys.executable, "-m", "keicar", "screen", str(src), "--out", str(out),
                              "--on", "2026-11-24"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size > 0 for p in out.parent.glob(files.PREFIX + "*/o.csv")):
        assert child.poll() is None and time.monotonic() < deadline, "the run ended before it was killed"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert [p.name for p in out.parent.iterdir() if not p.name.startswith(files.PREFIX)] == []
    (stale,) = run_folders(out.parent)
    live = out.parent / (files.PREFIX + "live")   # a run still going: kept
    live.mkdir()
    (live / files.MARKER).write_text(json.dumps(files._me()))
    foreign = out.parent / (files.PREFIX + "foreign")  # not provably ours: kept
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    small = write(tmp_path / "small.csv", HEADER, GOOD)
    screen(small, out)
    assert not stale.exists() and live.exists() and (foreign / "notes.txt").read_text() == "mine"
    assert out.exists() and src.read_bytes() == before


# 15. state codes and names --------------------------------------------------------------

def test_state_names_are_read_and_unknown_codes_rejected(tmp_path):
    law = default_law()
    codes = state_codes(law)
    values = [*codes, *(state_name(law, c) for c in codes), " new  york ", "texas", "ZZ", "Texass", ""]
    src = write(tmp_path / "in.csv", HEADER + ",state", *[f'{GOOD},"{v}"' for v in values])
    counts = screen(src, tmp_path / "o.csv")
    out = pl.read_csv(tmp_path / "o.csv", infer_schema=False)
    rej = pl.read_csv(tmp_path / "o.rejects.csv", infer_schema=False)
    assert out["state"].to_list() == [*codes, *codes, "NY", "TX", None]
    assert rej["state"].to_list() == ["ZZ", "Texass"] and set(rej["field"]) == {"state"}
    assert rej["reason"][0].startswith("state: 'ZZ' is not a US state") and counts.balanced


def test_codes_alone_do_not_read_every_state_file(tmp_path, monkeypatch):
    """The names are read from the law only when some value is not a code."""
    calls = []
    monkeypatch.setattr(R, "_state_values", lambda codes_only, real=R._state_values: (
        calls.append(codes_only), real(codes_only))[1])
    screen(write(tmp_path / "a.csv", HEADER + ",state", GOOD + ",TX", GOOD + ",ca"), tmp_path / "a.parquet")
    assert calls == [True]
    screen(write(tmp_path / "b.csv", HEADER + ",state", GOOD + ",TX", GOOD + ",Texas"), tmp_path / "b.parquet")
    assert calls == [True, True, False]


# 16. wrong kinds of file and folder --------------------------------------------------------

def test_parquet_named_csv_is_one_line(tmp_path, capsys):
    pl.DataFrame({"built": ["1999-05"], "body": ["truck"]}).write_parquet(tmp_path / "in.csv")
    code, err = cli(capsys, "screen", tmp_path / "in.csv", "--out", tmp_path / "o.csv")
    one_line_error(code, err)
    assert "Parquet" in err and err[:-1].isprintable()


@pytest.mark.parametrize("option", ["--out", "--rejects"])
def test_an_output_that_is_a_folder_is_one_line(listing, tmp_path, capsys, option):
    src, before = listing
    (tmp_path / "d.csv").mkdir()
    args = {"--out": tmp_path / "o.csv", "--rejects": tmp_path / "r.csv"}
    args[option] = tmp_path / "d.csv"
    code, err = cli(capsys, "screen", src, *[x for kv in args.items() for x in kv])
    one_line_error(code, err, option[2:])
    assert "is a folder" in err and src.read_bytes() == before and list((tmp_path / "d.csv").iterdir()) == []


def test_a_read_only_folder_is_one_line(listing, tmp_path, capsys):
    src, _ = listing
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    locked = False
    try:
        if os.access(ro, os.W_OK):  # root ignores permissions: make the folder immutable instead
            locked = subprocess.run(["chattr", "+i", str(ro)], capture_output=True).returncode == 0
            if not locked:
                pytest.skip("cannot make a folder read-only for this user")
        code, err = cli(capsys, "screen", src, "--out", ro / "o.csv")
        one_line_error(code, err, "out")
        assert "cannot write in the folder" in err
    finally:
        if locked:
            subprocess.run(["chattr", "-i", str(ro)])
        ro.chmod(0o755)


def test_spark_replaces_only_its_own_output_folders(listing, tmp_path):
    """``--engine spark`` writes folders of part files: it may replace such a folder, never
    another folder, a file, or a folder that holds the input."""
    src, _ = listing
    spark_out = tmp_path / "s.parquet"
    spark_out.mkdir()
    for name in ("part-00000-x.snappy.parquet", ".part-00000-x.snappy.parquet.crc", "_SUCCESS"):
        (spark_out / name).write_bytes(b"")
    files.check_targets(src, {"out": spark_out, "rejects": tmp_path / "new.parquet"}, spark=True)
    (tmp_path / "mine.parquet").mkdir()
    (tmp_path / "mine.parquet" / "thesis.docx").write_bytes(b"")
    os.link(src, spark_out / "part-00001-in.csv")
    for target in (tmp_path / "mine.parquet", spark_out, src):
        with pytest.raises(InputError) as err:
            files.check_targets(src, {"out": target, "rejects": tmp_path / "r.parquet"}, spark=True)
        assert err.value.field == "out"
