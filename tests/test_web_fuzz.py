"""The JSON API fuzzed through its own OpenAPI schema (schemathesis), in-process over ASGI: no
network, no server. Every operation gets valid and invalid requests; whatever comes back must
be no 5xx, a 4xx as `{"field", "error"}`, a status, content type and body the schema
declares, and invalid requests refused. Bounded: a few seconds per mode. (Schema-valid
requests may still be refused: dates, ranges and body types are checked by keicar.vehicle,
not by the schema.)

Run alone with `-s` to print how many requests were tried and how many failed."""

import json
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_schema_conformance, status_code_conformance)

from keicar.web.app import create_app

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
