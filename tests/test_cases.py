"""YAML case files: a vehicle, a date, the expected answers (like OpenFisca's YAML tests)."""

import pytest

from conftest import assert_expected, load_cases, norm, state_cases
from keicar.api import check
from keicar.vehicle import InputError, make_vehicle

GOOD = load_cases("japan_eras.yaml") + load_cases("us_federal.yaml") + state_cases()
BAD = load_cases("bad_input.yaml")


def run(case):
    vehicle = make_vehicle(**case["input"])
    return check(vehicle, on=case.get("on"), month_reading=case.get("month_reading"),
                 state=case.get("state"), registered=norm(case.get("registered")))


@pytest.mark.parametrize("case", GOOD, ids=[c["name"] for c in GOOD])
def test_case(case):
    assert_expected(run(case), case["expect"])


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_bad_input_names_the_field(case):
    with pytest.raises(InputError) as err:
        run(case)
    assert err.value.field == case["error"]
    assert "\n" not in str(err.value)
