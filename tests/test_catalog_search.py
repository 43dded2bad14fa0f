"""Model search: codes, frame numbers, make/model/year with typos and any case; the ranking;
``keicar lookup TEXT``; ``GET /v1/search``."""

import json
import subprocess
import sys

import pytest

from keicar.catalog.search import MAX_LENGTH, search
from keicar.inputs.vehicle import InputError


def labels(text, n=10):
    return [h.generation.label for h in search(text, n)]


@pytest.mark.parametrize("text", ["Carry", "carry", "CARRY", "  carry ", "cary"])
def test_carry_in_any_case_and_with_a_typo_finds_the_carries(text):
    hits = search(text, 50)
    assert len([h for h in hits if h.generation.make == "Suzuki"]) >= 10
    assert all("carry" in h.generation.model.lower() for h in hits)  # with Mitsubishi's Minicab (Carry/Every OEM)


@pytest.mark.parametrize("text", ["Suzuki Carry", "suzki carry", "SUZUKI carry", "carry suzuki"])
def test_a_make_keeps_that_makes_generations(text):
    hits = search(text, 50)
    assert len(hits) >= 10 and {h.generation.make for h in hits} == {"Suzuki"}


def test_an_exact_name_ranks_above_a_typo_and_a_typo_says_so():
    exact, typo = search("carry", 1)[0], search("cary", 1)[0]
    assert exact.score == 100 and 80 <= typo.score < 100
    assert exact.why == [f"model {exact.generation.model}"]
    assert "from 'cary'" in typo.why[0]
    made = search("suzki carry", 1)[0]
    assert "make Suzuki (from 'suzki'" in made.why[0] and made.score < 100


@pytest.mark.parametrize("text", ["Honda Acty 2003", "acty 2003", "honda ACTY 2003", "Hnda Acty 2003"])
def test_a_year_keeps_the_generations_produced_that_year(text):
    assert labels(text) == ["Honda Acty Truck (generation 3)", "Honda Acty Van (generation 3)"]
    assert "produced in 2003 (1999-05..2009-12)" in search(text, 1)[0].why


def test_a_year_at_a_generation_boundary_keeps_both_and_a_year_outside_keeps_none():
    # Carry generation 9 to 1999-01, generation 10 from 1999-01: 1999 has both, 1998 only the 9th
    assert {"Suzuki Carry (generation 9)", "Suzuki Carry (generation 10)"} <= set(labels("carry 1999"))
    assert "Suzuki Carry (generation 10)" not in labels("carry 1998")
    assert labels("honda acty 1950") == []


def test_the_whole_name_ranks_above_a_name_that_contains_the_words():
    first = labels("hijet truck", 3)
    assert first[:2] == ["Daihatsu Hijet Truck (generation 9)", "Daihatsu Hijet Truck (generation 10)"]
    assert search("acty", 20)[0].score == 100 and min(h.score for h in search("acty", 20)) == 90


@pytest.mark.parametrize("text,code,why", [
    ("DA52T", "DA52T", "chassis code DA52T"),
    ("da52t-123456", "DA52T", "chassis code DA52T (serial -123456 stripped)"),
    ("EBD-DA63T", "DA63T", "chassis code DA63T (prefix EBD- stripped)"),
    ("JB23W", "JB23", "chassis code JB23 (family suffix W stripped)"),
])
def test_a_code_or_a_frame_number_finds_its_generations(text, code, why):
    hits = search(text)
    assert hits and all(h.code == code and h.score == 100 and h.why == [why] for h in hits)


def test_full_width_text_is_read_as_ascii():
    assert labels("ａｃｔｙ　２００３") == labels("acty 2003")
    assert search("ＤＡ５２Ｔ")[0].code == "DA52T"


def test_nothing_alike_finds_nothing():
    assert search("ZZZ9") == [] and search("qwertyuiop") == []


@pytest.mark.parametrize("text,field", [("", "q"), ("   ", "q"), ("x" * (MAX_LENGTH + 1), "q"),
                                        ("carry 1999 2000", "q")])
def test_bad_text(text, field):
    with pytest.raises(InputError) as err:
        search(text)
    assert err.value.field == field


def run(*args):
    return subprocess.run([sys.executable, "-m", "keicar", *args], capture_output=True, text=True)


def test_lookup_cli_searches_a_text_that_is_no_code_and_keeps_the_code_path():
    p = run("lookup", "Honda Acty 2003")
    assert p.returncode == 0 and "Honda Acty Truck (generation 3)" in p.stdout and "produced in 2003" in p.stdout
    j = json.loads(run("lookup", "acty 2003", "--json").stdout)
    assert j["found"] is False and [m["label"] for m in j["matches"]] == ["Honda Acty Truck (generation 3)",
                                                                         "Honda Acty Van (generation 3)"]
    code = json.loads(run("lookup", "DA63T", "--json").stdout)
    assert code["found"] is True and "matches" not in code
    unknown = run("lookup", "ZZZ9")
    assert unknown.returncode == 1 and "not in the catalog" in unknown.stdout
    assert run("lookup", "Carry", "--make", "suzki").returncode == 0


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from keicar.web.app import create_app

    return TestClient(create_app())


def test_search_endpoint(client):
    r = client.get("/v1/search", params={"q": "Honda Acty 2003"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and body["matches"][0]["label"] == "Honda Acty Truck (generation 3)"
    assert body["matches"][0]["why"][-1] == "produced in 2003 (1999-05..2009-12)"
    assert len(client.get("/v1/search", params={"q": "carry", "n": "3"}).json()["matches"]) == 3
    assert client.get("/v1/search", params={"q": "DA52T-123456"}).json()["matches"][0]["code"] == "DA52T"


@pytest.mark.parametrize("params,field", [({}, "q"), ({"q": ""}, "q"), ({"q": "x" * (MAX_LENGTH + 1)}, "q"),
                                          ({"q": "carry", "n": "0"}, "n"), ({"q": "carry", "n": "51"}, "n"),
                                          ({"q": "carry", "n": "two"}, "n"), ({"q": "carry", "n": "²"}, "n")])
def test_search_endpoint_bad_input(client, params, field):
    r = client.get("/v1/search", params=params)
    assert r.status_code == 422 and r.json()["field"] == field and r.json()["error"].startswith(f"{field}: ")


def test_search_answer_conforms_to_its_declared_model(client):
    import jsonschema_rs

    openapi = client.get("/openapi.json").json()
    schema = openapi["paths"]["/v1/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    check = jsonschema_rs.validator_for({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema,
                                         "components": openapi["components"]})
    for q in ["Carry", "Honda Acty 2003", "DA52T-123456", "L40", "ZZZ9", "Suzuki"]:
        assert check.is_valid(client.get("/v1/search", params={"q": q}).json()), q
