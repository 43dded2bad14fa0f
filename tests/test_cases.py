"""YAML case files: a vehicle, a date, the expected answers (like OpenFisca's YAML tests)."""

import pytest

from conftest import assert_expected, load_cases, norm, state_cases
import polars as pl

from keicar.api import check, resolve_on, resolve_reading
from keicar.engine.parameters import default_law
from keicar.engine.semantics import Span
from keicar.engine.variables import table
from keicar.rules.registry import registry
from keicar.answers.state import resolve_registered, resolve_state
from keicar.inputs.vehicle import InputError, make_vehicle

GOOD = (load_cases("jp/kei.yaml") + load_cases("us/federal/import.yaml") + load_cases("inputs/sets.yaml") + state_cases()
        + load_cases("us/federal/papers.yaml"))
BAD = load_cases("inputs/bad_input.yaml")


def run(case):
    vehicle = make_vehicle(**case["input"])
    return check(vehicle, on=case.get("on"), month_reading=case.get("month_reading"),
                 state=case.get("state"), registered=norm(case.get("registered")))


@pytest.mark.parametrize("case", GOOD, ids=[c["name"] for c in GOOD])
def test_case(case):
    assert_expected(run(case), case["expect"])


REGISTRY = registry()
ROW_SCHEMA = {"built_start": pl.Date, "built_end": pl.Date, "length_mm": pl.Float64, "width_mm": pl.Float64,
              "height_mm": pl.Float64, "cc": pl.Float64, "stroke": pl.Int64, "ev_kw": pl.Float64,
              "body": pl.String, "on": pl.Date, "month_reading": pl.String, "state": pl.String,
              "registered": pl.Date}
TABLE_CASES = [c for c in GOOD if any(k in REGISTRY for k in c["expect"])]


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return norm(value)


@pytest.mark.parametrize("case", TABLE_CASES, ids=[c["name"] for c in TABLE_CASES])
def test_case_in_the_table_runner(case):
    """The same case, for every expected key that names a variable, through the Polars
    runner: one row, the date asked as a column."""
    law = default_law()
    vehicle = make_vehicle(**case["input"])
    on = resolve_on(case.get("on"), law)
    code = resolve_state(case.get("state"), law)
    row = {**vehicle.row(), "on": on, "month_reading": resolve_reading(case.get("month_reading")),
           "state": code, "registered": resolve_registered(norm(case.get("registered")), on,
                                                           vehicle.built_start, code)}
    names = [k for k in case["expect"] if k in REGISTRY]
    # an input given as a set is two columns, <name>_lo and <name>_hi
    sets = [k for k, v in row.items() if type(v) is Span]
    schema = dict(ROW_SCHEMA)
    for k in sets:
        del schema[k]
        lo, hi = row.pop(k)
        row[k + "_lo"], row[k + "_hi"] = lo, hi
        schema[k + "_lo"] = schema[k + "_hi"] = ROW_SCHEMA[k]
    got = table(pl.DataFrame([row], schema=schema), law, [REGISTRY[n] for n in names],
                {"mode": None}, sets=sets).row(0, named=True)  # ocean, as check
    for name in names:
        value = got[REGISTRY[name].column_name]
        if REGISTRY[name].value_type == "names":
            value = value.split(",") if value else []
        assert _plain(value) == norm(case["expect"][name]), name


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_bad_input_names_the_field(case):
    with pytest.raises(InputError) as err:
        run(case)
    assert err.value.field == case["error"]
    assert "\n" not in str(err.value)
