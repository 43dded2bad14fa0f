"""Catalog lookup, check --chassis filling, when/calendar, and the papers checklist."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from keicar import catalog
from keicar.api import check
from keicar.answers.eligibility import month_calendar, when
from keicar.answers.papers import for_vehicle
from keicar.inputs.vehicle import InputError, make_vehicle


@pytest.mark.parametrize("raw,code,prefix,serial", [
    ("DA63T", "DA63T", None, None),
    ("EBD-DA63T", "DA63T", "EBD", None),
    ("ebd-da63t", "DA63T", "EBD", None),
    ("DA63T-123456", "DA63T", None, "123456"),
    ("EBD-DA63T-123456", "DA63T", "EBD", "123456"),
    ("DA63T123456", "DA63T", None, "123456"),
    ("V-HA4", "HA4", "V", None),
    ("HA4", "HA4", None, None),
    ("3BD-DA16T", "DA16T", "3BD", None),
    (" gbd-s201p ", "S201P", "GBD", None),
])
def test_normalize(raw, code, prefix, serial):
    assert catalog.normalize(raw) == (code, prefix, serial)


def test_unknown_code_keeps_text_and_suggests():
    m = catalog.lookup("DA63X")
    assert m.generations == [] and m.code == "DA63X"
    assert m.suggestions[0] == "DA63T"
    with pytest.raises(InputError) as err:
        catalog.fill({}, "DA63X")
    assert err.value.field == "chassis" and "DA63T" in err.value.message


def test_prefix_not_stripped_when_remainder_is_not_a_code():
    assert catalog.normalize("ABCD-DA63T")[0] == "ABCD-DA63T"  # 4 characters: not a prefix


def test_shared_code_lists_all_makes_and_needs_make_to_fill():
    m = catalog.lookup("L40")
    assert sorted({g.make for g in m.generations}) == ["Daihatsu", "Suzuki"]
    with pytest.raises(InputError) as err:
        catalog.fill({"built": "1970-03"}, "L40")
    assert err.value.field == "make"
    assert [g.make for g in catalog.lookup("L40", make="suzuki").generations] == ["Suzuki"]
    with pytest.raises(InputError) as err:
        catalog.lookup("L40", make="Honda")
    assert err.value.field == "make"


def test_missing_code():
    with pytest.raises(InputError) as err:
        catalog.normalize("  ")
    assert err.value.field == "chassis"


def test_fill_user_values_win_and_ranges_fill_as_sets():
    given = {"built": "2001-03", "height_mm": 1765, "cc": 658, "length_mm": 3390}
    out, info = catalog.fill(given, "EBD-DA63T")
    assert out["length_mm"] == 3390 and out["width_mm"] == 1475 and out["body"] == "truck"
    assert out["make"] == "Suzuki" and out["chassis"] == "DA63T"
    assert info["filled_from_catalog"] == ["width_mm", "stroke", "body"]
    # a range is not guessed: check runs the rules over all of it (it asks only if that matters)
    out, info = catalog.fill({"built": "2001-03", "cc": 658}, "DA63T")
    assert out["height_mm"] == "1755-1800" and info["ranges"] == {"height_mm": "1755-1800"}
    # the batch screen takes no sets yet: there the range is a reason, not a value
    values, why = catalog.fillable(catalog.lookup("DA63T").generations, "DA63T")
    assert "height_mm" not in values and "1755-1800" in why["height_mm"]


def test_fill_several_bodies_needs_body():
    with pytest.raises(InputError) as err:
        catalog.fill({"built": "1970-03"}, "L40", make="Suzuki")
    assert err.value.field == "body" and "truck" in err.value.message and "van" in err.value.message


def test_unverified_fields_marked():
    g = catalog.lookup("AK250").generations[0]
    assert "body_type" in g.unverified
    out, info = catalog.fill({"built": "1965-01"}, "AK250")
    assert "body" in info["unverified"] and "length_mm" not in info["unverified"]


def test_repo_sources_render_as_github_urls():
    assert catalog.source_url("repo:own/name/a/b.md@abc123") == "https://github.com/own/name/blob/abc123/a/b.md"
    urls = [u for g in catalog.generations() for u in g.as_dict()["sources"]]
    assert not any(u.startswith("repo:") for u in urls)


def test_check_with_chassis_cli_reports_filled_fields():
    out = subprocess.run([sys.executable, "-m", "keicar", "check", "--chassis", "EBD-DA63T-123456",
                          "--built", "2001-03", "--height-mm", "1765", "--cc", "658", "--on", "2026-11-24", "--json"],
                         capture_output=True, text=True, check=True).stdout
    r = json.loads(out)
    assert r["vehicle"]["filled_from_catalog"] == ["length_mm", "width_mm", "stroke", "body"]
    assert r["vehicle"]["catalog"]["serial_stripped"] == "123456"
    assert r["kei"]["is_kei"] is True
    assert r["papers"]["path"] == "road_25_year"


def test_check_with_chassis_cli_bad_code_is_one_line():
    p = subprocess.run([sys.executable, "-m", "keicar", "check", "--chassis", "QQ99", "--built", "2001-03"],
                       capture_output=True, text=True)
    assert p.returncode == 2 and p.stderr.startswith("keicar: error: --chassis:") and p.stderr.count("\n") == 1


def test_when_uses_the_same_rule_as_check():
    r = when("HA4", on="2026-11-24")
    g = r["generations"][0]
    assert g["production_start"] == "1988-05" and g["production_end"] == "1999-05"
    assert g["first_builds"]["importable_from"] == "2013-05-31"
    assert g["first_builds"]["nhtsa_eligible_from_period_start"] == "2013-05-01"
    assert g["last_builds"]["importable_from"] == "2024-05-31"
    v = make_vehicle(built="1999-05", body="truck", length_mm=3295, width_mm=1395, height_mm=1780, cc=656)
    assert check(v, on="2026-11-24")["us"]["nhtsa_eligible_from"] == g["last_builds"]["importable_from"]
    start = when("HA4", on="2026-11-24", month_reading="start")["generations"][0]
    assert start["last_builds"]["importable_from"] == "2024-05-01"
    assert "does not encode the build month" in r["note"]


def test_when_current_generation_has_no_last_builds():
    current = next(g for g in catalog.generations() if g["status"] == "current" and g.codes)
    g = when(current.codes[0], make=current.make, on="2026-11-24")["generations"]
    assert any(x["last_builds"] is None for x in g)


def test_year_only_dates_read_to_year_end():
    r = when("VD", make="Honda", on="2026-11-24")  # Street: 1981 to 1988 (years only)
    street = next(g for g in r["generations"] if g["model"] == "Street")
    assert street["first_builds"]["importable_from"] == "2006-12-31"
    assert street["first_builds"]["nhtsa_eligible_from_period_start"] == "2006-01-01"


def test_calendar_month():
    c = month_calendar("2024-05")
    assert {g["model"] for g in c["first_builds_importable"]} >= {"Acty Truck"}
    assert "Acty (+ Street)" in {g["model"] for g in c["last_builds_importable"]}
    assert all(g["first_builds"]["importable_from"].startswith("2024-05") for g in c["first_builds_importable"])
    # the month before and after do not list the same first builds
    assert "Acty Truck" not in {g["model"] for g in month_calendar("2024-04")["first_builds_importable"]}
    assert "Acty Truck" not in {g["model"] for g in month_calendar("2024-06")["first_builds_importable"]}
    # with the month-level reading, May 1999 builds still become importable in May 2024
    assert "Acty Truck" in {g["model"] for g in month_calendar("2024-05", "start")["first_builds_importable"]}


@pytest.mark.parametrize("month", ["2024-13", "2024/05", "May", ""])
def test_calendar_bad_month(month):
    with pytest.raises(InputError) as err:
        month_calendar(month)
    assert err.value.field == "month"


ON = dt.date(2026, 11, 24)


def test_papers_road_path_in_order():
    r = for_vehicle(make_vehicle(built="1999-05", body="truck", require_specs=False), ON)
    items = [i["item"] for i in r["items"]]
    assert r["path"] == "road_25_year"
    assert items == ["bill_of_sale", "export_certificate_with_translation", "isf", "bill_of_lading", "hs7_box1",
                     "epa_3520_1_code_e", "cbp_7501", "state_vin_inspection", "state_title"]
    assert all(i["citation"] and i["effective"] for i in r["items"])


def test_papers_off_road_path():
    r = for_vehicle(make_vehicle(built="2010-05", body="truck", require_specs=False), ON)
    items = [i["item"] for i in r["items"]]
    assert r["path"] == "off_road_nonroad"
    assert "speed_governor" in items and "epa_3520_21" in items and "hs7_box1" not in items


def test_papers_air_has_no_isf_and_passenger_under_25_has_none():
    air = for_vehicle(make_vehicle(built="1999-05", body="truck", require_specs=False), ON, mode="air")
    assert "isf" not in [i["item"] for i in air["items"]]
    none = for_vehicle(make_vehicle(built="2010-05", body="passenger", require_specs=False), ON)
    assert none["us_path"] == "not-importable" and none["items"] == []


def test_papers_off_road_path_did_not_exist_before_2008_12_08():
    v = make_vehicle(built="2000-05", body="truck", require_specs=False)
    assert for_vehicle(v, dt.date(2008, 12, 7))["items"] == []
    assert "speed_governor" in [i["item"] for i in for_vehicle(v, dt.date(2008, 12, 8))["items"]]


def test_check_stays_free_of_catalog_and_cost_imports():
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "keicar", "check", "--example"],
                       capture_output=True, text=True, check=True)
    heavy = [m for m in ("keicar.catalog", "keicar.answers.cost", "keicar.answers.eligibility", "polars") if f" {m}\n" in p.stderr]
    assert heavy == []
