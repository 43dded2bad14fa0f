"""The catalog fill shared by check --chassis and the batch screen: family suffixes, the
production-window warning at its boundaries."""

import json
import subprocess
import sys

import pytest

from keicar import catalog
from keicar.answers.check_input import check_from_input
from keicar.inputs.vehicle import InputError

DA52T = dict(height_mm=1765, cc=658)  # the catalog gives ranges for these two


@pytest.mark.parametrize("raw,code,suffix,serial", [
    ("JB23W", "JB23", "W", None),
    ("jb23w-123456", "JB23", "W", "123456"),
    ("ABA-JB23W-123456", "JB23", "W", "123456"),
    ("JB23W123456", "JB23", "W", "123456"),
    ("JB23", "JB23", None, None),
    ("DA52T", "DA52T", None, None),  # a code of its own: no suffix read into it
])
def test_family_suffix(raw, code, suffix, serial):
    got, _, got_serial, got_suffix = catalog.normalize_code(raw)
    assert (got, got_suffix, got_serial) == (code, suffix, serial)


def test_a_suffix_after_a_code_ending_in_a_letter_is_not_stripped():
    assert catalog.normalize_code("DA52TX")[0] == "DA52TX"
    with pytest.raises(InputError):
        catalog.fill({}, "DA52TX")


def test_check_fills_a_suffixed_code_from_its_generation():
    r = check_from_input({"chassis": "JB23W-123456", "built": "2001-03", "height_mm": 1700}, on="2026-11-30")
    assert r["vehicle"]["catalog"]["code"] == "JB23" and r["vehicle"]["catalog"]["suffix_stripped"] == "W"
    assert r["vehicle"]["length_mm"] == 3395


@pytest.mark.parametrize("built,outside", [
    ("1998-12-31", True), ("1999-01-01", False),   # the day before / of the first production month
    ("1998-12", True), ("1999-01", False),
    ("2013-09-30", False), ("2013-10-01", True),   # the last day of the last month / the day after
    ("2013-09", False), ("2013-10", True),
])
def test_build_date_outside_production_is_a_warning(built, outside):
    r = check_from_input({"chassis": "DA52T", "built": built, **DA52T}, on="2026-11-30")
    warnings = r["vehicle"].get("warnings", [])
    assert bool(warnings) is outside
    if outside:
        assert warnings == [f"DA52T was built 1999-01..2013-09; the date given, {built}, is outside it: "
                            f"check the build date and the chassis code"]
    assert "is_kei" in r["kei"]  # still answered, but not silently


def test_no_warning_without_chassis_or_for_a_current_generation():
    r = check_from_input({"built": "1998-06", "body": "truck", "length_mm": 3395, "width_mm": 1475,
                          **DA52T}, on="2026-11-30")
    assert "warnings" not in r["vehicle"]
    current = next(g for g in catalog.generations() if not g["production_end"] and g["production_start"])
    start = catalog.period(current["production_start"])[0]
    assert catalog.outside_production([current], "X", start, start, "x") is None


def test_warning_in_the_human_output():
    p = subprocess.run([sys.executable, "-m", "keicar", "check", "--chassis", "DA52T", "--built", "1998-06",
                        "--height-mm", "1765", "--cc", "658", "--on", "2026-11-30"],
                       capture_output=True, text=True, check=True)
    before_tables = p.stdout.split("Japan:")[0]  # said with the answer, before the rule tables
    assert "DA52T was built 1999-01..2013-09; the date given, 1998-06, is outside it" in " ".join(before_tables.split())
    j = subprocess.run([sys.executable, "-m", "keicar", "check", "--chassis", "DA52T", "--built", "1998-06",
                        "--height-mm", "1765", "--cc", "658", "--on", "2026-11-30", "--json"],
                       capture_output=True, text=True, check=True)
    assert json.loads(j.stdout)["vehicle"]["warnings"][0].startswith("DA52T was built 1999-01..2013-09")
