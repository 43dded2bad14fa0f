"""`keicar papers --state` and ``papers.for_vehicle(state=...)``: the state steps follow the
state's status on the date asked, with the citation of that status (the registry variable
papers.required; its YAML cases are tests/cases/us/federal/papers.yaml)."""

import datetime as dt
import json
import subprocess
import sys

from typer.testing import CliRunner

from keicar.cli.main import app
from keicar.answers.papers import for_vehicle
from keicar.inputs.vehicle import make_vehicle

TRUCK = make_vehicle(built="1996-05", body="truck", require_specs=False)  # road path from 2021-05-31


def items(r):
    return [i["item"] for i in r["items"]]


def test_georgia_gets_no_state_title_from_its_bulletin_date():
    before = for_vehicle(TRUCK, dt.date(2022, 12, 31), state="GA")
    on = for_vehicle(TRUCK, dt.date(2023, 1, 1), state="GA")
    assert before["state"]["status"] == "unclear" and items(before)[-2:] == ["state_vin_inspection", "state_title"]
    assert on["state"] == {"code": "GA", "name": "Georgia", "status": "prohibited", "effective": "2023-01-01",
                           "citations": ["Ga. DOR Policy Bulletin MVD-2023-05"]}
    assert items(on)[-1] == "cbp_7501" and not any(i.startswith("state_") for i in items(on))


def test_an_off_road_only_state_and_no_state():
    pa = for_vehicle(TRUCK, dt.date(2026, 11, 30), state="Pennsylvania")
    assert pa["state"]["code"] == "PA" and items(pa)[-1] == "state_off_road_title"
    assert "state_title" not in items(pa)
    none = for_vehicle(TRUCK, dt.date(2026, 11, 30))
    assert "state" not in none and items(none)[-1] == "state_title"


def test_the_cli_takes_state():
    r = CliRunner().invoke(app, ["papers", "--body", "truck", "--built", "1999-05", "--on", "2026-11-30",
                                 "--state", "tx", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["state"]["status"] == "unrestricted" and items(data)[-1] == "state_title"
    bad = subprocess.run([sys.executable, "-m", "keicar", "papers", "--body", "truck", "--built", "1999-05",
                          "--state", "ZZ"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("keicar: error: --state: 'ZZ' is not a state")
