"""``check`` is built from the registry: its ``variables`` are exactly the traced values of
every variable whose inputs are given, and each field of the JSON contract is the value of
the variable it reports, on random vehicles, states, dates asked and registration dates."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_differential import STATE_CODES, on_days, state_days, vehicles

from keicar.api import check
from keicar.engine.parameters import default_law
from keicar.engine.variables import trace
from keicar.rules.registry import registry
from keicar.inputs.vehicle import make_vehicle

LAW = default_law()
REGISTRY = registry(LAW)
READINGS = [None, "end_of_month", "start_of_month"]


def _names(value):
    return value.split(",") if value else []


@st.composite
def asks(draw):
    v = draw(vehicles())
    on = max(draw(st.one_of(on_days, state_days)), v.built_start, dt.date(2000, 1, 1))
    state = draw(st.one_of(st.none(), st.sampled_from(STATE_CODES)))
    registered = draw(st.one_of(st.none(), st.dates(v.built_start, on))) if state else None
    return v, on, draw(st.sampled_from(READINGS)), state, registered


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(asks())
def test_check_reports_the_registry_variables(ask):
    v, on, reading, state, registered = ask
    r = check(v, on=on, month_reading=reading, state=state, registered=registered)
    row = {**v.row(), "on": on, "month_reading": reading, "state": state, "registered": registered,
           "entry_date": on}
    have = ("entry_date", "state") if state else ("entry_date",)
    want = {var.name: trace(LAW, row, var)["value"] for var in REGISTRY.select(have=have)}
    assert r["variables"] == want
    got = r["variables"]
    assert ("state.status" in got) == (state is not None)
    assert not any("price_usd" in REGISTRY[n].needs for n in got)  # no price asked: no amounts

    kei = r["kei"]
    assert kei["is_kei"] == (got["kei.is_kei"] is True)
    assert kei["is_kei_today"] == (got["kei.is_kei_today"] is True)
    assert (kei["regime"], kei["regime_today"]) == (got["kei.regime"], got["kei.regime_today"])
    assert kei["failed"] == _names(got["kei.failed"])
    assert kei["failed_today"] == _names(got["kei.failed_today"])
    # the explanation's steps say the same as the variable
    for checks, failed in ((kei["checks"], kei["failed"]), (kei["checks_today"], kei["failed_today"])):
        assert [s["rule"] for s in checks[1:] if s["passed"] is False] == failed

    us = r["us"]
    for field in ("path", "nhtsa_eligible_from", "epa_eligible_from"):
        assert us[field] == got[f"us.{field}"], field
    assert us["importable"] == (got["us.importable"] is True)
    assert us["road_legal_import"] == (got["us.road_legal_import"] is True)
    assert [i["item"] for i in r["papers"]["items"]] == _names(got["papers.required"])

    if state:
        block = r["state"]
        for field in ("status", "max_posted_speed_mph", "interstates", "registration_class",
                      "confidence", "basis", "applies_to", "status_from"):
            assert block[field] == got[f"state.{field}"], field
        assert block["grandfathered"] == (got["state.grandfathered"] is True)
        if "definition" in block:
            assert block["definition"]["outside"] == (got["state.outside_definition"] is True)
            missed = [s for s in block["definition"]["checks"] if s["passed"] is False]
            assert bool(missed) == block["definition"]["outside"]


TRUCK = dict(body="truck", length_mm=3395, width_mm=1475, height_mm=1765)


def _displacement(stroke):
    # 1951-08-16 to 1955-04-01: a lower cap for two-stroke engines than for four-stroke
    v = make_vehicle(built="1952-01-10", cc=300, stroke=stroke, **TRUCK)
    steps = check(v, on="2026-11-24")["kei"]["checks"]
    return next(s for s in steps if s["rule"] == "displacement_cc")


def test_a_step_cites_the_values_it_read_not_the_last_one_read():
    two, four = _displacement(2), _displacement(4)
    assert [x["parameter"] for x in two["reads"]] == ["jp.kei.displacement_2stroke_cc"]
    assert [x["parameter"] for x in four["reads"]] == ["jp.kei.displacement_4stroke_cc"]
    for s in (two, four):
        (read,) = s["reads"]
        assert read["value"] == s["limit"]
        assert (read["since"], read["citation"], read["confidence"]) == \
               (s["effective"], s["citation"], s["confidence"])
    assert two["limit"] < 300 <= four["limit"]
    assert (two["passed"], four["passed"]) == (False, True)


def test_a_step_whose_limit_reads_several_values_lists_each():
    """The 25-year date reads the build-month reading, the leap-day rule and the age."""
    v = make_vehicle(built="1996-02-29", cc=658, stroke=4, **TRUCK)
    (nhtsa,) = [s for s in check(v, on="2021-03-01")["us"]["checks"] if s["rule"] == "nhtsa_25_year"]
    law = {x["parameter"]: x for x in nhtsa["reads"]}
    assert set(law) == {"us.federal.import.nhtsa.month_only_build_reading",
                        "us.federal.import.nhtsa.leap_day_anniversary",
                        "us.federal.import.nhtsa.min_age_years"}
    assert law["us.federal.import.nhtsa.min_age_years"]["value"] == 25
    for param, x in law.items():
        entry = LAW.param(param).entry(dt.date(2021, 3, 1))
        assert (x["value"], x["since"], x["citation"]) == (entry.value, entry.since.isoformat(), entry.citation)
    assert nhtsa["parameter"] == nhtsa["reads"][-1]["parameter"]


def test_post_check_answers_the_variables_and_declares_them():
    from fastapi.testclient import TestClient

    from keicar.web.app import create_app

    client = TestClient(create_app())
    body = {"built": "1996-05-20", "body": "truck", "length_mm": 3395, "width_mm": 1475,
            "height_mm": 1765, "cc": 658, "on": "2026-11-24", "state": "RI"}
    data = client.post("/v1/check", json=body).json()
    assert data["variables"]["state.status"] == data["state"]["status"]
    assert data["variables"]["us.path"] == data["us"]["path"] == "25-year"
    assert data["variables"]["duty.hts"] == "8704.31"
    schema = client.get("/openapi.json").json()["components"]["schemas"]["CheckAnswer"]
    assert "variables" in schema["required"] and schema["properties"]["variables"]["type"] == "object"
