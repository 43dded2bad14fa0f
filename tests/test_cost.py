"""Landed cost: YAML cases, bad inputs, citations on every line, and the amounts as the
registry variables give them on either side of a change."""

import datetime as dt

import pytest

from conftest import assert_expected, load_cases
from keicar.answers.cost import landed_cost
from keicar.engine.parameters import default_law
from keicar.engine.variables import trace
from keicar.rules.registry import registry
from keicar.inputs.vehicle import InputError

GOOD = load_cases("cost.yaml")
BAD = load_cases("cost_bad_input.yaml")
TODAY = dt.date(2026, 11, 24)
LAW = default_law()
REGISTRY = registry(LAW)


@pytest.mark.parametrize("case", GOOD, ids=[c["name"] for c in GOOD])
def test_cost_case(case):
    assert_expected(landed_cost(**case["input"], today=TODAY), case["expect"])


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_cost_bad_input(case):
    with pytest.raises(InputError) as err:
        landed_cost(**case["input"], today=TODAY)
    assert err.value.field == case["error"]
    assert "\n" not in str(err.value)


def test_every_law_line_is_cited_and_dated():
    r = landed_cost(body="passenger", built="2005-05", price_usd=4000, entry_date="2025-10-01", today=TODAY)
    lines = r["duty"]["lines"] + [f for f in r["fees"]]
    for line in lines + [r["customs_value"]]:
        assert line["citation"] and line["effective"], line["item"]
    assert r["duty"]["lines"][1]["effective"] == "2025-09-16"  # the Japan rule decided the add-on
    assert r["total_usd"] == pytest.approx(4000 + 600 + 33.58 + 5.0)


@pytest.mark.parametrize("entry, rate, heading", [
    ("2025-09-15", 27.5, "9903.94.01"),  # the day before the US-Japan rate: 2.5 % + Section 232 25 %
    ("2025-09-16", 15.0, "9903.94.41"),  # the day of: 15 % all in
])
def test_cost_is_the_registry_variables_on_the_day_before_and_the_day_of_a_change(entry, rate, heading):
    r = landed_cost(body="passenger", built="2005-05", price_usd=4000, freight_usd=600, broker_usd=300,
                    entry_date=entry, today=TODAY)
    row = {"body": "passenger", "built_start": dt.date(2005, 5, 1), "built_end": dt.date(2005, 5, 31),
           "entry_date": dt.date.fromisoformat(entry), "price_usd": 4000, "freight_usd": 600,
           "insurance_usd": None, "mode": "ocean", "broker_usd": 300, "port_usd": None, "state_fees_usd": None}
    var = {v.name: trace(LAW, row, v)["value"] for v in REGISTRY.select(have=("entry_date", "price_usd"))}
    assert (r["duty"]["rate_percent"], r["duty"]["additional_heading"]) == (rate, heading)
    assert (var["duty.rate_percent"], var["duty.additional_heading"]) == (rate, heading)
    assert r["duty"]["amount_usd"] == pytest.approx(var["customs.duty_usd"]) == 4000 * rate / 100
    fees = {f["item"]: f["amount_usd"] for f in r["fees"]}
    assert fees["mpf"] == pytest.approx(var["customs.mpf_usd"], abs=0.005)
    assert fees["hmf"] == pytest.approx(var["customs.hmf_usd"], abs=0.005)
    assert r["total_usd"] == pytest.approx(var["cost.landed_usd"], abs=0.005)
    assert r["total_usd"] == pytest.approx(4000 + 600 + 4000 * rate / 100 + fees["mpf"] + fees["hmf"] + 300)
