"""GET /v1/variables, /v1/parameters/{path}, /v1/changes and the Atom feed."""

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

from keicar.rules.registry import registry
from keicar.web import schemas
from keicar.web.app import create_app

CLIENT = TestClient(create_app())


def test_variables_list_the_registry():
    r = CLIENT.get("/v1/variables", params={"on": "2026-11-30"})
    assert r.status_code == 200
    data = schemas.VariablesAnswer.model_validate(r.json())
    assert [v.name for v in data.variables] == registry().names()


def test_a_parameter_with_its_dated_values_and_references():
    r = CLIENT.get("/v1/parameters/us.states.CO.status")
    assert r.status_code == 200
    data = schemas.ParameterAnswer.model_validate(r.json())
    assert data.values[-1].since == "2027-07-01" and data.values[-1].value == "restricted"
    assert all(v.references for v in data.values)
    bad = CLIENT.get("/v1/parameters/us.states.CO.statu")
    assert bad.status_code == 422 and bad.json()["field"] == "path" and "us.states.CO.status" in bad.json()["error"]
    group = CLIENT.get("/v1/parameters/us.states.CO")
    assert group.status_code == 422 and "group" in group.json()["error"]


def test_changes_as_json_and_atom():
    r = CLIENT.get("/v1/changes", params={"state": "co", "since": "2027-07-01"})
    assert r.status_code == 200
    data = schemas.ChangesAnswer.model_validate(r.json())
    assert data.state == "CO" and [c.date for c in data.changes] == ["2027-07-01"]
    feed = CLIENT.get("/v1/changes.atom", params={"state": "CO"})
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.text)
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == len(
        CLIENT.get("/v1/changes", params={"state": "CO"}).json()["changes"])
    for bad in ({"state": "ZZ"}, {"since": "2026-13-01"}, {"since": "2027-01-01", "until": "2026-01-01"}):
        r = CLIENT.get("/v1/changes.atom", params=bad)
        assert r.status_code == 422 and set(r.json()) >= {"field", "error"}
