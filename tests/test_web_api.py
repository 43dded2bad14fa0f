"""The JSON API (keicar.web) through FastAPI's test client: the same answers as the Python
API and the CLI, bad input as 422 naming the field, oversized bodies refused, nothing from
a CDN."""

import re

import pytest
from fastapi.testclient import TestClient

from conftest import dig, load_cases, norm, state_cases
from keicar import __version__
from keicar.api import check
from keicar.engine.parameters import default_law
from keicar.inputs.vehicle import make_vehicle
from keicar.inputs.vehicle import parse_date


def make_date(text):
    return parse_date("on", text)
from keicar.web.app import MAX_BODY_BYTES, STATIC, create_app

GOOD = load_cases("japan_eras.yaml") + load_cases("us_federal.yaml") + state_cases()
BAD = load_cases("bad_input.yaml")
TRUCK = dict(built="1999-05", body="truck", length_mm=3395, width_mm=1475, height_mm=1765, cc=658)


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def post_case(client, case):
    body = {k: v for k, v in case["input"].items()}
    for key in ("on", "month_reading", "state", "registered", "country"):
        if case.get(key) is not None:
            body[key] = norm(case[key])
    return client.post("/v1/check", json=body)


@pytest.mark.parametrize("case", GOOD, ids=[c["name"] for c in GOOD])
def test_case_files_answer_the_same_over_http(client, case):
    res = post_case(client, case)
    assert res.status_code == 200, res.text
    data = res.json()
    for path, expected in case["expect"].items():
        assert dig(data, path) == norm(expected), path


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_bad_input_is_422_naming_the_field(client, case):
    res = post_case(client, case)
    assert res.status_code == 422, res.text
    data = res.json()
    assert data["field"] == case["error"]
    assert data["error"].startswith(f"{case['error']}: ")
    assert "\n" not in data["error"]


def test_check_is_the_cli_json_contract_with_versions_and_citations(client):
    res = client.post("/v1/check", json={**TRUCK, "on": "2026-11-24"})
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/json")
    data = res.json()
    assert data == check(make_vehicle(**TRUCK), on="2026-11-24")
    assert data["keicar_version"] == __version__
    assert data["law_version"] == default_law().version
    steps = data["kei"]["checks"] + data["us"]["checks"]
    assert steps and all(s["citation"] and s["effective"] for s in steps)
    assert data["us"]["nhtsa_eligible_from"] == "2024-05-31"


def test_nhtsa_anniversary_over_http_day_before_and_day_of(client):
    built = {**TRUCK, "built": "1999-05-31"}
    before = client.post("/v1/check", json={**built, "on": "2024-05-30"}).json()
    on_day = client.post("/v1/check", json={**built, "on": "2024-05-31"}).json()
    assert before["us"]["path"] == "off-road-only" and before["us"]["road_legal_import"] is False
    assert on_day["us"]["path"] == "25-year" and on_day["us"]["road_legal_import"] is True


def test_numbers_may_come_as_text_and_month_reading_is_passed_on(client):
    text = {k: str(v) for k, v in TRUCK.items()}
    res = client.post("/v1/check", json={**text, "on": "2026-11-24", "month_reading": "start"})
    assert res.status_code == 200
    assert res.json()["us"]["month_reading"] == "start_of_month"
    assert res.json()["us"]["nhtsa_eligible_from"] == "2024-05-01"


@pytest.mark.parametrize("body, field, words", [
    ({**TRUCK, "length_mm": [3395]}, "length_mm", "must be a number"),
    ({**TRUCK, "cc": {"value": 658}}, "cc", "must be a number"),
    ({**TRUCK, "body": 3}, "body", "must be text"),
    ({**TRUCK, "lenght_mm": 3395}, "lenght_mm", "not a field here; accepted: built, body, length_mm"),
    ({**TRUCK, "built": "1" * 65}, "built", "too long; at most 64"),
    ({**TRUCK, "height_mm": "tall"}, "height_mm", "is not a number"),
    ({**TRUCK, "on": "2026-02-30"}, "on", "not a real calendar date"),
])
def test_pydantic_and_core_errors_read_alike(client, body, field, words):
    res = client.post("/v1/check", json=body)
    assert res.status_code == 422
    assert res.json()["field"] == field
    assert words in res.json()["error"]
    assert res.json()["error"].startswith(f"{field}: ")


@pytest.mark.parametrize("content, words", [
    (b'{"built": ', "not valid JSON"),
    (b"[1, 2]", "must be a JSON object"),
    (b'"text"', "must be a JSON object"),
    (b"", "missing"),
])
def test_a_body_that_is_not_an_object_is_422(client, content, words):
    res = client.post("/v1/check", content=content, headers={"content-type": "application/json"})
    assert res.status_code == 422
    assert res.json()["field"] == "request_body"
    assert words in res.json()["error"]


def test_errors_do_not_repeat_values_pydantic_refused(client):
    res = client.post("/v1/check", json={**TRUCK, "cc": ["<script>alert(1)</script>"]})
    assert res.status_code == 422
    assert "<script>" not in res.text


def test_core_errors_come_back_as_json_not_html(client):
    res = client.post("/v1/check", json={**TRUCK, "body": "<script>alert(1)</script>"})
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("application/json")
    assert res.headers["x-content-type-options"] == "nosniff"


def test_body_over_the_limit_is_413_by_declared_length(client):
    big = b'{"built": "' + b"9" * MAX_BODY_BYTES + b'"}'
    res = client.post("/v1/check", content=big, headers={"content-type": "application/json"})
    assert res.status_code == 413
    assert res.json()["field"] == "request_body"


def test_body_over_the_limit_is_413_when_streamed_without_length(client):
    def chunks():
        for _ in range(MAX_BODY_BYTES // 1024 + 2):
            yield b" " * 1024

    res = client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413


def test_body_just_under_the_limit_is_read(client):
    body = (b'{"built": "1999-05", "body": "truck", "length_mm": 3395, "width_mm": 1475, '
            b'"height_mm": 1765, "cc": 658, "on": "2026-11-24"}')
    padded = body[:-1] + b" " * (MAX_BODY_BYTES - len(body)) + b"}"
    assert len(padded) == MAX_BODY_BYTES
    res = client.post("/v1/check", content=padded, headers={"content-type": "application/json"})
    assert res.status_code == 200


def test_healthz_carries_versions(client):
    res = client.get("/healthz")
    assert res.json() == {"status": "ok", "keicar_version": __version__, "law_version": default_law().version}


def test_openapi_lists_every_endpoint_and_docs_are_local(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ["/v1/check", "/v1/states", "/v1/states/{code}", "/v1/lookup/{code}", "/v1/cost",
              "/v1/calendar/{month}", "/healthz"]:
        assert p in paths
    props = client.get("/openapi.json").json()["components"]["schemas"]["CheckRequest"]["properties"]
    assert {"built", "length_mm", "width_mm", "height_mm", "cc", "stroke", "ev_kw", "body", "state",
            "on", "chassis", "make", "model", "country"} <= set(props)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert client.get("/redoc").status_code == 404


def test_page_and_assets_load_nothing_from_elsewhere(client):
    page = client.get("/")
    assert page.status_code == 200 and "check-form" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for f in STATIC.iterdir():
        text = f.read_text(encoding="utf-8")
        # every src/href/url()/fetch target is a local path
        for ref in re.findall(r"""(?:src|href)=["']([^"']+)["']|url\(([^)]+)\)|fetch\(["'`]([^"'`]+)""", text):
            target = next(r for r in ref if r)
            assert target.startswith(("/", "#", "${")), (f.name, target)
        assert client.get(f"/static/{f.name}").status_code == 200


def test_page_script_never_writes_html():
    js = (STATIC / "app.js").read_text(encoding="utf-8") + (STATIC / "docs.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js, sink


def test_unknown_path_is_404(client):
    assert client.get("/v1/nothing").status_code == 404


# ---------------------------------------------------------------- catalog, calendar, cost

def test_chassis_code_fills_the_specs_and_says_so(client):
    res = client.post("/v1/check", json={"chassis": "PP1", "built": "1991-05", "on": "2026-11-24"})
    assert res.status_code == 200, res.text
    vehicle = res.json()["vehicle"]
    assert vehicle["catalog"]["code"] == "PP1"
    assert {"length_mm", "width_mm", "height_mm", "cc", "body"} <= set(vehicle["filled_from_catalog"])
    assert vehicle["body"] == "passenger"


def test_values_given_win_over_the_catalog(client):
    res = client.post("/v1/check", json={"chassis": "PP1", "built": "1991-05", "width_mm": 1500, "on": "2026-11-24"})
    data = res.json()
    assert data["vehicle"]["width_mm"] == 1500 and "width_mm" not in data["vehicle"]["filled_from_catalog"]
    assert "width_mm" in data["kei"]["failed"]


def test_unknown_chassis_code_is_422_on_chassis(client):
    res = client.post("/v1/check", json={"chassis": "ZZZ99", "built": "1991-05"})
    assert res.status_code == 422 and res.json()["field"] == "chassis"


def test_lookup_strips_prefix_and_serial(client):
    data = client.get("/v1/lookup/EBD-DA63T-123456").json()
    assert (data["code"], data["prefix_stripped"], data["serial_stripped"], data["found"]) == ("DA63T", "EBD", "123456", True)
    assert data["generations"][0]["make"] == "Suzuki"
    assert data["keicar_version"] == __version__ and data["law_version"] == default_law().version


def test_lookup_of_an_unknown_code_answers_not_found(client):
    data = client.get("/v1/lookup/ZZZ").json()
    assert data["found"] is False and data["generations"] == []


def test_calendar_month(client):
    data = client.get("/v1/calendar/2026-11").json()
    assert data["month"] == "2026-11"
    for g in data["first_builds_importable"]:
        assert g["first_builds"]["importable_from"].startswith("2026-11")
    res = client.get("/v1/calendar/2026-13")
    assert res.status_code == 422 and res.json()["field"] == "month"


COST = dict(price_usd=4000, freight_usd=1500, body="truck", built="1999-05", entry_date="2026-11-24")


def test_cost_is_the_cli_contract(client):
    from keicar.answers.cost import landed_cost

    res = client.post("/v1/cost", json=COST)
    assert res.status_code == 200
    assert res.json() == landed_cost(**COST)
    assert res.json()["duty"]["hts"] == "8704.31"


def test_cost_by_air_has_no_harbor_fee(client):
    from keicar.answers.cost import landed_cost

    air = client.post("/v1/cost", json={**COST, "ocean": False}).json()
    assert air == landed_cost(**COST, mode="air")
    assert air["total_usd"] < client.post("/v1/cost", json=COST).json()["total_usd"]


@pytest.mark.parametrize("body, field", [
    ({**COST, "price_usd": -4}, "price_usd"),
    ({**COST, "ocean": "maybe"}, "ocean"),
    ({**COST, "price": 4000}, "price"),
    ({**COST, "body": "boat"}, "body"),
])
def test_cost_bad_input(client, body, field):
    res = client.post("/v1/cost", json=body)
    assert res.status_code == 422 and res.json()["field"] == field


# ---------------------------------------------------------------- other countries

def test_country_replaces_the_us_block_as_the_cli_does(client):
    from keicar.answers.countries import check_country

    res = client.post("/v1/check", json={**TRUCK, "on": "2026-11-24", "country": "CA"})
    assert res.status_code == 200
    assert res.json() == check_country(make_vehicle(**TRUCK), on="2026-11-24", country="CA")
    assert res.json()["import"]["country"] == "CA" and "us" not in res.json()


def test_unknown_country_is_422(client):
    res = client.post("/v1/check", json={**TRUCK, "country": "FR"})
    assert res.status_code == 422 and res.json()["field"] == "country"


# ---------------------------------------------------------------- US states

def test_states_on_a_date_as_the_cli_gives_them(client):
    from keicar.answers.statelaw import all_summaries

    data = client.get("/v1/states?on=2026-11-24").json()
    assert data["count"] == 51 and data["law_version"] == default_law().version
    assert data["states"] == all_summaries(default_law(), make_date("2026-11-24"))


def test_state_record_with_history_and_sources(client):
    from keicar.answers.statelaw import record

    tx = client.get("/v1/states/tx?on=2026-11-24").json()
    assert {k: v for k, v in tx.items() if k not in ("keicar_version", "law_version")} == \
        record(default_law(), "TX", make_date("2026-11-24"))
    assert tx["code"] == "TX" and tx["history"] and tx["sources"]


def test_map_has_one_element_per_state(client):
    svg = client.get("/v1/map.svg?on=2026-11-24")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count('id="state-') == 51 and 'id="state-TX"' in svg.text
    assert "<script" not in svg.text


@pytest.mark.parametrize("path, field", [("/v1/states/TX?on=junk", "on"), ("/v1/map.svg?on=2026-02-30", "on"),
                                         ("/v1/states?on=20261124", "on"), ("/v1/states/ZZ", "state")])
def test_states_bad_input(client, path, field):
    res = client.get(path)
    assert res.status_code == 422 and res.json()["field"] == field


def test_check_with_a_state_adds_its_block_as_the_cli_does(client):
    from keicar.answers.countries import check_country

    res = client.post("/v1/check", json={**TRUCK, "on": "2026-11-24", "state": "TX"})
    assert res.status_code == 200
    assert res.json() == check_country(make_vehicle(**TRUCK), on="2026-11-24", state="TX")
    assert res.json()["state"]["code"] == "TX" and res.json()["state"]["citations"]


def test_rhode_island_grandfathering_passes_through(client):
    body = {**TRUCK, "on": "2026-11-24", "state": "RI"}
    before = client.post("/v1/check", json={**body, "registered": "2024-05-31"}).json()["state"]
    after = client.post("/v1/check", json={**body, "registered": "2024-06-01"}).json()["state"]
    assert before["grandfathered"] is True and after["grandfathered"] is False


@pytest.mark.parametrize("body, field", [
    ({**TRUCK, "state": "ZZ"}, "state"),
    ({**TRUCK, "state": "TX", "country": "CA"}, "state"),
    ({**TRUCK, "state": "RI", "registered": "someday"}, "registered"),
])
def test_check_state_bad_input(client, body, field):
    res = client.post("/v1/check", json=body)
    assert res.status_code == 422 and res.json()["field"] == field


def test_serve_refuses_a_bad_port():
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "keicar", "serve", "--port", "99999"], capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.strip() == "keicar: error: --port: '99999' is not a TCP port; use a number from 1 to 65535"
