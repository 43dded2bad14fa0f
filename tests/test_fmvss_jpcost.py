"""keicar fmvss (standards by class and by policy) and keicar jp-cost (bands, dates)."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from keicar.engine.parameters import default_law
from keicar.engine.policy import load_policy
from keicar.rules import fmvss
from keicar.engine.variables import trace
from keicar.rules.japan_costs import compare
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
