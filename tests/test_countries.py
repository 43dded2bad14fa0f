"""keicar check --country: boundary dates of each country's import rule (tests/cases/countries.yaml)."""

import pytest

from conftest import assert_expected, load_cases
from keicar.answers.countries import check_country
from keicar.inputs.vehicle import InputError, make_vehicle

CASES = load_cases("countries.yaml")
GOOD = [c for c in CASES if "error" not in c]
BAD = [c for c in CASES if "error" in c]


def run(case):
    return check_country(make_vehicle(**case["input"]), on=case.get("on"), country=case["country"])


@pytest.mark.parametrize("case", GOOD, ids=[c["name"] for c in GOOD])
def test_country_case(case):
    assert_expected(run(case), case["expect"])


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_country_bad_input(case):
    with pytest.raises(InputError) as err:
        run(case)
    assert err.value.field == case["error"] and "\n" not in str(err.value)


def test_other_countries_share_the_us_block_shape():
    v = make_vehicle(built="1999-05", body="truck", length_mm=3395, width_mm=1475, height_mm=1765, cc=658)
    us = check_country(v, on="2026-11-24", country="US")
    for code in ("CA", "AU", "UK"):
        r = check_country(v, on="2026-11-24", country=code)
        assert "us" not in r and r["country"] == code
        assert {"path", "eligible_from", "importable", "checks", "notes"} <= set(r["import"])
        step = r["import"]["checks"][0]
        assert set(step) >= set(us["us"]["checks"][0]) - {"disputed", "note", "excess"}
        assert step["citation"] and step["effective"]


@pytest.mark.parametrize("on", ["2024-05-31", "2026-11-24", "2044-06-01"])
def test_the_import_block_reports_the_country_variables(on):
    v = make_vehicle(built="1999-05", body="truck", length_mm=3395, width_mm=1475, height_mm=1765, cc=658)
    for code in ("CA", "AU", "UK"):
        r = check_country(v, on=on, country=code)
        block, var, key = r["import"], r["variables"], code.lower()
        assert block["path"] == var[f"{key}.import_path"]
        assert block["eligible_from"] == var[f"{key}.eligible_from"]
        assert block["importable"] == (var[f"{key}.importable"] is True)
        assert block.get("approval_exempt_from") == var.get(f"{key}.approval_exempt_from")
        assert r["verdict"].split(". ")[1].startswith("Importable to") == block["importable"]


def test_month_start_node_same_in_both_runners():
    import datetime as dt

    import polars as pl

    from keicar.engine import expr as E
    from keicar.engine.explain import Evaluator
    from keicar.engine.parameters import default_law
    from keicar.engine.vectorized import Compiler
    from keicar.rules.intl.countries import ca_eligible_from

    law = default_law()
    days = [dt.date(2011, 3, 1), dt.date(2011, 3, 31), dt.date(2012, 2, 29), dt.date(1999, 12, 31)]
    frame = pl.DataFrame({"built_start": days, "on": [dt.date(2026, 3, 1)] * 4})
    comp = Compiler(law, {"on": dt.date(2026, 3, 1)})
    for e in (E.MonthStart(E.Col("built_start")), ca_eligible_from):
        got = frame.select(comp.compile(e).alias("v"))["v"].to_list()
        want = [Evaluator(law, {"built_start": d, "on": dt.date(2026, 3, 1)}).eval(e) for d in days]
        assert got == want
