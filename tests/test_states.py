"""The 51 state records as data, the state rules, and the state commands."""

import datetime as dt
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from keicar.api import check
from keicar.engine.parameters import Node, Parameter, default_law
from keicar.rules.us.states import STATUSES
from keicar.answers.state import state_codes
from keicar.inputs.vehicle import InputError
from keicar.answers.statelaw import all_summaries, audit, record
from keicar.present.statemap import svg
from keicar.inputs.vehicle import InputError, make_vehicle

LAW = default_law()
CODES = state_codes(LAW)
FIELDS = {"status": "enum", "max_posted_speed_mph": "mph", "interstates": "bool", "registration_class": "text"}
DEFINITION = {"max_length_in", "max_width_in", "max_height_in", "max_length_mm", "max_width_mm",
              "max_height_mm", "max_displacement_cc", "max_ev_kw", "max_gvwr_lb", "max_curb_weight_lb",
              "min_age_years", "max_top_speed_mph", "body", "conditions_not_checked", "outside_status"}
USPS = set("AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE "
           "NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY".split())


def node(code) -> Node:
    return LAW.node(f"us.states.{code}")


def test_exactly_51_jurisdictions():
    assert len(CODES) == 51
    assert set(CODES) == USPS
    for code in CODES:
        assert node(code).meta["code"] == code
        assert node(code).meta["name"]


@pytest.mark.parametrize("code", sorted(USPS))
def test_schema(code):
    n = node(code)
    for name, unit in FIELDS.items():
        p = n.children[name]
        assert isinstance(p, Parameter) and p.unit == unit, name
    assert set(n.children["status"].values_allowed) <= set(STATUSES)
    for v in n.children["status"].values:
        assert v.value in STATUSES
    extra = set(n.children) - set(FIELDS) - {"car", "truck", "grandfather", "definition"}
    assert not extra, extra
    for kind in ("car", "truck"):
        if kind in n.children:
            assert set(n.children[kind].children) <= set(FIELDS)
            for name, p in n.children[kind].children.items():
                assert p.unit == FIELDS[name]
    if "grandfather" in n.children:
        g = n.children["grandfather"].children
        assert set(g) == {"registered_before", "status"}
        assert g["registered_before"].unit == "date"
    if "definition" in n.children:
        assert set(n.children["definition"].children) <= DEFINITION
    assert n.meta["confidence"] in ("high", "medium", "low")


@pytest.mark.parametrize("code", sorted(USPS))
def test_every_status_value_says_what_it_rests_on(code):
    """Issue 14: each status (top-level, car:, truck:, grandfather:) has a basis, and an
    `unclear` one lists the conflicting claims it could not choose between."""
    n = node(code)
    for p in n.walk():
        if p.path.rsplit(".", 1)[-1] != "status":
            continue
        for v in p.values:
            assert v.basis is not None, (p.path, v.since)
            if v.value == "unclear":
                assert v.disputed or n.meta.get("claims"), (p.path, v.since)


@pytest.mark.parametrize("code", sorted(USPS))
def test_history_dates_ascending(code):
    history = node(code).meta.get("history") or []
    dates = [h["date"] if isinstance(h["date"], dt.date) else dt.date.fromisoformat(str(h["date"]))
             for h in history]
    assert dates == sorted(dates)


TRUCK = dict(built="1996-05-20", body="truck", length_mm=3295, width_mm=1395, height_mm=1780, cc=658)


def test_definition_applied_colorado():
    """Outside CO's kei definition after 2027-07-01, a vehicle does not get CO's permission,
    and the explanation names the limit missed with its citation."""
    wide = make_vehicle(**{**TRUCK, "width_mm": 1750, "length_mm": 3600})
    before = check(wide, on="2027-06-30", state="CO")["state"]
    assert before["status"] == "prohibited" and "definition" not in before
    on = check(wide, on="2027-07-01", state="CO")
    st = on["state"]
    assert st["status"] == "unclear" and st["status_from"] == "definition"
    assert st["definition"]["missed"] == ["max_length_in", "max_width_in"]
    failed = [s for s in st["definition"]["checks"] if s["passed"] is False]
    assert [s["limit"] for s in failed] == [140, 67]
    assert all(s["effective"] == "2027-07-01" and s["citation"] for s in failed)
    assert "width 68.9 in over the 67 in limit" in on["verdict"]
    assert "BillTrack50" in on["verdict"]
    fits = check(make_vehicle(**TRUCK), on="2027-07-01", state="CO")["state"]
    assert fits["status"] == "restricted"


def test_truck_only_definition_and_car_override():
    """KY's minitruck class is for trucks; a car takes KY's car: status, not the class."""
    car = make_vehicle(**{**TRUCK, "body": "passenger"})
    st = check(car, on="2025-06-27", state="KY")["state"]
    assert st["status"] == "unrestricted" and st["status_from"] == "record"
    assert "definition" not in st or not st["definition"]["checks"]


def test_human_verdict_sentence():
    r = check(make_vehicle(**TRUCK), on="2026-11-24", state="RI", registered="2024-05-31")
    assert "may register; roads posted 35 mph or less; no interstates" in r["verdict"]
    assert r["verdict"].index("Importable to the US") < r["verdict"].index("Rhode Island")


def test_not_importable_reported_first():
    young = make_vehicle(**{**TRUCK, "built": "2010-05-20", "body": "passenger"})
    r = check(young, on="2026-11-24", state="TX")
    assert r["verdict"].index("Not importable") < r["verdict"].index("Texas")
    assert "once it may be imported for road use" in r["verdict"]


def test_unknown_state_lists_codes():
    with pytest.raises(InputError) as err:
        check(make_vehicle(**TRUCK), on="2026-11-24", state="ZZ")
    assert err.value.field == "state"
    assert "AK, AL" in err.value.message and "WY" in err.value.message


def test_listing_and_record():
    rows = all_summaries(LAW, dt.date(2026, 11, 24))
    assert len(rows) == 51
    assert {r["status"] for r in rows} <= set(STATUSES)
    only = all_summaries(LAW, dt.date(2026, 11, 24), "prohibited")
    assert {"GA", "WI"} <= {r["code"] for r in only}
    with pytest.raises(InputError):
        all_summaries(LAW, dt.date(2026, 11, 24), "banned")
    rec = record(LAW, "co", dt.date(2026, 11, 24))
    assert rec["status"] == "prohibited"
    assert rec["scheduled"] and rec["scheduled"][0]["date"] == "2027-07-01"
    assert rec["history"] and rec["claims"] and rec["sources"]
    assert all(s["seen"] for s in rec["sources"] if s["href"])
    assert rec["parameters"]["definition.max_width_in"][0]["value"] == 67


def test_audit():
    report = audit(today=dt.date(2026, 11, 24), older_than=0)
    assert report["records"] == 51
    assert sum(len(v) for v in report["by_confidence"].values()) == 51
    assert report["disputed"] and len(report["unclear"]) <= 5  # issue 14: at most 5 unclear
    assert all(row["age_days"] is None for row in report["stale_sources"])  # everything seen today
    later = audit(today=dt.date(2027, 6, 1), older_than=90)
    assert len(later["stale_sources"]) > len(report["stale_sources"])


def test_map_svg():
    text = svg(dt.date(2026, 11, 24))
    root = ET.fromstring(text)
    ns = "{http://www.w3.org/2000/svg}"
    groups = [g for g in root.iter(ns + "g") if g.get("id", "").startswith("state-")]
    assert sorted(g.get("id")[6:] for g in groups) == sorted(USPS)
    ga = next(g for g in groups if g.get("id") == "state-GA")
    assert ga.get("data-status") == "prohibited"
    assert "Georgia" in ga.find(ns + "title").text
    assert "2026-11-24" in root.find(ns + "title").text
    assert "Off-road only" in text  # legend


def keicar(*args):
    return subprocess.run([sys.executable, "-m", "keicar", *args], capture_output=True, text=True)


def test_cli_states(tmp_path):
    r = keicar("states", "--on", "2026-11-24", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["count"] == 51
    r = keicar("state", "TX", "--on", "2025-09-01", "--json")
    assert json.loads(r.stdout)["effective"] == "2025-09-01"
    r = keicar("state", "QQ")
    assert r.returncode == 2 and r.stderr.startswith("keicar: error: CODE:")
    r = keicar("check", "--example", "--state", "ZZ")
    assert r.returncode == 2 and "--state:" in r.stderr and "\n" == r.stderr[-1] and r.stderr.count("\n") == 1
    r = keicar("check", "--example", "--state", "RI", "--registered", "31-05-2024")
    assert r.returncode == 2 and "--registered:" in r.stderr
    r = keicar("check", "--example", "--state", "RI", "--registered", "2024-05-31", "--on", "2026-11-24", "--json")
    assert json.loads(r.stdout)["state"]["status"] == "restricted"
    r = keicar("check", "--example", "--state", "RI", "--on", "2026-11-24")
    assert r.returncode == 0 and "Rhode Island" in r.stdout
    r = keicar("data", "audit", "--older-than", "30", "--json")
    assert json.loads(r.stdout)["records"] == 51
    out = tmp_path / "map.svg"
    r = keicar("map", "--on", "2027-07-01", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert 'id="state-CO" class="state status-restricted"' in out.read_text()
    r = keicar("map", "--out", str(tmp_path / "map.gif"))
    assert r.returncode == 2 and "--out:" in r.stderr


def test_map_png(tmp_path):
    pytest.importorskip("matplotlib")
    from keicar.present.statemap import write_map

    out = write_map(dt.date(2026, 11, 24), tmp_path / "map.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_audit_counts_by_status_basis_confidence_and_lists_changes():
    report = audit(today=dt.date(2026, 11, 30), changed_since=dt.date(2024, 1, 1))
    for kind in ("truck", "car"):
        for key in ("status", "basis", "confidence"):
            assert sum(report["counts"][kind][key].values()) == 51, (kind, key)
    strong = sum(report["counts"]["truck"]["basis"].get(b, 0) for b in ("statute", "regulation", "agency_guidance"))
    assert strong >= 30  # issue 14: at least 30 rest on a statute, a regulation or agency guidance
    dates = [c["date"] for c in report["changes"]]
    assert dates and min(dates) >= "2024-01-01" and max(dates) <= "2026-11-30"
    assert any(c["code"] == "RI" and c["date"] == "2024-06-28" for c in report["changes"])


def test_a_state_may_be_named_as_well_as_coded():
    from keicar.answers.state import resolve_state

    law = default_law()
    assert [resolve_state(x, law) for x in ("tx", " Texas ", "new  york", "District of Columbia")] == \
        ["TX", "TX", "NY", "DC"]
    for bad in ("Texs", "PR", "T X"):
        with pytest.raises(InputError) as err:
            resolve_state(bad, law)
        assert err.value.field == "state" and "name of a state" in err.value.message
