"""The change feed (keicar changes, GET /v1/changes, the Atom feed) over the law data."""

import datetime as dt
import json
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from keicar.answers.changes import atom, changes
from keicar.cli.main import app
from keicar.engine.parameters import default_law

LAW = default_law()
ATOM = "{http://www.w3.org/2005/Atom}"


def test_colorado_kei_law_is_one_scheduled_change_with_its_sources():
    rows = changes(LAW, state="CO", today=dt.date(2026, 11, 30))
    hb = [r for r in rows if r["date"] == "2027-07-01"]
    assert len(hb) == 1 and hb[0]["scheduled"] is True and hb[0]["code"] == "CO"
    status = next(c for c in hb[0]["changes"] if c["parameter"] == "status")
    assert status["to"] == "restricted" and status["from"] != "restricted"
    assert all(s["href"] for c in hb[0]["changes"] for s in c["sources"])
    # the day after it takes effect it is no longer scheduled
    later = changes(LAW, state="CO", today=dt.date(2027, 7, 1))
    assert next(r for r in later if r["date"] == "2027-07-01")["scheduled"] is False


def test_since_and_until_are_inclusive_and_a_repeated_value_is_not_a_change():
    rows = changes(LAW, since=dt.date(2027, 7, 1), until=dt.date(2027, 7, 1))
    assert rows and {r["date"] for r in rows} == {"2027-07-01"}
    for r in changes(LAW):
        for c in r["changes"]:
            assert c["from"] != c["to"] or c["from"] is None


def test_every_state_filter_keeps_only_that_state():
    for code in ("TX", "RI", "GA"):
        rows = changes(LAW, state=code)
        assert rows and {r["jurisdiction"] for r in rows} == {f"us.states.{code}"}


def test_atom_feed_is_well_formed_with_one_entry_per_jurisdiction_and_date():
    rows = changes(LAW)
    root = ET.fromstring(atom(rows, "/v1/changes.atom", dt.date(2026, 11, 30)))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(rows)
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(e.find(f"{ATOM}updated").text.endswith("T00:00:00Z") for e in entries)


def test_cli_json_and_bad_input():
    r = CliRunner().invoke(app, ["changes", "--state", "co", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["state"] == "CO" and data["count"] == len(data["changes"])
    r = CliRunner().invoke(app, ["changes", "--since", "2027-01-01", "--until", "2026-01-01"])
    assert r.exit_code != 0
