"""Issue 10 over HTTP: hostile input is a 422 naming the field (never a 500 or FastAPI's 400
`{detail}`), HEAD answers like GET, the cost fields are the CLI's options, and no answer holds
a date object, NaN or Infinity."""

import inspect
import json

import pytest
from fastapi.testclient import TestClient

from keicar.web.app import create_app
from keicar.web.models import CheckRequest, CostRequest

TRUCK = dict(built="1999-05", body="truck", length_mm=3395, width_mm=1475, height_mm=1765, cc=658)
COST = dict(price_usd=4000, freight_usd=1500, body="truck", built="1999-05", entry_date="2026-11-24")


@pytest.fixture(scope="module")
def client():
    # a server error would come back as a 500 here instead of raising in the test
    return TestClient(create_app(), raise_server_exceptions=False)


def post_raw(client, path, text):
    return client.post(path, content=text.encode(), headers={"content-type": "application/json"})


def assert_422(res, field, words=""):
    assert res.status_code == 422, res.text
    data = res.json()
    assert set(data) == {"field", "error"}
    assert data["field"] == field, data
    assert data["error"].startswith(f"{field}: ") and words in data["error"], data
    assert "\n" not in data["error"]


# ---------------------------------------------------------------- numbers (items 9, 14)

@pytest.mark.parametrize("field", ["length_mm", "width_mm", "height_mm", "cc", "stroke", "ev_kw"])
@pytest.mark.parametrize("raw", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity", '"inf"', '"nan"', '"1e999"',
                                 "1" * 5001, "1" * 4000, "-" + "9" * 400])
def test_a_number_that_is_not_finite_is_422_naming_the_field(client, field, raw):
    body = json.dumps({k: v for k, v in TRUCK.items() if k != field})[:-1] + f', "{field}": {raw}}}'
    assert_422(post_raw(client, "/v1/check", body), field, "must be a finite number")


@pytest.mark.parametrize("field", ["price_usd", "price_jpy", "fx_jpy_per_usd", "freight_usd", "insurance_usd",
                                   "broker_usd", "port_usd", "state_fees_usd"])
def test_cost_numbers_that_are_not_finite_are_422(client, field):
    body = json.dumps({k: v for k, v in COST.items() if k != field})[:-1] + f', "{field}": 1e999}}'
    assert_422(post_raw(client, "/v1/cost", body), field, "must be a finite number")


def test_large_finite_numbers_still_reach_the_range_checks(client):
    assert_422(client.post("/v1/check", json={**TRUCK, "cc": 10 ** 30}), "cc")
    assert client.post("/v1/check", json={**TRUCK, "cc": "658.0"}).status_code == 200


def test_an_answer_that_would_not_be_finite_is_422_not_infinity(client):
    # 600,000 yen at 5e-324 yen per dollar is an infinite dollar price
    res = client.post("/v1/cost", json={**COST, "price_usd": None, "price_jpy": 600000, "fx_jpy_per_usd": 5e-324})
    assert_422(res, "fx_jpy_per_usd")
    assert "Infinity" not in res.text


# ---------------------------------------------------------------- bodies the parser cannot take (item 14)

@pytest.mark.parametrize("depth", [1000, 5000])
def test_a_body_nested_deeply_is_422_on_the_body(client, depth):
    assert_422(post_raw(client, "/v1/check", "[" * depth + "]" * depth), "request_body")
    assert_422(post_raw(client, "/v1/cost", '{"a": 1, "b": ' + "{" * depth), "request_body")


@pytest.mark.parametrize("raw", [b"\xff", b'{"built": "1999-05", "body": "\xe9"}'])
def test_a_body_that_is_not_utf8_is_422_on_the_body(client, raw):
    res = client.post("/v1/check", content=raw, headers={"content-type": "application/json"})
    assert_422(res, "request_body", "UTF-8")


def test_a_lone_surrogate_is_422_naming_the_field(client):
    assert_422(post_raw(client, "/v1/check", '{"built": "\\ud800"}'), "built", "Unicode")


@pytest.mark.parametrize("path, field, words", [
    ("/v1/check", "cc", "must be a number"),
    ("/v1/check", "make", "must be a single value"),
    ("/v1/check", "colour", "not a field here"),
    ("/v1/cost", "air", "must be a single value"),
])
def test_a_field_nested_deeply_is_422_naming_it(client, path, field, words):
    start = json.dumps({"built": "1999-05", "body": "x, \"y\": [", "note\\\"": 1})[:-1]
    res = post_raw(client, path, start + f', "{field}": ' + "[" * 1000 + "]" * 1000 + "}")
    assert_422(res, field, words)


# ---------------------------------------------------------------- dates and state codes (items 6, 7, 8)

@pytest.mark.parametrize("path, body, field", [
    ("/v1/check", {**TRUCK, "built": "0000-05"}, "built"),
    ("/v1/check", {**TRUCK, "built": "0000-05-01"}, "built"),
    ("/v1/check", {**TRUCK, "on": "0000-05-01"}, "on"),
    ("/v1/check", {**TRUCK, "state": "RI", "registered": "0000-05-01"}, "registered"),
    ("/v1/cost", {**COST, "built": "0000-05"}, "built"),
    ("/v1/cost", {**COST, "entry_date": "0000-01-01"}, "entry_date"),
])
def test_year_zero_is_422_naming_the_field(client, path, body, field):
    assert_422(client.post(path, json=body), field)


@pytest.mark.parametrize("month, words", [("0000-01", "accepted dates"), ("9999-12", "accepted dates"), ("2026-13", "")])
def test_calendar_month_errors_name_the_month(client, month, words):
    assert_422(client.get(f"/v1/calendar/{month}"), "month", words)


@pytest.mark.parametrize("code", ["%20", "%09", "%20%20"])
def test_a_blank_state_code_is_422(client, code):
    assert_422(client.get(f"/v1/states/{code}"), "state", "empty")


@pytest.mark.parametrize("code", ["GA", "MA", "ME"])
def test_states_whose_records_hold_dates_serialize(client, code):
    res = client.get(f"/v1/states/{code}?on=2026-11-24")
    assert res.status_code == 200, res.text
    assert res.json()["code"] == code and res.json()["history"]


def test_answers_never_hold_nan_or_infinity(client):
    def strict(text):
        return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in a JSON answer"))

    for res in [client.post("/v1/check", json=TRUCK), client.post("/v1/cost", json=COST),
                client.get("/v1/states/GA"), client.get("/v1/states"), client.get("/v1/calendar/2026-05")]:
        assert res.status_code == 200
        strict(res.text)


# ---------------------------------------------------------------- HEAD (item 14)

@pytest.mark.parametrize("path", ["/healthz", "/v1/states?on=2026-11-24", "/v1/states/TX", "/v1/map.svg",
                                  "/v1/lookup/DA63T", "/v1/calendar/2026-05", "/", "/docs", "/openapi.json",
                                  "/static/app.js"])
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["x-content-type-options"] == "nosniff"


def test_head_of_a_bad_request_is_the_same_error_status(client):
    assert client.head("/v1/states/ZZ").status_code == 422
    assert client.head("/v1/check").status_code == 405


@pytest.mark.parametrize("method, path, status", [("get", "/v1/nothing", 404), ("get", "/v1/check", 405),
                                                  ("delete", "/v1/states", 405), ("get", "/static/nothing.js", 404)])
def test_every_error_has_the_one_shape(client, method, path, status):
    res = client.request(method, path)
    assert res.status_code == status
    assert res.json()["field"] is None and res.json()["error"].startswith(f"{path}: ")
    if status == 405:
        assert res.headers["allow"]


# ---------------------------------------------------------------- request fields are the CLI's (item 14)

def option_names(command) -> set[str]:
    """The snake_case names of a typer command's options (`--ocean/--air` gives both)."""
    names = set()
    for param in inspect.signature(command).parameters.values():
        decls = [d for d in getattr(param.default, "param_decls", None) or [] if d.startswith("--")]
        for decl in decls or [f"--{param.name}"]:
            names |= {flag.strip().lstrip("-").replace("-", "_") for flag in decl.split("/") if flag.strip()}
    return names - {"json", "example"}


def test_cost_fields_are_the_cost_options():
    from keicar.cli.cost import cost

    assert set(CostRequest.model_fields) == option_names(cost)


def test_check_fields_are_the_check_options():
    from keicar.cli.check import check

    assert set(CheckRequest.model_fields) == option_names(check)


def test_air_as_the_cli_says_it(client):
    ocean = client.post("/v1/cost", json=COST).json()
    air = client.post("/v1/cost", json={**COST, "air": True}).json()
    assert air["input"]["mode"] == "air" and ocean["input"]["mode"] == "ocean"
    assert air == client.post("/v1/cost", json={**COST, "ocean": False}).json()
    assert client.post("/v1/cost", json={**COST, "air": False}).json() == ocean
    assert_422(client.post("/v1/cost", json={**COST, "air": True, "ocean": True}), "air", "contradicts ocean")


@pytest.mark.parametrize("path, body, field", [
    ("/v1/check", {k: v for k, v in TRUCK.items() if k != "built"}, "built"),
    ("/v1/check", {**TRUCK, "built": None}, "built"),
    ("/v1/cost", {k: v for k, v in COST.items() if k != "body"}, "body"),
    ("/v1/cost", {k: v for k, v in COST.items() if k != "built"}, "built"),
])
def test_a_missing_required_field_says_what_to_send(client, path, body, field):
    assert_422(client.post(path, json=body), field, "missing; ")


def test_a_bug_is_one_json_line_not_a_traceback(monkeypatch):
    from keicar.web import adapters

    monkeypatch.setattr(adapters, "lookup", lambda code, make: 1 / 0)
    res = TestClient(create_app(), raise_server_exceptions=False).get("/v1/lookup/DA63T")
    assert res.status_code == 500
    assert res.json() == {"field": None, "error": "internal error (ZeroDivisionError); please report it"}


# ---------------------------------------------------------------- stroke agrees with the CLI

@pytest.mark.parametrize("stroke", [4.5, 2.9, "4.5", 3, 0.5, True])
def test_a_stroke_that_is_not_2_or_4_is_refused(client, stroke):
    assert_422(client.post("/v1/check", json={**TRUCK, "stroke": stroke}), "stroke", "accepted: 2 or 4")


@pytest.mark.parametrize("stroke, cycle", [(4.0, 4), (2.0, 2), (2, 2), ("4", 4), ("2", 2)])
def test_a_whole_stroke_is_taken_as_written(client, stroke, cycle):
    res = client.post("/v1/check", json={**TRUCK, "stroke": stroke})
    assert res.status_code == 200, res.text
    assert res.json()["vehicle"]["stroke"] == cycle


@pytest.mark.parametrize("text", ["4", "2", "4.0", "4.5", "3"])
def test_stroke_as_text_is_read_alike_in_http_and_cli(client, text):
    """Text goes through the same reading as the CLI's --stroke (and a listing file's column)."""
    from test_cli import run

    res = client.post("/v1/check", json={**TRUCK, "stroke": text})
    code, out, err = run(["check", "--built", "1999-05", "--body", "truck", "--length-mm", "3395", "--width-mm",
                          "1475", "--height-mm", "1765", "--cc", "658", "--stroke", text, "--json"])
    if text in ("2", "4"):
        assert res.status_code == 200 and code == 0, (res.text, err)
        assert res.json()["vehicle"]["stroke"] == json.loads(out)["vehicle"]["stroke"] == int(text)
    else:
        assert_422(res, "stroke", "accepted: 2 or 4")
        assert code == 2 and "--stroke: " in err and "accepted: 2 or 4" in err


# ---------------------------------------------------------------- a key given twice

@pytest.mark.parametrize("path, body, field", [
    ("/v1/check", '{"built": "1999-05", "body": "truck", "cc": 658, "cc": 1000}', "cc"),
    ("/v1/check", '{"built": "1999-05", "built": "2001-01", "body": "truck"}', "built"),
    ("/v1/cost", '{"price_usd": 4000, "body": "truck", "built": "1999-05", "price_usd": 1}', "price_usd"),
])
def test_a_key_given_twice_is_refused(client, path, body, field):
    assert_422(post_raw(client, path, body), field, "given twice")


def test_each_key_once_is_fine(client):
    assert post_raw(client, "/v1/check", json.dumps(TRUCK)).status_code == 200


# ---------------------------------------------------------------- errors name JSON fields, not CLI options

@pytest.mark.parametrize("extra, field, words", [
    ({"price_jpy": 600000, "fx_jpy_per_usd": 150}, "price_usd", "give either price_usd or price_jpy, not both"),
    ({"price_usd": None, "price_jpy": 600000}, "fx_jpy_per_usd", "with price_jpy give the yen per dollar rate"),
])
def test_cost_errors_name_the_json_fields(client, extra, field, words):
    res = client.post("/v1/cost", json={**COST, **extra})
    assert_422(res, field, words)
    assert "--" not in res.json()["error"]


@pytest.mark.parametrize("reading", ["end", "start", "END", "end_of_month", "start-of-month"])
def test_month_reading_accepts_both_spellings(client, reading):
    assert client.post("/v1/check", json={**TRUCK, "month_reading": reading}).status_code == 200


def test_month_reading_error_lists_what_the_help_says(client):
    assert_422(client.post("/v1/check", json={**TRUCK, "month_reading": "middle"}), "month_reading",
               "accepted: end or start")
    from test_cli import run

    code, _out, err = run(["check", "--example", "--month-reading", "middle"])
    assert code == 2 and "--month-reading: 'middle' is not a reading; accepted: end or start" in err
