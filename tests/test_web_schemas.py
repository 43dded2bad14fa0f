"""/openapi.json declares the real answers: every JSON endpoint's 200 and 422 are objects with
typed, required fields, the request bodies mark what is required, and real answers (every
state on dates from 1990 to 2035, the case files, the whole catalog, calendar months, costs)
validate against the declared schemas. A generated client reads a real answer."""

import csv
import importlib.util
import subprocess
import sys

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from conftest import load_cases, norm, state_cases
from keicar.web.app import create_app

DATES = ["1990-01-01", "2000-06-15", "2024-05-31", "2026-11-24", "2027-07-01", "2035-12-31"]
TRUCK = dict(built="1999-05", body="truck", length_mm=3395, width_mm=1475, height_mm=1765, cc=658)
JSON_ENDPOINTS = [("get", "/healthz"), ("post", "/v1/check"), ("get", "/v1/states"), ("get", "/v1/states/{code}"),
                  ("get", "/v1/lookup/{code}"), ("get", "/v1/calendar/{month}"), ("post", "/v1/cost")]


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


@pytest.fixture(scope="module")
def openapi(client):
    return client.get("/openapi.json").json()


def component(openapi, schema):
    return openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]


def validator(openapi, method, path, status="200"):
    schema = openapi["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema,
                                        "components": openapi["components"]})


@pytest.mark.parametrize("method, path", JSON_ENDPOINTS)
def test_every_json_answer_is_declared_as_an_object_with_required_typed_fields(openapi, method, path):
    responses = openapi["paths"][path][method]["responses"]
    declared = responses["200"]["content"]["application/json"]["schema"]
    assert set(declared) == {"$ref"}, declared  # nothing beside the model (it once said "type": "string")
    answer = component(openapi, declared)
    assert answer["type"] == "object" and {"keicar_version", "law_version"} <= set(answer["required"])
    assert all("type" in p or "anyOf" in p or "$ref" in p for p in answer["properties"].values())
    if path != "/healthz":
        error = component(openapi, responses["422"]["content"]["application/json"]["schema"])
        assert set(error["required"]) == {"field", "error"}


def test_request_bodies_mark_required_fields(openapi):
    schemas = openapi["components"]["schemas"]
    assert schemas["CheckRequest"]["required"] == ["built"]
    assert schemas["CostRequest"]["required"] == ["body", "built"]
    assert schemas["CostRequest"]["properties"]["air"]["anyOf"][0]["type"] == "boolean"
    assert schemas["CheckRequest"]["additionalProperties"] is False


def conforms(openapi, method, path, responses):
    check = validator(openapi, method, path)
    for res in responses:
        assert res.status_code == 200, res.text
        errors = [f"{e.instance_path}: {e.message[:200]}" for e in check.iter_errors(res.json())]
        assert not errors, (res.url, errors[:5])


def test_every_state_on_every_date_serializes_and_conforms(client, openapi):
    codes = [s["code"] for s in client.get("/v1/states").json()["states"]]
    assert len(codes) == 51
    conforms(openapi, "get", "/v1/states", [client.get(f"/v1/states?on={on}") for on in DATES])
    conforms(openapi, "get", "/v1/states/{code}", [client.get(f"/v1/states/{c}?on={on}") for c in codes for on in DATES])
    conforms(openapi, "post", "/v1/check", [
        client.post("/v1/check", json={**TRUCK, "state": c, "on": on, "registered": "2024-05-31" if on > "2024" else None})
        for c in codes for on in DATES[2:]])


def test_check_answers_conform(client, openapi):
    answers = []
    for case in load_cases("jp/kei.yaml") + load_cases("us/federal/import.yaml") + state_cases():
        body = {**case["input"], **{k: norm(case[k]) for k in ("on", "month_reading", "state", "registered", "country")
                                    if case.get(k) is not None}}
        answers.append(client.post("/v1/check", json=body))
    answers += [client.post("/v1/check", json={**TRUCK, "country": c}) for c in ("CA", "AU", "UK")]
    answers += [client.post("/v1/check", json={"chassis": "PP1", "built": "1991-05"}),
                client.post("/v1/check", json={**TRUCK, "cc": None, "ev_kw": 20, "height_mm": 1765.5})]
    conforms(openapi, "post", "/v1/check", answers)


def test_catalog_calendar_cost_and_health_conform(client, openapi):
    from keicar.catalog import __file__ as catalog_init
    from pathlib import Path

    rows = csv.DictReader((Path(catalog_init).parent / "catalog.csv").open(encoding="utf-8"))
    codes = sorted({row["chassis_codes"].split("|")[0] for row in rows} | {"ZZZ", "L40", "EBD-DA63T-123456"})
    conforms(openapi, "get", "/v1/lookup/{code}", [client.get(f"/v1/lookup/{c}") for c in codes if c and "/" not in c])
    conforms(openapi, "get", "/v1/calendar/{month}", [client.get(f"/v1/calendar/{y}-{m:02d}?month_reading={r}")
                                                      for y in range(1990, 2036, 3) for m in (1, 6) for r in ("end", "start")])
    cost = dict(body="truck", built="1999-05", entry_date="2026-11-24")
    conforms(openapi, "post", "/v1/cost", [client.post("/v1/cost", json={**cost, **extra}) for extra in [
        dict(price_usd=4000), dict(body="passenger", built="2001-01-15", price_usd=9000, air=True),
        dict(price_jpy=600000, fx_jpy_per_usd=150, freight_usd=1500, insurance_usd=50, broker_usd=300, port_usd=200,
             state_fees_usd=400), dict(entry_date="2019-01-01", price_usd=100), dict(body="van", built="2015-01", entry_date="2030-01-01", price_usd=5)]])
    conforms(openapi, "get", "/healthz", [client.get("/healthz")])


def test_errors_conform(client, openapi):
    check = validator(openapi, "post", "/v1/check", "422")
    for res in [client.post("/v1/check", json={}), client.post("/v1/check", json={**TRUCK, "cc": [1]}),
                client.post("/v1/check", content=b"[" * 2000, headers={"content-type": "application/json"})]:
        assert res.status_code == 422 and check.is_valid(res.json()), res.text


def test_a_generated_client_reads_a_real_answer(client, openapi, tmp_path):
    """datamodel-code-generator turns /openapi.json into pydantic models; they parse /v1/check."""
    import json

    (tmp_path / "openapi.json").write_text(json.dumps(openapi), encoding="utf-8")
    out = tmp_path / "keicar_client.py"
    subprocess.run([sys.executable, "-m", "datamodel_code_generator", "--input", str(tmp_path / "openapi.json"),
                    "--input-file-type", "openapi", "--output", str(out),
                    "--output-model-type", "pydantic_v2.BaseModel"], check=True, capture_output=True, timeout=120)
    spec = importlib.util.spec_from_file_location("keicar_client", out)
    generated = importlib.util.module_from_spec(spec)
    sys.modules["keicar_client"] = generated  # its models refer to each other by name
    try:
        spec.loader.exec_module(generated)
    finally:
        del sys.modules["keicar_client"]
    answer = generated.CheckAnswer.model_validate(
        client.post("/v1/check", json={**TRUCK, "on": "2026-11-24", "state": "RI"}).json())
    assert answer.us.nhtsa_eligible_from == "2024-05-31"
    assert answer.kei.checks[0].citation and answer.state.code == "RI"
    request = generated.CheckRequest(built="1999-05", body="truck", cc=658)
    assert request.model_dump(exclude_none=True)["built"] == "1999-05"
    with pytest.raises(ValueError):  # pydantic's ValidationError: the schema says `built` is required
        generated.CheckRequest(body="truck")
