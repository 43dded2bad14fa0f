"""Regressions of issue 10 (hardening) for the command line and the core it calls: each input
that once gave an internal error, invalid JSON or a wrong option name."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from keicar.cli.examples import EXAMPLES
from keicar.engine.parameters import default_law
from keicar.engine.policy import shipped_policies
from keicar.present.jsonout import dumps
from keicar.answers.state import state_codes
from test_cli import run, strict_json

CODES = state_codes(default_law())
DATES = ["1990-01-01", "2000-06-15", "2024-05-31", "2024-06-01", "2027-07-01", "2035-12-31"]
EXAMPLE_TRUCK = ["--body", "truck", "--built", "1999-05"]


def refused(argv: list[str], option: str) -> str:
    """Run keicar; assert a one-line refusal naming ``option`` with exit 2; the message."""
    code, out, err = run(argv)
    assert code == 2, (argv, code, err)
    assert out == "" and "Traceback" not in err and "internal error" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"keicar: error: {option}: "), lines[0]
    return lines[0]


def test_there_are_51_state_records():
    assert len(CODES) == 51 and "DC" in CODES


@pytest.mark.parametrize("on", DATES)
def test_every_state_on_every_date_is_strict_json(on):
    code, out, err = run(["states", "--on", on, "--json"])
    assert code == 0, err
    listing = strict_json(out)
    assert listing["count"] == 51 and [s["code"] for s in listing["states"]] == list(CODES)
    for state in CODES:
        code, out, err = run(["state", state, "--on", on, "--json"])
        assert code == 0, (state, err)
        record = strict_json(out)
        assert record["code"] == state and record["on"] == on


def test_disputed_claim_dates_are_iso_strings():
    """Georgia's disputed status carries a dated claim: it once broke `state GA --json`."""
    record = strict_json(run(["state", "GA", "--on", "2026-11-30", "--json"])[1])
    dates = [d["date"] for v in record["parameters"]["status"] for d in v.get("disputed", []) if "date" in d]
    assert dates and all(isinstance(d, str) and dt.date.fromisoformat(d) for d in dates)


@pytest.mark.parametrize("argv, option", [
    (["check", "--example", "--built", "0000-05"], "--built"),
    (["check", "--example", "--built", "0000-05-31"], "--built"),
    (["check", "--example", "--on", "0000-01-01"], "--on"),
    (["check", "--example", "--state", "RI", "--registered", "0000-01-01"], "--registered"),
    (["cost", *EXAMPLE_TRUCK[:2], "--built", "0000-05", "--price-usd", "4000"], "--built"),
    (["cost", *EXAMPLE_TRUCK, "--price-usd", "4000", "--entry-date", "9999-12-31"], "--entry-date"),
    (["papers", *EXAMPLE_TRUCK[:2], "--built", "0000-05"], "--built"),
    (["calendar", "--month", "0000-01"], "--month"),
    (["calendar", "--month", "9999-12"], "--month"),
    (["when", "DA63T", "--on", "0000-01-01"], "--on"),
    (["states", "--on", "0000-01-01"], "--on"),
    (["state", "GA", "--on", "9999-12-31"], "--on"),
    (["map", "--out", "x.svg", "--on", "0000-01-01"], "--on"),
    (["data", "audit", "--on", "0000-01-01"], "--on"),
    (["fmvss", "--class", "kei-for-america", "--on", "0000-01-01"], "--on"),
])
def test_dates_outside_the_accepted_range_are_refused(argv, option, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = refused(argv, option)
    assert "outside the accepted dates 1885-01" in message and "to 2100-12" in message
    assert not list(tmp_path.iterdir())  # nothing written


def test_first_and_last_accepted_days():
    assert run(["states", "--on", "1885-01-01", "--json"])[0] == 0
    assert run(["states", "--on", "2100-12-31", "--json"])[0] == 0
    refused(["states", "--on", "1884-12-31"], "--on")
    refused(["states", "--on", "2101-01-01"], "--on")
    refused(["calendar", "--month", "2101-01"], "--month")


@pytest.mark.parametrize("code", ["", " ", "\t"])
def test_blank_state_code(code):
    message = refused(["state", code], "CODE")
    assert "missing" in message and "DC" in message


def test_errors_name_options_that_exist():
    assert "'ZZ' is not a state" in refused(["state", "ZZ"], "CODE")
    message = refused(["fmvss", "--class", "bogus"], "--class")
    for accepted in ["passenger", "truck", "lsv"] + [p.stem for p in shipped_policies()]:
        assert accepted in message
    refused(["fmvss", "--class", "9" * 400], "--class")  # too long to be a file name
    refused(["policy", "show", "no-such-policy"], "FILE")
    refused(["screen", "no-such-file.csv", "--out", "o.csv"], "IN")


def test_version():
    from keicar import __version__

    code, out, _err = run(["--version"])
    assert code == 0 and out == f"keicar {__version__}\n"


def _commands() -> list[str]:
    return sorted(EXAMPLES)


@pytest.mark.parametrize("name", _commands())
def test_help_has_examples(name):
    code, out, _err = run([*name.split(), "--help"])
    assert code == 0
    assert "Examples" in out and f"keicar {name}" in out


def test_every_command_has_examples():
    import typer

    from keicar.cli.main import app

    names, stack = [], [(typer.main.get_command(app), "")]
    while stack:
        group, prefix = stack.pop()
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                stack.append((cmd, f"{prefix}{name} "))
            else:
                names.append(prefix + name)
    assert sorted(names) == _commands()


@pytest.mark.parametrize("example", [e for name in ("calendar", "lookup", "when", "state", "fmvss", "papers")
                                     for e in EXAMPLES[name]])
def test_examples_run(example):
    import shlex

    code, out, err = run(shlex.split(example)[1:])
    assert code == 0, err
    assert out


def test_readme_calendar_example_shows_generations():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.startswith("keicar calendar --month"))
    month = line.split()[3]
    code, out, _err = run(["calendar", "--month", month, "--json"])
    r = strict_json(out)
    assert code == 0 and r["first_builds_importable"] and r["last_builds_importable"]


@pytest.mark.parametrize("text", ["[/x]", "[bold]x", "[red]", "[link=file:///etc/passwd]x[/link]"])
def test_markup_in_user_input_is_shown_as_typed(text):
    code, out, err = run(["lookup", text])
    assert code == 1 and "internal error" not in err  # not in the catalog: exit 1, documented
    assert text.upper() in out


def test_markup_in_a_policy_file_is_shown_as_typed(tmp_path):
    source = next(p for p in shipped_policies() if p.stem == "kei-for-america").read_text(encoding="utf-8")
    policy = tmp_path / "p.yaml"
    policy.write_text(source.replace("policy: kei-for-america", "policy: kei-[/x]-[red]"), encoding="utf-8")
    code, out, err = run(["fmvss", "--class", str(policy), "--on", "2030-01-01"])
    assert code == 0, err
    assert "kei-[/x]-[red]" in out


@pytest.mark.parametrize("rate", ["5e-324", "1e-300", "0", "-150", "nan", "inf", "49.99", "500.01", "1e308"])
def test_exchange_rate_outside_the_plausible_range(rate):
    message = refused(["cost", *EXAMPLE_TRUCK, "--price-jpy", "600000", "--fx-jpy-per-usd", rate, "--json"],
                      "--fx-jpy-per-usd")
    assert "plausible range 50–500 yen per dollar" in message


@pytest.mark.parametrize("rate", ["50", "500"])
def test_exchange_rate_at_the_ends_of_the_range(rate):
    code, out, err = run(["cost", *EXAMPLE_TRUCK, "--price-jpy", "600000", "--fx-jpy-per-usd", rate, "--json"])
    assert code == 0, err
    assert strict_json(out)["input"]["price_usd"] == round(600000 / float(rate), 2)


def test_price_limit_applies_after_conversion():
    refused(["cost", *EXAMPLE_TRUCK, "--price-jpy", "1500000001", "--fx-jpy-per-usd", "150"], "--price-jpy")
    assert run(["cost", *EXAMPLE_TRUCK, "--price-jpy", "1500000000", "--fx-jpy-per-usd", "150", "--json"])[0] == 0


def test_dumps_is_strict_and_writes_dates():
    assert dumps({"on": dt.date(2026, 11, 30), "codes": ("GA",)}) == '{"on": "2026-11-30", "codes": ["GA"]}'
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match=r"at a\.b\[1\]"):
            dumps({"a": {"b": [1.0, bad]}})
    with pytest.raises(TypeError):
        dumps({"a": object()})


def _keicar_into(stdout, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    return subprocess.run([sys.executable, "-m", "keicar", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=60, env=env)


@pytest.mark.parametrize("args", [["check", "--example", "--json"], ["check", "--example"], ["states"],
                                  ["lookup", "DA63T"]])
def test_broken_pipe_ends_quietly(args):
    """A reader that has gone (``| head -c1`` after its byte): exit 1, nothing on stderr."""
    read, write = os.pipe()
    os.close(read)
    try:
        r = _keicar_into(write, *args)
    finally:
        os.close(write)
    assert r.returncode == 1 and r.stderr == ""


@pytest.mark.parametrize("args", ["check --example --json", "check --example", "states", "lookup ZZZ9", "--help"])
def test_closed_stdout_ends_quietly(args):
    """``keicar check --example --json >&-``: exit 1, nothing on stderr."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    r = subprocess.run(f"'{sys.executable}' -m keicar {args} >&-", shell=True,
                       stderr=subprocess.PIPE, text=True, timeout=60, env=env)
    assert r.returncode == 1 and r.stderr == ""


def test_sample_refuses_a_negative_seed_and_too_many_rows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "--seed: -1 is not a seed" in refused(["sample", "--rows", "10", "--out", "s.csv", "--seed", "-1"],
                                                 "--seed")
    assert "1,000,000,000" in refused(["sample", "--rows", "1000000001", "--out", "s.csv"], "--rows")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", ["s.csv", "s.parquet"])
@pytest.mark.parametrize("stop", [RuntimeError, KeyboardInterrupt])
def test_sample_killed_midway_leaves_nothing(name, stop, tmp_path, monkeypatch):
    """A run that fails after writing some rows leaves no file under OUT's name, nor its run folder."""
    import keicar.batch.sample as sample

    real, calls = sample.chunk, []

    def failing(*args):
        calls.append(1)
        if len(calls) > 1:
            raise stop("killed")
        return real(*args)

    monkeypatch.setattr(sample, "CHUNK", 50)
    monkeypatch.setattr(sample, "chunk", failing)
    with pytest.raises(stop):
        sample.write_sample(tmp_path / name, rows=200)
    assert len(calls) == 2 and not list(tmp_path.iterdir())


def test_sample_writes_whole_files_under_their_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("s.csv", "s.parquet"):
        code, _out, err = run(["sample", "--rows", "120", "--out", name, "--seed", "3"])
        assert code == 0, err
    import polars as pl

    assert pl.read_csv("s.csv").height == 120 and pl.read_parquet("s.parquet").height == 120
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv", "s.parquet"]


def test_sample_into_an_unwritable_folder_names_out(tmp_path, monkeypatch):
    import tempfile

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    assert "Permission denied" in refused(["sample", "--rows", "10", "--out", "s.csv"], "--out")


def test_serve_on_a_port_in_use_names_port_before_serving():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert f"{port} is in use" in refused(["serve", "--port", str(port)], "--port")


@pytest.mark.parametrize("host", ["bad host!", "x" * 300, ""])
def test_serve_on_a_bad_host_names_host(host):
    refused(["serve", "--host", host, "--port", "8000"], "--host")


@pytest.mark.parametrize("unbuffered", ["", "1"])
@pytest.mark.parametrize("args", [["changes"], ["changes", "--json"]])
def test_reader_that_quits_mid_output_gives_exit_1(args, unbuffered):
    """``keicar changes | head -c 100``: the output (over 64 kB, more than a pipe holds) is cut
    short; exit 1 and nothing on stderr, also with PYTHONUNBUFFERED (whose unbuffered stdout
    once dropped the rest of a short write silently and exited 0)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    env.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    proc = subprocess.Popen([sys.executable, "-m", "keicar", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert len(proc.stdout.read(100)) == 100
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1 and err == ""


@pytest.mark.parametrize("args", [["check", "--example", "--json"], ["check", "--example"], ["changes"]])
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(args):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        r = _keicar_into(full, *args)
    assert r.returncode == 1
    assert r.stderr == "keicar: error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("text", ["\x1b[31mred", "a\x9b2Jb", "bell\x07", "nul\x00x", "del\x7f", "raw\udc9bbyte"])
def test_control_characters_in_user_input_are_shown_escaped(text):
    code, out, err = run(["lookup", text])
    assert code == 1 and "internal error" not in err
    assert "\\x" in out
    assert not any(ch in out for ch in "\x1b\x9b\x07\x00\x7f\udc9b")


@pytest.mark.parametrize("argv", [["check", "--example", "--body", "tr\x1b[2Juck"], ["state", "\x1b[31mGA"],
                                  ["check", "--example", "--chassis", "\x1b]0;title\x07"]])
def test_control_characters_in_error_messages_are_shown_escaped(argv):
    _code, _out, err = run(argv)
    assert err.startswith("keicar: error: ") and "\\x1b" in err
    assert not any(ch in err for ch in "\x1b\x07")


def test_a_long_value_is_cut_in_the_error_message():
    message = refused(["check", "--example", "--chassis", "A" * 100_000], "--chassis")
    assert "'" + "A" * 80 + "…'" in message and "A" * 81 not in message and len(message) < 200
    message = refused(["check", "--example", "--body", "b" * 81], "--body")
    assert "'" + "b" * 80 + "…'" in message
    assert "'" + "b" * 80 + "'" in refused(["check", "--example", "--body", "b" * 80], "--body")


def test_control_characters_in_a_policy_file_are_shown_escaped(tmp_path):
    source = next(p for p in shipped_policies() if p.stem == "kei-for-america").read_text(encoding="utf-8")
    policy = tmp_path / "p.yaml"
    title = next(line for line in source.splitlines() if line.startswith("title:"))
    policy.write_text(source.replace(title, 'title: "x\\e[31my"'), encoding="utf-8")
    code, out, err = run(["policy", "show", str(policy)])
    assert code == 0, err
    assert out.splitlines()[0].startswith("x\\x1b[31my") and "\x1b" not in out


def test_lookup_of_nothing_names_its_argument():
    assert "missing" in refused(["lookup", ""], "CODE")


def test_screen_help_shows_no_internal_names():
    code, out, err = run(["screen", "--help"])
    assert code == 0 and "src" not in out.split() and "IN" in out
