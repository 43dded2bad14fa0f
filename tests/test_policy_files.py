"""A user's policy file is untrusted input: hostile files get one line naming the file (and the
key or line), exit 2, quickly; a bounded fuzz of mutated shipped policies finds nothing else."""

import sys
import time
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keicar.cli.main import main
from keicar.engine.parameters import default_law
from keicar.engine.policy import MAX_BYTES, PolicyError, load_policy, shipped_policies
from keicar.answers.policy import report

LAW = default_law()
HEAD = "policy: t\ntitle: hostile\nhypothetical: true\nsources:\n  s: {title: test source, kind: other}\n"
CHANGE = "changes:\n  us.federal.fmvss.lsv.max_speed_mph:\n    values:\n      {date}: {{value: 35, reference: [s]}}\n"


def billion_laughs() -> str:
    """Nine levels of nine aliases each under `notes:`: 9**9 strings once expanded."""
    lines = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"  {name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return HEAD + CHANGE.format(date="2027-01-01") + "notes:\n" + "\n".join(lines) + "\n"


def merge_bomb() -> str:
    """Merge keys (`<<: *x`) copy mappings: the same blow-up through another door."""
    lines = ["  m0: &m0 {a: 1, b: 2}"]
    for i in range(1, 20):
        lines.append(f"  m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], k{i}: 1}}")
    return HEAD + CHANGE.format(date="2027-01-01") + "notes:\n" + "\n".join(lines) + "\n"


def write(tmp_path: Path, name: str) -> tuple[Path, str]:
    """The hostile file ``name`` and a fragment its error must contain."""
    f = tmp_path / f"{name}.yaml"
    if name == "alias-bomb":
        f.write_text(billion_laughs(), encoding="utf-8")
        return f, f"{f}:11: YAML anchors and aliases"
    if name == "merge-bomb":
        f.write_text(merge_bomb(), encoding="utf-8")
        return f, "anchors and aliases"
    if name == "impossible-date":
        f.write_text(HEAD + CHANGE.format(date="2027-13-45"), encoding="utf-8")
        return f, "changes.us.federal.fmvss.lsv.max_speed_mph.values.2027-13-45: parameter us.federal.fmvss.lsv.max_speed_mph: '2027-13-45' is not a date"
    if name == "latin-1":
        f.write_bytes((HEAD + "summary: café\n" + CHANGE.format(date="2027-01-01")).encode("latin-1"))
        return f, f"{f}:6: not UTF-8 text (byte 0xe9)"
    if name == "deep-brackets":
        f.write_text(HEAD + "notes: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
        return f, f"{f}:6:"
    if name == "200-mb":
        with f.open("wb") as fh:  # sparse: the size is refused before a byte is read
            fh.write(HEAD.encode())
            fh.truncate(200 * 2**20)
        return f, f"{f}: 209,715,200 bytes; a policy file is at most 1,048,576 bytes (1 MiB)"
    if name == "many-values":  # under 1 MiB, but ~100,000 YAML values to build
        f.write_text(HEAD + "notes: [" + ", ".join(["1"] * 100_000) + "]\n", encoding="utf-8")
        return f, "more than 20,000 YAML values"
    raise AssertionError(name)


HOSTILE = ["alias-bomb", "merge-bomb", "impossible-date", "latin-1", "deep-brackets", "200-mb", "many-values"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_policy_file_is_one_line_naming_the_file_exit_2_within_a_second(tmp_path, name, monkeypatch, capsys):
    f, needle = write(tmp_path, name)
    before = f.stat().st_size, f.stat().st_mtime_ns
    monkeypatch.setattr(sys, "argv", ["keicar", "policy", "show", str(f)])
    start = time.perf_counter()
    with pytest.raises(SystemExit) as done:
        main()
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    assert done.value.code == 2, err
    assert err.count("\n") == 1 and err.startswith(f"keicar: error: FILE: {f}"), err
    assert needle in err, err
    assert elapsed < 1.0, f"{name}: {elapsed:.2f} s"
    assert (f.stat().st_size, f.stat().st_mtime_ns) == before  # the user's file is untouched


def test_the_size_cap_is_inclusive(tmp_path):
    # Exactly MAX_BYTES is read (and judged as YAML); one byte more is refused unread.
    f = tmp_path / "edge.yaml"
    body = HEAD + CHANGE.format(date="2027-01-01") + "summary: >-\n"
    f.write_text(body + " " * (MAX_BYTES - len(body) - 2) + "x\n", encoding="utf-8")
    assert f.stat().st_size == MAX_BYTES
    assert load_policy(f, LAW).id == "t"
    with f.open("ab") as fh:
        fh.write(b"\n")
    with pytest.raises(PolicyError, match="at most 1,048,576 bytes"):
        load_policy(f, LAW)


@pytest.mark.parametrize("fragment, needle", [
    ("      2027-01-01: {value: .inf, reference: [s]}\n", "inf is not a finite number"),
    ("      0001-01-01: {value: 30, reference: [s]}\n", "a date after 0001-01-01"),
    ("      0000-01-01: {value: 30, reference: [s]}\n", "'0000-01-01' is not a date"),
])
def test_impossible_values_name_their_key(tmp_path, fragment, needle):
    f = tmp_path / "p.yaml"
    f.write_text(HEAD + "changes:\n  us.federal.fmvss.lsv.max_speed_mph:\n    values:\n" + fragment, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(f, LAW)
    assert needle in err.value.message and "changes.us.federal.fmvss.lsv.max_speed_mph.values." in err.value.message


# --- bounded fuzz: random mutations of the shipped policies ------------------------------------

SHIPPED = [p.read_bytes() for p in shipped_policies()]
TOKENS = [b"&a ", b"*a", b"<<: ", b"[", b"]", b"{", b"}", b": ", b"- ", b"? ", b"\n", b"  ", b"\t", b'"', b"'", b"#",
          b"|", b">-", b"---\n", b"...\n", b"%YAML 1.1\n", b"null", b"~", b"true", b".inf", b"-.nan", b"1e999",
          b"9" * 400, b"0x1F", b"2027-13-45", b"0000-01-01", b"0001-01-01", b"!!binary", b"!!set",
          b"!!python/object/apply:os.system ['true']", b"\xe9", b"\xff\xfe", b"\x00", "軽".encode()]
KEYS = [b"policy", b"title", b"summary", b"hypothetical", b"category", b"fmvss_baseline_class", b"sources", b"changes",
        b"adds", b"values", b"value", b"unit", b"values_allowed", b"reference", b"from", b"path", b"at", b"since",
        b"href", b"seen", b"kind", b"citation", b"confidence", b"disputed", b"note", b"description", b"2027-01-01",
        b"us.microcar.max_width_mm", b"jp.kei.length_mm", b"keicar-sandbox"]
LINE = st.builds(lambda indent, key, value: b" " * indent + key + b": " + value,
                 st.integers(0, 10), st.sampled_from(KEYS), st.sampled_from(TOKENS + KEYS))
MUTATION = st.tuples(st.sampled_from(["insert", "delete", "overwrite", "line"]), st.floats(0, 1),
                     st.integers(1, 40), st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8), LINE))
FRAME = pl.DataFrame({"model": ["a"], "length_mm": [3395.0], "width_mm": [1475.0], "height_mm": [1600.0],
                      "cc": [658.0], "body": ["truck"], "powertrain": ["ice"], "top_speed_mph": [30.0]})


def mutate(data: bytes, mutations) -> bytes:
    for op, where, n, payload in mutations:
        at = int(where * len(data))
        if op == "insert":
            data = data[:at] + payload + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + n:]
        elif op == "overwrite":
            data = data[:at] + payload + data[at + len(payload):]
        else:
            lines = data.split(b"\n")
            lines[int(where * (len(lines) - 1))] = payload
            data = b"\n".join(lines)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(range(len(SHIPPED))), mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_fuzzed_policy_files_load_or_give_one_line_naming_the_file(tmp_path, which, mutations):
    f = tmp_path / "fuzzed.yaml"
    f.write_bytes(mutate(SHIPPED[which], mutations))
    try:
        policy = load_policy(f, LAW)
    except PolicyError as err:
        assert "\n" not in err.message and err.message.startswith(str(f)), err.message
        return
    # A file that loads must also show and run.
    assert all(p.sentence for p in policy.provisions)
    report(policy, FRAME, on="2027-06-01", law=LAW)


def test_a_policy_may_not_cite_a_local_file_or_a_research_note(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(CHANGE.format(date="2027-01-01") + "policy: t\ntitle: x\nsources:\n"
                 "  s: {title: 'keicar first-pass research record (/work/shared/research/states_n_w.json)'}\n",
                 encoding="utf-8")
    with pytest.raises(PolicyError, match=r"p.yaml: sources.s.title: names a local file"):
        load_policy(f, LAW)


@pytest.mark.parametrize("text, line, first", [
    (HEAD + "policy: again\n" + CHANGE.format(date="2027-01-01"), 6, 1),
    (HEAD + CHANGE.format(date="2027-01-01") + "      2027-01-01: {value: 40, reference: [s]}\n", 10, 9),
    (HEAD + "changes: {a: 1, a: 2}\n", 6, 6),
])
def test_a_key_given_twice_is_refused_naming_the_key_and_line(tmp_path, text, line, first):
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(f, LAW)
    assert err.value.message.startswith(f"{f}:{line}: the key ") and "is given twice" in err.value.message
    assert f"(first on line {first})" in err.value.message and "\n" not in err.value.message


def test_the_same_key_in_two_mappings_is_fine(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(HEAD + CHANGE.format(date="2027-01-01"), encoding="utf-8")  # `title` in sources and at the top
    assert load_policy(f, LAW).title == "hostile"


def test_a_folder_or_an_impossible_name_is_not_a_policy_file(tmp_path, capsys):
    for name, words in [(str(tmp_path), "is a folder"), ("a" * 300, "not a policy file")]:
        with pytest.raises(SystemExit) as done:
            main(["policy", "show", name])
        err = capsys.readouterr().err
        assert done.value.code == 2 and err.count("\n") == 1 and err.startswith("keicar: error: FILE: "), err
        assert words in err and "no such policy file" not in err
