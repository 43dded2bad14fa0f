"""The keicar command as a user meets it: exit codes, one-line errors, the JSON contract."""

import contextlib
import io
import json
import subprocess
import sys

import pytest

from conftest import load_cases
from keicar.cli.main import main

TRUCK = ["--built", "1999-05", "--body", "truck", "--length-mm", "3395", "--width-mm", "1475",
         "--height-mm", "1765", "--cc", "658", "--on", "2026-11-24"]


def keicar(*args):
    return subprocess.run([sys.executable, "-m", "keicar", *args], capture_output=True, text=True,
                          timeout=60)


def run(argv: list[str]) -> tuple[int, str, str]:
    """``keicar ARGV`` in this process, through the real ``main()``: (exit code, stdout,
    stderr). An exception that escapes ``main`` is reported as a traceback on stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException as exc:  # noqa: BLE001 - an escaped exception is a finding
        return -1, out.getvalue(), f"Traceback: {type(exc).__name__}: {exc}"
    return code, out.getvalue(), err.getvalue()


def strict_json(text: str):
    """``json.loads`` that refuses NaN and Infinity, as strict JSON parsers do."""
    def refuse(name):
        raise ValueError(f"{name} is not a JSON number")
    return json.loads(text, parse_constant=refuse)


def test_example_runs_and_shows_the_plain_answer_then_the_verdict_then_rules():
    r = keicar("check", "--example", "--on", "2026-11-24")
    assert r.returncode == 0, r.stderr
    text = " ".join(r.stdout.split())  # rich wraps long lines
    assert text.startswith("Road use: You can import it on 2026-11-24 (the date asked) under the 25-year rule "
                           "(eligible since 2024-05-31, 25 years after it was built).")
    assert "In legal terms: Kei under the 1998-10-01 standard" in text
    assert text.index("In legal terms") < text.index("49 U.S.C. 30112(b)(9)")
    assert "✔" in r.stdout and "49 U.S.C. 30112(b)(9)" in r.stdout


def test_json_contract():
    r = keicar("check", *TRUCK, "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["on"] == "2026-11-24"
    assert set(data["kei"]) >= {"is_kei", "regime", "is_kei_today", "failed", "checks"}
    assert set(data["us"]) >= {"nhtsa_eligible_from", "epa_eligible_from", "importable", "path", "checks"}
    for step in data["kei"]["checks"] + data["us"]["checks"]:
        assert set(step) >= {"rule", "passed", "value", "limit", "effective", "citation"}
        assert step["citation"]
    assert data["us"]["nhtsa_eligible_from"] == "2024-05-31"
    assert data["us"]["nhtsa_eligible_from_month_start"] == "2024-05-01"
    assert data["us"]["path"] == "25-year"


def test_failed_limit_is_marked_in_the_table():
    args = list(TRUCK)
    args[args.index("--height-mm") + 1] = "2100"
    r = keicar("check", *args)
    assert r.returncode == 0
    assert "✘" in r.stdout and "It is not a kei vehicle: its height exceeds" in r.stdout.splitlines()[0]
    assert "In legal terms: Not kei" in r.stdout


BAD = load_cases("inputs/bad_input.yaml")


@pytest.mark.parametrize("case", BAD[:6] + BAD[-3:], ids=[c["name"] for c in BAD[:6] + BAD[-3:]])
def test_bad_input_one_line_exit_2(case):
    args = ["check"]
    options = {**case["input"], **{k: v for k, v in case.items() if k not in ("name", "input", "error")}}
    for k, v in options.items():
        args += ["--" + k.replace("_", "-"), str(v)]
    r = keicar(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert lines[0].startswith("keicar: error: --" + case["error"].replace("_", "-"))


def test_unknown_option_is_one_line():
    r = keicar("check", "--colour", "red")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def test_data_validate():
    r = keicar("data", "validate")
    assert r.returncode == 0 and "all valid" in r.stdout
