"""The law tree: every file valid, every value referenced, and loader errors that name the
file, the key and the line."""

import datetime as dt
from pathlib import Path

import pytest

from keicar.engine.parameters import LAW_ROOT, Law, LawError, default_law


def test_every_shipped_law_file_loads():
    assert len(default_law().load_all()) >= 3  # each file passes the loader's checks


def test_a_lookup_gives_the_value_in_force_on_the_day_before_and_the_day_of_a_change():
    p = default_law().param("jp.kei.length_mm")
    first = p.values[0].since
    assert p.at(first - dt.timedelta(days=1)) is None and p.entry(first - dt.timedelta(days=1)) is None
    assert p.at(first) == p.values[0].value
    assert p.at(dt.date(1998, 9, 30)) == 3300
    assert p.at(dt.date(1998, 10, 1)) == 3400
    assert p.entry(dt.date(1998, 10, 1)).since == dt.date(1998, 10, 1)


def write(tmp_path: Path, text: str) -> Law:
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    return Law(tmp_path)


GOOD_HEAD = """sources:
  s: {title: A source, href: https://example.org/a, seen: 2026-11-24, kind: statute}
"""


@pytest.mark.parametrize("body, needle, line", [
    ("p:\n  unit: mm\n  values:\n    2000-01-01: {value: 1, reference: [s]}\n    1999-01-01: {value: 2, reference: [s]}\n",
     "dates must ascend", 7),
    ("p:\n  unit: mm\n  values:\n    2000-01-01: {value: 1}\n", "needs a `reference:`", 6),
    ("p:\n  unit: furlongs\n  values:\n    2000-01-01: {value: 1, reference: [s]}\n", "unknown unit", 4),
    ("p:\n  unit: mm\n  values:\n    2000-01-01: {value: 1, reference: [nope]}\n", "'nope' is not in", 6),
    ("p:\n  unit: mm\n  values:\n    2000-01-01: {value: wide, reference: [s]}\n", "is not a number", 6),
    ("p:\n  unit: mm\n  values:\n    2000-01-01: {value: 1, reference: [s], confidence: sure}\n", "confidence must be", 6),
])
def test_errors_name_file_key_and_line(tmp_path, body, needle, line):
    law = write(tmp_path, GOOD_HEAD + body)
    with pytest.raises(LawError) as err:
        law.param("x.p")
    msg = str(err.value)
    assert needle in msg
    assert f"x.yaml:{line}:" in msg
    assert "\n" not in msg


def test_web_source_needs_the_date_it_was_seen(tmp_path):
    law = write(tmp_path, "sources:\n  s: {title: T, href: https://example.org}\np:\n  unit: mm\n  values:\n    2000-01-01: {value: 1, reference: [s]}\n")
    with pytest.raises(LawError, match="seen"):
        law.param("x.p")


def test_unknown_parameter_path_is_a_key_error():
    with pytest.raises(KeyError):
        default_law().param("jp.kei.lenght_mm")


def test_law_ships_inside_the_package():
    assert LAW_ROOT.is_dir() and (LAW_ROOT / "jp" / "kei.yaml").is_file()


def one_source(tmp_path: Path, source: str) -> Law:
    return write(tmp_path, f"sources:\n  s: {source}\np:\n  unit: mm\n  values:\n    2000-01-01: {{value: 1, reference: [s]}}\n")


@pytest.mark.parametrize("source, needle", [
    ("{title: 'keicar first-pass research record (/work/shared/research/states_a_m.json)', kind: secondary}", "sources.s.title: names a local file"),
    ("{title: Notes, href: /work/shared/research/states_a_m.json, seen: 2026-11-24, kind: secondary}", "sources.s.href: names a local file"),
    ("{title: Notes, href: 'file:///home/me/notes.html', seen: 2026-11-24, kind: other}", "sources.s.href: names a local file"),
    ("{title: 'Notes in ~/keicar/notes.md', href: https://example.org/a, seen: 2026-11-24, kind: other}", "sources.s.title: names a local file"),
    ("{title: 'Notes (C:\\Users\\me\\notes.docx)', href: https://example.org/a, seen: 2026-11-24, kind: other}", "sources.s.title: names a local file"),
    ("{title: keicar first-pass research record relaying IIHS, href: https://example.org/a, seen: 2026-11-24, kind: secondary}", "sources.s.title: cites a research note"),
    ("{title: IIHS table, href: 'https://example.org/shared/research/x', seen: 2026-11-24, kind: secondary}", "sources.s.href: cites a research note"),
    ("{title: IIHS table, href: www.iihs.org/minitrucks, seen: 2026-11-24, kind: secondary}", "is not a web address"),
    ("{title: World Population Review, kind: secondary}", "sources.s.href: a source needs `href:`"),
    ("{title: Minn. Stat. 169.011, kind: statute}", "sources.s.href: a source needs `href:`"),
    ("{title: A news article, kind: news, citation: Star Tribune 2024-05-01}", "sources.s.href: a source needs `href:`"),
])
def test_a_source_must_be_a_page_or_a_printed_statute_never_a_local_file_or_a_note(tmp_path, source, needle):
    with pytest.raises(LawError) as err:
        one_source(tmp_path, source).param("x.p")
    assert needle in str(err.value) and "x.yaml:2:" in str(err.value) and "\n" not in str(err.value)


def test_an_inline_reference_is_held_to_the_same_rules(tmp_path):
    law = write(tmp_path, "p:\n  unit: mm\n  values:\n    2000-01-01: {value: 1, reference: [{title: keicar reading, kind: other}]}\n")
    with pytest.raises(LawError, match="a source needs `href:`"):
        law.param("x.p")


@pytest.mark.parametrize("source", [
    "{title: Minn. Stat. 169.011, kind: statute, citation: Minn. Stat. 169.011 subd. 40a}",
    "{title: 49 CFR 571.500, kind: regulation, citation: 49 CFR 571.500}",
    "{title: 'IIHS, Minitrucks: state laws (km/h and/or mph; 49 U.S.C. 30112/b)', href: 'https://www.iihs.org/topics/laws/minitrucks', seen: 2026-11-24, kind: secondary}",
])
def test_pages_and_printed_statutes_with_a_citation_are_sources(tmp_path, source):
    assert one_source(tmp_path, source).param("x.p").at(dt.date(2000, 1, 1)) == 1
