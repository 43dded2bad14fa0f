"""keicar screen's summary and --report (issue 13 item 5): the counts are those of the files
written, counted here independently; the report is one self-contained, well-formed page,
written like the other outputs (never over the input or another output; a killed run leaves
no finished-looking report)."""

import datetime as dt
import json
import re
import signal
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections import Counter

import polars as pl
import pytest

from keicar.batch import files
from keicar.batch.run import screen_file
from keicar.rules.registry import OUTLOOKS
from keicar.inputs.vehicle import InputError

TODAY = dt.date(2026, 11, 30)
HEADER = "built,body,length_mm,width_mm,height_mm,cc,state,price_jpy"
ROWS = [
    "1999-05,truck,3395,1475,1765,658,TX,600000",          # road now
    "2001-12-15,truck,3395,1475,1765,658,texas,500000",    # road within 12 months (2026-12-15)
    "2015-06,truck,3395,1475,1765,658,Rhode Island,",      # off-road only
    "2012-03,passenger,3395,1475,1500,658,CO,900000",      # later
    "1990-01,passenger,3600,1500,1500,700,CA,100000",      # not kei
    "2005-06,passenger,3395,1475,1500,658,ZZ,100000",      # reject: state
    "1990-01,passenger,3300,1400,,550,,100000",            # reject: height
    "1998-02,van,3295,1395,1900,658,,",                    # road now (1990 standard), no state
    "<i>x</i>,truck,3395,1475,1765,658,TX,1",              # reject: built, quoted in the reason
]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "keicar", *map(str, args)], capture_output=True, text=True)


@pytest.fixture
def listing(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("\n".join([HEADER, *ROWS]) + "\n")
    return src


def test_summary_counts_are_the_counts_of_the_files(listing, tmp_path):
    out = tmp_path / "o.parquet"
    counts = screen_file(listing, out, on=TODAY, today=TODAY, fx_jpy_per_usd="150", summary=True)
    s = counts.summary
    written = pl.read_parquet(out)
    rejected = pl.read_parquet(tmp_path / "o.rejects.parquet")
    assert (s["read"], s["written"], s["rejected"]) == (len(ROWS), written.height, rejected.height) == (9, 6, 3)
    # counted here with the standard library, not with the summary's group-by
    verdicts = Counter(written["us_import_outlook"].cast(pl.String).to_list())
    assert {v: n for v, n in s["by_verdict"].items() if n} == dict(verdicts)
    assert list(s["by_verdict"]) == list(OUTLOOKS) and sum(s["by_verdict"].values()) == written.height
    assert s["by_verdict"] == {"road-now": 2, "road-within-12-months": 1, "off-road-only": 1, "later": 1,
                               "not-kei": 1, "unknown": 0}
    pairs = Counter(zip(written["state"].fill_null("(none)").to_list(),
                        written["us_import_outlook"].cast(pl.String).to_list()))
    assert {(st, v): n for st, row in s["by_state"].items() for v, n in row.items() if n} == dict(pairs)
    assert list(s["by_state"])[-1] == "(none)"
    assert s["rejects_by_field"] == dict(Counter(rejected["field"].to_list()))
    assert sum(r["rows"] for r in s["reject_reasons"]) + s["other_reject_rows"] == rejected.height
    state = next(r for r in s["reject_reasons"] if r["field"] == "state")
    assert "'…'" in state["reason"] and "'ZZ'" in state["example"] and state["first_row"] == 6


def test_one_state_for_every_row_and_columns_without_the_verdict(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("built,body,length_mm,width_mm,height_mm,cc\n1999-05,truck,3395,1475,1765,658\n"
                   "2020-05,passenger,3395,1475,1500,658\n")
    s = screen_file(src, tmp_path / "o.csv", on=TODAY, today=TODAY, state="TX", summary=True).summary
    assert s["by_state"] == {"TX": s["by_verdict"]} and s["by_verdict"]["road-now"] == 1
    assert s["by_verdict"]["later"] == 1
    s = screen_file(src, tmp_path / "p.csv", on=TODAY, today=TODAY, columns="us.path", summary=True).summary
    assert s["by_verdict"] is None and s["by_state"] is None and s["written"] == 2


def test_cli_prints_the_summary_and_json(listing, tmp_path):
    r = cli("screen", listing, "--out", tmp_path / "o.csv", "--on", TODAY, "--fx-jpy-per-usd", "150")
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("read 9 = written 6 + rejected 3 -> ")
    assert "Road import within 12 months" in r.stdout and "TX" in r.stdout and "height_mm" in r.stdout
    r = cli("screen", listing, "--out", tmp_path / "j.csv", "--on", TODAY, "--fx-jpy-per-usd", "150", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)  # stdout holds the JSON alone
    assert (data["read"], data["written"], data["rejected"]) == (9, 6, 3)
    assert data["by_verdict"]["road-now"] == 2 and data["report"] is None
    assert data["by_state"]["TX"]["road-now"] == 1 and data["by_state"]["TX"]["road-within-12-months"] == 1


def test_the_report_is_one_self_contained_well_formed_page(listing, tmp_path):
    report = tmp_path / "report.html"
    r = cli("screen", listing, "--out", tmp_path / "o.csv", "--on", TODAY, "--fx-jpy-per-usd", "150",
            "--report", report)
    assert r.returncode == 0, r.stderr
    text = report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"(?i)https?:|//[a-z0-9]|<script|<link|<img|<iframe|@import|url\(", text)
    root = ET.fromstring(text.split("\n", 1)[1])  # well-formed: every element closed, every value escaped
    assert root.tag == "html" and root.find("head/title") is not None and root.find("head/style") is not None
    assert len(root.findall(".//svg")) == 2  # the verdict chart and the state chart
    page = " ".join(root.itertext())
    assert "Road import within 12 months" in page and "Rhode Island" not in page  # states as codes
    assert "<i>x</i>" in page and "<i>" not in text  # the input's text shown, never taken as markup
    # the chart's bars: one per verdict, widths in proportion to the counts
    bars = [e for e in root.find(".//svg").iter("rect")]
    widths = [float(b.get("width")) for b in bars]
    assert len(bars) == len(OUTLOOKS) and widths[0] == max(widths) and widths[3] == widths[0] / 2


@pytest.mark.parametrize("other", ["in", "out", "rejects"])
def test_the_report_is_never_the_input_or_another_output(listing, tmp_path, other):
    out, rejects = tmp_path / "o.csv", tmp_path / "r.csv"
    target = {"in": listing, "out": out, "rejects": rejects}[other]
    target.write_bytes(listing.read_bytes()) if not target.exists() else None
    link = tmp_path / "same.html"
    link.hardlink_to(target)
    before = listing.read_bytes()
    with pytest.raises(InputError) as err:
        screen_file(listing, out, rejects, on=TODAY, today=TODAY, report=link, fx_jpy_per_usd="150")
    assert err.value.field == "report" and ("same file" in str(err.value) or "input file" in str(err.value))
    assert listing.read_bytes() == before and link.read_bytes() == target.read_bytes()


def test_a_report_name_must_end_in_html(listing, tmp_path):
    r = cli("screen", listing, "--out", tmp_path / "o.csv", "--report", tmp_path / "r.txt")
    assert r.returncode == 2 and r.stderr.startswith("keicar: error: --report: ") and r.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_killed_run_leaves_no_finished_looking_report(listing, tmp_path):
    """Killed while the report is being written: no report, no output under its name; the
    next run removes the run folder, report included."""
    script = textwrap.dedent("""
        import sys, time
        import keicar.present.report as report
        def slow(path, summary, about):
            with open(path, "w") as f:
                f.write("<!DOCTYPE html><html><head><title>half")
                f.flush()
                print("writing", flush=True)
                time.sleep(60)
        report.write_report = slow
        sys.argv = ["keicar", *sys.argv[1:]]
        from keicar.cli.main import main
        main()
    """)
    out, report = tmp_path / "o.csv", tmp_path / "report.html"
    child = subprocess.Popen([sys.executable, "-c", script, "screen", str(listing), "--out", str(out),
                              "--on", TODAY.isoformat(), "--fx-jpy-per-usd", "150", "--report", str(report)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        (run,) = tmp_path.glob(files.PREFIX + "*")
        assert (run / "report.html").exists()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(files.PREFIX)) == ["in.csv"]
    counts = screen_file(listing, out, on=TODAY, today=TODAY, fx_jpy_per_usd="150", report=report)
    assert counts.balanced and not run.exists() and report.read_text().rstrip().endswith("</html>")
