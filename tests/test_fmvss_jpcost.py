"""keicar fmvss (standards by class and by policy) and keicar jp-cost (bands, dates)."""

import datetime as dt
import json
import subprocess
import sys

import polars as pl
import pytest
from conftest import assert_expected, load_cases, norm

from keicar.engine.parameters import default_law
from keicar.engine.policy import load_policy
from keicar.rules.us import fmvss
from keicar.engine.variables import columns, trace
from keicar.answers.jp_costs import compare
from keicar.rules.registry import registry

LAW = default_law()


def numbers(rows):
    return [s["number"] for s in rows]


def test_fmvss_lists_per_class():
    lsv = numbers(fmvss.for_class(LAW, "lsv"))
    assert lsv == ["141", "205", "209", "500"]
    car = numbers(fmvss.for_class(LAW, "passenger_car"))
    truck = numbers(fmvss.for_class(LAW, "truck_mpv"))
    assert "208" in car and "401" in car and "500" not in car
    assert "401" not in truck and "105" in truck and "105" not in car
    s = next(x for x in fmvss.for_class(LAW, "passenger_car") if x["number"] == "208")
    assert s["cfr"] == "49 CFR 571.208" and s["applicability_confidence"] == "medium"


def test_policy_keeps_and_waives():
    p = load_policy("kei-for-america", LAW)
    r = fmvss.for_policy(p.law(LAW), p.category, p.fmvss_baseline_class, dt.date(2027, 1, 1))
    assert "208" in numbers(r["waived"]) and "214" in numbers(r["waived"]) and "127" in numbers(r["waived"])
    assert "108" in numbers(r["kept"]) and "209" in numbers(r["kept"])
    assert numbers(r["added"]) == ["500"]
    assert not set(numbers(r["kept"])) & set(numbers(r["waived"]))
    # The day before the policy, its list is not in force: every standard is kept.
    before = fmvss.for_policy(p.law(LAW), p.category, p.fmvss_baseline_class, dt.date(2026, 12, 31))
    assert before["required_known"] is False and before["waived"] == []


@pytest.mark.parametrize("cc, expected", [(1000, "up_to_1000cc"), (1001, "up_to_1500cc"), (1500, "up_to_1500cc"),
                                          (6000, "up_to_6000cc"), (6001, "over_6000cc")])
def test_automobile_tax_band_edges(cc, expected):
    row = {"first_registered": dt.date(2020, 1, 1), "cc": cc, "on": dt.date(2026, 4, 1)}
    assert trace(LAW, row, registry(LAW)["jp.automobile_tax_band"])["value"] == expected


def annual(result, key):
    return [i for i in result[key]["items"] if "tax, FY" in i["what"]]


def test_automobile_tax_before_and_from_2019_10_01():
    before = compare(LAW, dt.date(2019, 9, 30), 2, 1000, 1000)
    after = compare(LAW, dt.date(2019, 10, 1), 2, 1000, 1000)
    b, a = annual(before, "registered")[0], annual(after, "registered")[0]
    assert b["parameter"].endswith("old_rates.up_to_1000cc")
    assert a["parameter"].endswith("new_rates.up_to_1000cc")
    assert b["amount"] == LAW.param(b["parameter"]).at(dt.date(2020, 4, 1))
    assert a["amount"] < b["amount"]
    big = compare(LAW, dt.date(2019, 10, 1), 2, 1001, 1000)
    assert annual(big, "registered")[0]["parameter"].endswith("new_rates.up_to_1500cc")
    assert annual(big, "registered")[0]["amount"] > a["amount"]


def test_jp_cost_today_is_complete_and_kei_is_cheaper():
    r = compare(LAW, dt.date(2026, 11, 24), 10, 1300, 1000)
    assert r["kei"]["total_jpy"] is not None and r["registered"]["total_jpy"] is not None
    assert r["registered_minus_kei_jpy"] > 0
    assert len(annual(r, "kei")) == 10  # levies on 1 April 2027..2036
    assert r["kei"]["inspections"][0] == "2029-11-24"  # 3-year first inspection
    assert r["kei"]["parking"]["certificate_required"]["value"] is False
    assert r["registered"]["parking"]["certificate_required"]["value"] is True
    # weight steps: 1,000 kg is two 0.5 t steps, 1,001 kg three
    w2 = compare(LAW, dt.date(2026, 11, 24), 1, 1300, 1000)["registered"]["items"][-1]["amount"]
    w3 = compare(LAW, dt.date(2026, 11, 24), 1, 1300, 1001)["registered"]["items"][-1]["amount"]
    assert w3 * 2 == w2 * 3


def test_jp_cost_unknown_when_the_law_has_no_value_for_a_date():
    r = compare(LAW, dt.date(2019, 9, 30), 5, 1000, 1000)  # inspection intervals encoded from 2022
    assert r["kei"]["total_jpy"] is None and r["kei"]["schedule_known"] is False


def cli(*args):
    return subprocess.run([sys.executable, "-m", "keicar", *args], capture_output=True, text=True)


@pytest.mark.parametrize("args, field", [
    (("jp-cost", "--years", "0"), "--years"), (("jp-cost", "--cc", "big"), "--cc"),
    (("jp-cost", "--first-registered", "2019-02-30"), "--first-registered"),
    (("fmvss", "--class", "bus"), "--class"),
])
def test_bad_inputs_one_line_exit_2(args, field):
    out = cli(*args)
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith(f"keicar: error: {field}:") and out.stderr.count("\n") == 1


def test_fmvss_cli_json_for_a_policy():
    out = cli("fmvss", "--class", "kei-for-america", "--json")
    data = json.loads(out.stdout)
    assert data["hypothetical"] is True and "208" in [s["number"] for s in data["waived"]]


# ---------------------------------------------------------------- YAML cases (tests/cases/jp/costs.yaml)
JP_CASES = load_cases("jp/costs.yaml")
VARIABLE_CASES = [c for c in JP_CASES if "on" in c]
JPCOST_CASES = [c for c in JP_CASES if "on" not in c]
ROW = {"first_registered": pl.Date, "cc": pl.Float64, "weight_kg": pl.Float64, "on": pl.Date}


def case_row(case):
    row = {k: case["input"].get(k) for k in ROW}
    row["on"] = case["on"]
    return {k: dt.date.fromisoformat(v) if ROW[k] == pl.Date and v else v for k, v in row.items()}


def plain(v):
    return int(v) if isinstance(v, float) and v.is_integer() else norm(v)


@pytest.mark.parametrize("case", VARIABLE_CASES, ids=[c["name"] for c in VARIABLE_CASES])
def test_jp_cost_variable_case_in_both_runners(case):
    reg, row = registry(LAW), case_row(case)
    names = list(case["expect"])
    got = pl.DataFrame([row], schema=ROW).select(columns(LAW, [reg[n] for n in names], {})).row(0, named=True)
    for name in names:
        want = norm(case["expect"][name])
        assert plain(trace(LAW, row, reg[name])["value"]) == want, ("trace", name)
        assert plain(got[reg[name].column_name]) == want, ("columns", name)


@pytest.mark.parametrize("case", JPCOST_CASES, ids=[c["name"] for c in JPCOST_CASES])
def test_jp_cost_case(case):
    i = case["input"]
    result = compare(LAW, dt.date.fromisoformat(i["first_registered"]), i["years"], i["cc"], i["weight_kg"])
    assert_expected(result, case["expect"])


def test_a_yen_amount_traces_to_its_schedule_table_and_citation():
    row = {"first_registered": dt.date(2015, 3, 31), "on": dt.date(2016, 4, 1)}
    t = trace(LAW, row, registry(LAW)["jp.light_vehicle_tax_jpy"])
    read = {r["parameter"]: r for r in t["reads"]}
    # the table is chosen at the first inspection, the amount read at the levy date
    assert read["jp.costs.light_vehicle_tax.rate_schedule"]["value"] == "old_rates"
    assert read["jp.costs.light_vehicle_tax.passenger_private.old_rates"]["since"] == "2016-04-01"
    assert "444" in read["jp.costs.light_vehicle_tax.passenger_private.old_rates"]["citation"]


def test_cost_variables_are_left_out_of_a_vehicle_screen_without_their_inputs():
    reg = registry(LAW)
    plain_screen = {v.name for v in reg.select(have=("state",))}
    assert not any(n.startswith("jp.") for n in plain_screen)
    with_date = {v.name for v in reg.select(have=("first_registered",))}
    assert "jp.automobile_tax_jpy" in with_date and "jp.registered_weight_tax_jpy" not in with_date


def test_jp_cost_json_keeps_its_fields():
    out = cli("jp-cost", "--first-registered", "2026-11-24", "--years", "3", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"first_registered", "years", "cc", "weight_kg", "kei", "registered",
                         "registered_minus_kei_jpy", "not_encoded"}
    assert set(data["kei"]) == {"items", "total_jpy", "schedule_known", "inspections", "inspection_first_years", "parking"}
    assert set(data["registered"]) == set(data["kei"]) | {"band"}
    assert set(data["kei"]["items"][0]) == {"what", "date", "amount", "parameter", "effective", "citation", "confidence"}
    assert data["kei"]["total_jpy"] == 3 * 10800 + 9900  # FY2027-2029, weight tax at first inspection


def test_jp_cost_before_any_encoded_rate_is_unknown_not_an_error():
    out = cli("jp-cost", "--first-registered", "2010-02-28", "--years", "20")
    assert out.returncode == 0 and "internal error" not in out.stderr, out.stderr
