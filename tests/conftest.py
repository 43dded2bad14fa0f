import datetime as dt
from pathlib import Path

import yaml

CASES = Path(__file__).parent / "cases"


def state_cases() -> list[dict]:
    """Every case of the state files ``us/states/*.yaml`` (one per state, and ``across.yaml``)."""
    files = [str(f.relative_to(CASES)) for f in sorted((CASES / "us" / "states").glob("*.yaml"))]
    return [c for name in files for c in load_cases(name)]


def load_cases(name: str) -> list[dict]:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8")) or []
    for c in cases:  # YAML reads bare dates as dates; the CLI takes strings
        c["input"] = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in c["input"].items()}
        # the date asked is `date:` in case files: YAML 1.1 reads a bare `on:` key as True
        if "date" in c:
            c["on"] = c.pop("date")
            c["on"] = c["on"].isoformat() if isinstance(c["on"], dt.date) else c["on"]
    return cases


def dig(data, dotted: str):
    """`kei.checks[1].limit` -> data["kei"]["checks"][1]["limit"]."""
    cur = data
    for part in dotted.split("."):
        name, _, idx = part.partition("[")
        cur = cur[name]
        if idx:
            cur = cur[int(idx.rstrip("]"))]
    return cur


def norm(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def assert_expected(result, expect: dict) -> None:
    """Every `expect:` entry of a YAML case (dotted path -> value) holds in ``result``; a
    variable name with no place of its own in ``result`` (``papers.required``) is read from
    its ``variables`` block (a names variable as its list)."""
    for path, expected in expect.items():
        try:
            got = dig(result, path)
        except KeyError:
            if path not in result.get("variables", {}):
                raise
            got = result["variables"][path]
            if isinstance(expected, list) and isinstance(got, str):
                got = got.split(",") if got else []
        assert got == norm(expected), path
