"""The JSON API fuzzed through its own OpenAPI schema (schemathesis), in-process over ASGI: no
network, no server. Every operation gets valid and invalid requests; whatever comes back must
be no 5xx, a 4xx as `{"field", "error"}`, a status, content type and body the schema
declares, and invalid requests refused. Bounded: a few seconds per mode. (Schema-valid
requests may still be refused: dates, ranges and body types are checked by keicar.inputs.vehicle,
not by the schema.)

Run alone with `-s` to print how many requests were tried and how many failed."""

import json
from collections import Counter

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_schema_conformance, status_code_conformance)

from keicar.web.app import create_app
from keicar.web.models import CheckRequest, CostRequest

EXAMPLES = 60  # per generation mode, across all operations (/v1/states and the map take ~0.5 s each)


def errors_name_the_field(response, case):
    """A 4xx answers JSON with `field` and `error` (a one-line message starting with the field)."""
    if 400 <= response.status_code < 500:
        data = json.loads(response.text)
        assert set(data) == {"field", "error"}, data
        assert isinstance(data["error"], str) and "\n" not in data["error"], data
        if data["field"] is not None:
            assert data["error"].startswith(f"{data['field']}: "), data


def fuzz(mode: str) -> tuple[int, Counter]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
    tried, failures = 0, Counter()
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    if mode == "negative":  # what the schema calls invalid must be refused (4xx)
        checks.append(negative_data_rejection)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=schema.as_strategy(generation_mode=schemathesis.GenerationMode(mode)))
    def run(case):
        nonlocal tried
        tried += 1
        response = case.call()
        for check in checks:
            try:
                case.validate_response(response, checks=[check])
            except BaseExceptionGroup as group:  # schemathesis' FailureGroup: counted by kind below
                title = str(group.exceptions[0]).strip().splitlines()[0][:100]
                failures[f"{case.method} {case.path} {response.status_code} {check.__name__}: {title}"] += 1
        try:
            errors_name_the_field(response, case)
        except (AssertionError, ValueError) as exc:
            failures[f"{case.method} {case.path} {response.status_code} error shape: {str(exc)[:100]}"] += 1

    run()
    return tried, failures


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_fuzzed_through_its_schema(mode):
    tried, failures = fuzz(mode)
    print(f"\nschemathesis {mode}: {tried} requests, {sum(failures.values())} failed checks")
    for kind, n in failures.most_common():
        print(f"  {n:4d} {kind}")
    assert tried >= EXAMPLES // 2
    assert not failures, failures.most_common(10)


# ---------------------------------------------------------------- bodies beyond the schema

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
HOSTILE_NUMBERS = st.sampled_from(["1e999", "-1e999", "NaN", "Infinity", "1" * 5001, "-" + "9" * 400, "[" * 1200,
                                   '"\\ud800"', '"0000-05"', '"  "', "1e-324", "5e-324", "0"])


VALID = {"/v1/check": dict(built="1999-05", body="truck", length_mm=3395, width_mm=1475, height_mm=1765, cc=658),
         "/v1/cost": dict(body="truck", built="1999-05", price_usd=4000, freight_usd=1500)}


@pytest.mark.parametrize("path, model", [("/v1/check", CheckRequest), ("/v1/cost", CostRequest)])
def test_any_json_body_is_an_answer_or_a_422_naming_the_field(path, model):
    """A valid body with up to two fields replaced by any JSON value, then up to two by text
    JSON's own encoder would not write (NaN, 5,001 digits, 1,200 brackets ...)."""
    client = TestClient(create_app(), raise_server_exceptions=False)
    fields = list(model.model_fields)
    seen = Counter()

    @settings(max_examples=150, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(changed=st.dictionaries(st.sampled_from(fields), JSON_VALUES, max_size=2),
           raw=st.dictionaries(st.sampled_from(fields), HOSTILE_NUMBERS, max_size=2))
    def run(changed, raw):
        base = {k: v for k, v in {**VALID[path], **changed}.items() if k not in raw}
        text = json.dumps(base)[:-1] + "".join(f', "{k}": {v}' for k, v in raw.items()) + "}"
        res = client.post(path, content=text.encode(), headers={"content-type": "application/json"})
        seen[res.status_code] += 1
        assert res.status_code in (200, 422), (text[:200], res.text[:200])
        if res.status_code == 422:
            errors_name_the_field(res, None)
        else:
            json.loads(res.text, parse_constant=lambda c: pytest.fail(f"{c} in an answer"))

    run()
    print(f"\n{path}: {sum(seen.values())} hostile bodies, statuses {dict(seen)}")
