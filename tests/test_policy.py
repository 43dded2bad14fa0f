"""Policies as overlays: changes at a date, new parameters, typos, and the one-pass run."""

import datetime as dt
import textwrap

import polars as pl
import pytest

from keicar.engine.parameters import default_law
from keicar.engine.policy import PolicyError, load_policy, shipped_policies
from keicar.engine.variables import trace
from keicar.answers.policy import compare, compare_report, listings_frame, reasons, report
from keicar.rules import category
from keicar.rules.registry import registry

LAW = default_law()
SANDBOX = """
sources:
  s: {title: test source, kind: other}
"""


def write(tmp_path, body: str, name="p.yaml"):
    f = tmp_path / name
    f.write_text(textwrap.dedent(body) + SANDBOX, encoding="utf-8")
    return f


def microcar(tmp_path, max_length_mm: int):
    """A policy adding a category us.microcar with one limit, a length, from 2027-01-01."""
    return write(tmp_path, f"""
        policy: t
        title: microcar
        hypothetical: true
        category: us.microcar
        adds:
          us.microcar.max_length_mm:
            description: max length
            unit: mm
            values:
              2027-01-01: {{value: {max_length_mm}, reference: [s]}}
        """)


def test_change_applies_from_its_date_and_not_the_day_before(tmp_path):
    f = write(tmp_path, """
        policy: t
        title: raise LSV speed
        hypothetical: true
        changes:
          us.federal.fmvss.lsv.max_speed_mph:
            values:
              2027-01-01: {value: 35, reference: [s]}
        """)
    p = load_policy(f, LAW)
    law = p.law(LAW)
    param = law.param("us.federal.fmvss.lsv.max_speed_mph")
    assert param.at(dt.date(2026, 12, 31)) == 25
    assert param.at(dt.date(2027, 1, 1)) == 35
    assert LAW.param("us.federal.fmvss.lsv.max_speed_mph").at(dt.date(2027, 1, 1)) == 25  # baseline untouched
    assert p.provisions[0].sentence == "raise us.federal.fmvss.lsv.max_speed_mph from 25 mph to 35 mph from 2027-01-01"


def test_add_creates_a_parameter_absent_from_the_law(tmp_path):
    p = load_policy(microcar(tmp_path, 3400), LAW)
    assert not LAW.has("us.microcar.max_length_mm")
    assert p.law(LAW).param("us.microcar.max_length_mm").at(dt.date(2027, 1, 1)) == 3400
    assert p.law(LAW).param("us.microcar.max_length_mm").at(dt.date(2026, 12, 31)) is None
    assert "set us.microcar.max_length_mm to 3400 mm from 2027-01-01" in p.provisions[0].sentence


def test_typo_in_a_changed_path_names_it_and_suggests_the_closest(tmp_path):
    f = write(tmp_path, """
        policy: t
        title: typo
        changes:
          us.federal.fmvss.lsv.max_sped_mph:
            values:
              2027-01-01: {value: 35, reference: [s]}
        """)
    with pytest.raises(PolicyError) as err:
        load_policy(f, LAW)
    msg = str(err.value)
    assert "\n" not in msg
    assert "'us.federal.fmvss.lsv.max_sped_mph'" in msg
    assert "did you mean 'us.federal.fmvss.lsv.max_speed_mph'" in msg
    assert err.value.field == "policy"


@pytest.mark.parametrize("body, needle", [
    ("policy: t\ntitle: x\nadds:\n  us.federal.fmvss.lsv.max_speed_mph: {unit: mph, values: {2027-01-01: {value: 1, reference: [s]}}}\n", "already exists"),
    ("policy: t\ntitle: x\n", "needs `changes:` or `adds:`"),
    ("policy: t\ntitle: x\nbogus: 1\nadds: {}\n", "unknown key"),
    ("policy: t\ntitle: x\nchanges:\n  us.federal.fmvss.lsv.max_speed_mph: {values: {2027-01-01: {value: fast, reference: [s]}}}\n", "not a number"),
    ("policy: t\ntitle: x\nchanges:\n  us.federal.fmvss.lsv.max_speed_mph: {values: {2027-01-01: {value: 30}}}\n", "reference"),
])
def test_bad_policies_get_one_line_errors(tmp_path, body, needle):
    f = tmp_path / "bad.yaml"
    f.write_text(body + SANDBOX, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(f, LAW)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_missing_policy_file_lists_shipped_ones():
    with pytest.raises(PolicyError, match="kei-for-america"):
        load_policy("/nonexistent/policy.yaml", LAW)


def test_shipped_policies_load_and_hypothetical_ones_are_labelled():
    ids = {}
    for f in shipped_policies():
        p = load_policy(f, LAW)
        ids[p.id] = p
    assert {"us-lsv-today", "msv-minnesota-style", "kei-for-america"} <= set(ids)
    assert ids["kei-for-america"].hypothetical and ids["msv-minnesota-style"].hypothetical
    assert not ids["us-lsv-today"].hypothetical
    # Kei for America mirrors Japan's 1998 limits with the Japanese citation.
    law = ids["kei-for-america"].law(LAW)
    e = law.param("us.microcar.max_length_mm").entry(dt.date(2027, 1, 1))
    assert e.value == LAW.param("jp.kei.length_mm").at(dt.date(1998, 10, 1)) and e.since == dt.date(2027, 1, 1)
    assert e.citation == LAW.param("jp.kei.length_mm").entry(dt.date(1998, 10, 1)).citation


LISTINGS = pl.DataFrame({
    "model": ["kei-98", "kei-old", "wide", "long", "big-engine", "ev", "no-height"],
    "length_mm": [3395.0, 3195.0, 3395.0, 3401.0, 3395.0, 3395.0, 3395.0],
    "width_mm": [1475.0, 1395.0, 1481.0, 1475.0, 1475.0, 1475.0, 1475.0],
    "height_mm": [1600.0, 1600.0, 1600.0, 1600.0, 1600.0, 1600.0, None],
    "cc": [658.0, 547.0, 658.0, 658.0, 661.0, None, 658.0],
    "ev_kw": [None, None, None, None, None, 47.0, None],
    "body": ["passenger", "truck", "passenger", "passenger", "passenger", "passenger", "van"],
    "powertrain": ["ice", "ice", "ice", "ice", "ice", "ev", "ice"],
})


@pytest.mark.parametrize("name", ["kei-for-america", "msv-minnesota-style", "lsv-35mph", "us-lsv-today"])
def test_compare_columns_equal_the_explainer_on_each_law(name):
    """compare()'s one Polars pass against the per-vehicle explainer (``trace`` of the same
    registry variables), row by row, under the baseline law and under the policy's law."""
    p = load_policy(name, LAW)
    on = dt.date(2027, 6, 1)
    both, _ = compare(LISTINGS, p, on, LAW)
    for tag, law in (("baseline", LAW), ("policy", p.law(LAW))):
        admits, failed, undecided = category.variables(law, p.category)
        for row, got in zip(LISTINGS.to_dicts(), both.to_dicts()):
            row = {**row, "on": on}
            assert got[f"{tag}_qualifies"] == trace(law, row, admits)["value"], (tag, row["model"])
            assert got[f"{tag}_failed"] == trace(law, row, failed)["value"], (tag, row["model"])
            assert got[f"{tag}_undecided"] == trace(law, row, undecided)["value"], (tag, row["model"])


def test_a_category_is_a_registry_variable_with_its_provision():
    lsv = registry(LAW)["category.lsv.admits"]
    assert lsv.implements == "us.federal.fmvss.lsv.min_speed_mph_exclusive" and set(lsv.needs) == {"top_speed_mph", "gvwr_lb"}
    assert "63 FR 33194" in lsv.provision(LAW, dt.date(2026, 11, 30))["citation"]
    plaw = load_policy("kei-for-america", LAW).law(LAW)
    micro = registry(plaw)["category.microcar.admits"]
    assert micro.implements == "us.microcar.max_length_mm" and micro.needs == ()
    assert "category.microcar.admits" not in registry(LAW)
    row = {"length_mm": 3395, "width_mm": 1475, "height_mm": 1600, "cc": 658, "ev_kw": None, "body": "truck",
           "powertrain": "ice"}
    assert trace(plaw, {**row, "on": dt.date(2026, 12, 31)}, micro)["value"] is False  # the day before
    assert trace(plaw, {**row, "on": dt.date(2027, 1, 1)}, micro)["value"] is True     # the day of


def _names(label):
    return label.split(",") if label else []


def test_kei_for_america_verdicts_and_binding_limits():
    r = report(load_policy("kei-for-america", LAW), LISTINGS, on="2027-06-01", law=LAW, source="test")
    rows = {x["model"]: x for x in r["rows"]}
    assert rows["kei-98"]["policy"] is True and rows["kei-98"]["baseline"] is False
    assert rows["kei-old"]["policy"] is True
    assert rows["wide"]["policy_failed"] == ["max_width_mm"]
    assert rows["long"]["policy_failed"] == ["max_length_mm"]
    assert rows["big-engine"]["policy_failed"] == ["max_displacement_cc"]
    assert rows["ev"]["policy"] is True            # no displacement cap for an electric motor
    assert rows["no-height"]["policy"] is None     # a missing input is unknown, never a guess
    assert r["policy_result"]["binding"] == {"max_width_mm": 1, "max_length_mm": 1, "max_displacement_cc": 1}
    assert r["difference"]["qualify"] == 3
    assert r["baseline"]["binding"] == {"category_not_in_law": 7}


def test_policy_not_in_force_the_day_before_its_date():
    p = load_policy("kei-for-america", LAW)
    before = report(p, LISTINGS, on="2026-12-31", law=LAW)
    on_day = report(p, LISTINGS, on="2027-01-01", law=LAW)
    assert before["policy_result"]["qualify"] == 0
    assert before["policy_result"]["binding"] == {"category_in_force": 7}
    assert on_day["policy_result"]["qualify"] == 3


def test_lsv_speed_change_admits_a_35_mph_vehicle_from_its_date():
    frame = pl.DataFrame({"model": ["a"], "length_mm": [3395.0], "width_mm": [1475.0], "height_mm": [1600.0],
                          "body": ["truck"], "top_speed_mph": [35.0], "gvwr_lb": [2900.0]})
    p = load_policy("lsv-35mph", LAW)
    assert report(p, frame, on="2026-12-31", law=LAW)["rows"][0]["policy"] is False
    r = report(p, frame, on="2027-01-01", law=LAW)["rows"][0]
    assert r["policy"] is True and r["baseline"] is False and r["baseline_failed"] == ["max_speed_mph"]


def test_msv_admits_only_electric_vehicles():
    r = report(load_policy("msv-minnesota-style", LAW), LISTINGS.with_columns(top_speed_mph=pl.lit(35.0)),
               on="2027-06-01", law=LAW)
    rows = {x["model"]: x for x in r["rows"]}
    assert rows["ev"]["policy"] is True
    assert rows["kei-98"]["policy_failed"] == ["powertrains"]


def test_a_category_whose_only_limit_becomes_null_admits_nobody(tmp_path):
    # docs/policies.md: a category with no limit in force on the date asked admits nobody.
    f = write(tmp_path, """
        policy: t
        title: a category repealed by nulling its only limit
        hypothetical: true
        category: us.shortlived
        adds:
          us.shortlived.max_length_mm:
            description: max length
            unit: mm
            values:
              2027-01-01: {value: 3400, reference: [s]}
              2028-01-01: {value: null, reference: [s]}
        """)
    frame = pl.DataFrame({"model": ["huge", "small"], "length_mm": [9000.0, 3000.0], "width_mm": [2500.0, 1400.0],
                          "height_mm": [3000.0, 1500.0], "body": ["truck", "passenger"]})
    p = load_policy(f, LAW)

    def verdicts(on):
        return {r["model"]: (r["policy"], r["policy_failed"]) for r in report(p, frame, on=on, law=LAW)["rows"]}

    assert verdicts("2027-12-31") == {"huge": (False, ["max_length_mm"]), "small": (True, [])}
    assert verdicts("2028-01-01") == {"huge": (False, ["category_in_force"]), "small": (False, ["category_in_force"])}
    assert verdicts("2026-12-31")["small"] == (False, ["category_in_force"])


def test_a_category_stays_in_force_while_any_limit_has_a_value(tmp_path):
    # The first listed limit (length) is nulled; the width limit still holds the category open.
    f = write(tmp_path, """
        policy: t
        title: length cap dropped, width cap kept
        hypothetical: true
        category: us.narrow
        adds:
          us.narrow.max_length_mm:
            description: max length
            unit: mm
            values:
              2027-01-01: {value: 3400, reference: [s]}
              2028-01-01: {value: null, reference: [s]}
          us.narrow.max_width_mm:
            description: max width
            unit: mm
            values:
              2027-01-01: {value: 1480, reference: [s]}
        """)
    frame = pl.DataFrame({"model": ["long"], "length_mm": [9000.0], "width_mm": [1400.0], "height_mm": [1500.0],
                          "body": ["passenger"]})
    r = report(load_policy(f, LAW), frame, on="2028-01-01", law=LAW)["rows"][0]
    assert (r["policy"], r["policy_failed"]) == (True, [])


def test_every_unknown_names_its_missing_input():
    r = report(load_policy("kei-for-america", LAW), LISTINGS, on="2027-06-01", law=LAW, source="test")
    rows = {x["model"]: x for x in r["rows"]}
    assert rows["no-height"]["policy_unknown"] == [{"input": "height_mm", "why": "missing"}]
    assert all(x["policy_unknown"] == [] for x in r["rows"] if x["policy"] is not None)
    assert r["policy_result"]["unknown_because"] == {"height_mm": 1}
    lsv = report(load_policy("us-lsv-today", LAW), LISTINGS, on="2027-06-01", law=LAW, source="test")
    assert lsv["inputs_missing_for"] == ["max_gvwr_lb_exclusive", "max_speed_mph", "min_speed_mph_exclusive"]
    assert lsv["rows"][0]["policy_unknown"] == [{"input": "gvwr_lb", "why": "missing"},
                                                {"input": "top_speed_mph", "why": "missing"}]


def test_a_missing_displacement_is_unknown_unless_the_vehicle_is_electric():
    frame = pl.DataFrame({"model": ["ice", "ev", "unsaid"], "length_mm": [3395.0] * 3, "width_mm": [1475.0] * 3,
                          "height_mm": [1600.0] * 3, "cc": [None, None, None], "ev_kw": [None, None, None],
                          "body": ["truck"] * 3, "powertrain": ["ice", "ev", None]})
    r = report(load_policy("kei-for-america", LAW), frame, on="2027-06-01", law=LAW)
    got = {x["model"]: (x["policy"], [u["input"] for u in x["policy_unknown"]]) for x in r["rows"]}
    assert got == {"ice": (None, ["cc"]), "ev": (True, []), "unsaid": (None, ["cc"])}


def test_catalog_ranges_are_sets_and_an_unknown_says_why():
    r = report(load_policy("kei-for-america", LAW), on="2027-06-01", law=LAW)
    # the catalog gives the Life's height as 1340-1370 mm: every height in it is under the limit
    life = next(x for x in r["rows"] if x["label"].startswith("Honda Life (generation 1)"))
    assert life["policy"] is True and life["policy_unknown"] == []
    assert [x["row"] for x in r["rows"]] == list(range(1, r["rows_total"] + 1))
    assert all(x["policy_unknown"] for x in r["rows"] if x["policy"] is None)


def test_a_set_that_straddles_a_limit_is_unknown_naming_the_input():
    policy = load_policy("kei-for-america", LAW)
    frame = pl.DataFrame({"row": [1, 2], "length_mm": [3395.0] * 2, "width_mm": [1475.0] * 2,
                          "height_mm": [None, None], "height_mm_lo": [1900.0, 1700.0],
                          "height_mm_hi": [2100.0, 1800.0], "cc": [658.0] * 2, "body": ["truck"] * 2,
                          "powertrain": ["ice"] * 2})
    out, _ = compare(frame, policy, dt.date(2027, 6, 1), LAW)
    assert out["policy_qualifies"].to_list() == [None, True]  # the limit is 2000 mm
    assert reasons(out["policy_undecided"][0], {"given_height_mm": "1900-2100", "given_cc": None}) == [
        {"input": "height_mm", "why": "range", "given": "1900-2100"}]


def test_a_listing_row_is_named_by_its_number_and_inputs(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("length_mm,width_mm,height_mm,body,cc\n3395,1475,1600,truck,658\n3395,1475,,van,658\n",
                 encoding="utf-8")
    r = report(load_policy("kei-for-america", LAW), listings_frame(f), on="2027-06-01", law=LAW, source=str(f))
    assert [x["label"] for x in r["rows"]] == [
        "row 1: length_mm=3395 width_mm=1475 height_mm=1600 body=truck cc=658",
        "row 2: length_mm=3395 width_mm=1475 height_mm=— body=van cc=658"]


# ---------------------------------------------------------------- keicar policy compare


def test_compare_puts_today_and_each_policy_side_by_side():
    policies = [load_policy(n, LAW) for n in ("kei-for-america", "msv-minnesota-style")]
    r = compare_report(policies, LISTINGS.with_columns(top_speed_mph=pl.lit(35.0)), on="2027-06-01", law=LAW)
    cols = {c["id"]: c for c in r["columns"]}
    assert list(cols) == ["today:lsv", "kei-for-america", "msv-minnesota-style"]
    assert (cols["kei-for-america"]["admitted"], cols["kei-for-america"]["not_admitted"],
            cols["kei-for-america"]["unknown"]) == (3, 3, 1)
    assert (cols["msv-minnesota-style"]["admitted"], cols["msv-minnesota-style"]["not_admitted"]) == (1, 6)
    # no GVWR column: every LSV answer is unknown, and says so (35 mph alone already fails it)
    assert cols["today:lsv"]["not_admitted"] == 7
    differs = {d["label"]: d["answers"] for d in r["differs"]}
    assert differs["ev"] == {
        "today:lsv": False, "kei-for-america": True, "msv-minnesota-style": True}
    assert len(r["differs"]) == 4  # kei-98, kei-old, ev (admitted by a policy), no-height (unknown)


def test_compare_cli_counts_chart_and_bad_inputs(tmp_path):
    from test_cli import run, strict_json

    f = tmp_path / "l.csv"
    f.write_text("length_mm,width_mm,height_mm,body,cc\n3395,1475,1600,truck,658\n3395,1481,1600,truck,658\n",
                 encoding="utf-8")
    code, out, err = run(["policy", "compare", "kei-for-america", "--listings", str(f), "--on", "2027-01-01",
                          "--json"])
    assert code == 0, err
    r = strict_json(out)
    assert [(c["id"], c["admitted"], c["not_admitted"], c["unknown"]) for c in r["columns"]] == [
        ("today:lsv", 0, 0, 2), ("kei-for-america", 1, 1, 0)]
    code, out, err = run(["policy", "compare", "kei-for-america", "--listings", str(f), "--on", "2027-01-01",
                          "--chart"])
    assert code == 0, err
    assert "█" in out and "1 / 1 / 0" in out and "row 1: length_mm=3395" in out
    for argv, field in ((["nosuch"], "FILES"), (["--on", "2026-13-01"], "--on"),
                        (["--listings", str(tmp_path / "none.csv")], "--listings")):
        code, out, err = run(["policy", "compare", *argv])
        assert code == 2 and len(err.strip().splitlines()) == 1 and field in err, (argv, err)


def test_the_gains_list_says_how_many_more_it_does_not_print():
    from test_cli import run

    code, out, err = run(["policy", "run", "kei-for-america", "--on", "2027-01-01"])
    assert code == 0, err
    gained = int(out.split(" gained")[0].rsplit(" ", 1)[-1])
    listed = sum(1 for line in out.splitlines() if line.startswith("  + "))
    assert gained > 20 and listed == 20
    assert f"… and {gained - 20} more" in out


def test_lsv_on_the_shipped_catalog_is_decided_where_a_source_gives_a_top_speed():
    """The catalog's cited top speeds (SOURCES.md, 2026-11-30) decide the LSV class for their
    generations: every one is over 25 mph. The rest stay unknown, each naming its inputs."""
    r = report(load_policy("us-lsv-today", LAW), on="2026-11-30", law=LAW)
    s = r["policy_result"]
    assert (s["qualify"], s["fail"], s["unknown"]) == (0, 7, 255) and s["binding"] == {"max_speed_mph": 7}
    assert all(x["policy_unknown"] for x in r["rows"] if x["policy"] is None)
    t360 = next(x for x in r["rows"] if x["label"].startswith("Honda T360"))
    assert (t360["policy"], t360["policy_failed"]) == (False, ["max_speed_mph"])


# ------------------------------------------- a dimension the catalog lacks: the kei limit bounds it


@pytest.mark.parametrize("start,end,bound", [
    ("1990-01", "1998-09", 3300.0),   # the month before the 1998 limit: 3.3 m all through
    ("1990-01", "1998-10", 3400.0),   # its month: the window reaches 1998-10-01
    ("1976", "1989-12", 3200.0),      # 1976-01-01 .. the day before 1990-01-01
    ("1975-12", "1976-01", 3200.0),   # across 1976-01-01: the greater limit
    ("1949-07", "1950", None),        # begins before the first limit (1949-07-08): not bounded
    ("2024", "", 3400.0),             # still built: to this day
    ("1999", "1998", None),           # ends before it starts
])
def test_kei_bound_is_the_greatest_limit_in_force_while_built(start, end, bound):
    from keicar.answers.policy import kei_bound

    assert kei_bound(LAW, "jp.kei.length_mm", start, end, today=dt.date(2026, 11, 30)) == bound


def test_kei_for_america_on_the_catalog_is_decided_for_nearly_every_generation():
    """Japan's 1998 limits admit every kei generation: a generation with no length, width or
    height in the catalog still met the kei limits in force when it was built, which never
    exceeded 3400 x 1480 x 2000 mm. At most 30 answers stay unknown, each with a reason."""
    r = report(load_policy("kei-for-america", LAW), on="2027-06-01", law=LAW)
    s = r["policy_result"]
    assert s["unknown"] <= 30
    assert all(x["policy_unknown"] for x in r["rows"] if x["policy"] is None)
    assert r["decided_by_kei_limits"] >= 50
    van = next(x for x in r["rows"] if x["label"].startswith("Honda Acty Van"))
    assert van["policy"] is True and van["kei_bounded"] == ["length_mm", "width_mm", "height_mm"]


def test_a_limit_below_the_kei_limit_leaves_a_bounded_dimension_open_and_says_why(tmp_path):
    r = report(load_policy(microcar(tmp_path, 3300), LAW), on="2027-06-01", law=LAW)
    rows = {x["label"]: x for x in r["rows"]}
    van = next(x for k, x in rows.items() if k.startswith("Honda Acty Van"))  # built from 1999: <= 3400
    assert van["policy"] is None
    assert van["policy_unknown"] == [{"input": "length_mm", "why": "range", "given": "≤ 3400 (kei limit when built)"}]
    midget = next(x for k, x in rows.items() if k.startswith("Daihatsu Midget (MP)"))  # 1959-1972: <= 3000
    assert midget["policy"] is True and "length_mm" in midget["kei_bounded"]
