"""The compiler's planning layer (keicar.engine.plan): finite-domain tables give the values
the explainer gives, for codes the law has, unknown codes and missing values alike; and
the cache of parsed law files (keicar.engine.lawcache) never serves a stale file."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_differential import STATE_CODES, state_days, vehicles

from keicar.engine import expr as E
from keicar.engine import lawcache
from keicar.engine.explain import Evaluator
from keicar.engine.parameters import Law, LawError, default_law
from keicar.engine.plan import PlannedCompiler, finite_domains
from keicar.engine.variables import columns, trace
from keicar.rules.registry import registry

LAW = default_law()
SCHEMA = {"built_start": pl.Date, "built_end": pl.Date, "length_mm": pl.Float64, "width_mm": pl.Float64,
          "height_mm": pl.Float64, "cc": pl.Float64, "stroke": pl.Int64, "ev_kw": pl.Float64,
          "body": pl.String, "state": pl.String, "registered": pl.Date, "mode": pl.String,
          "price_usd": pl.Float64}
#: every variable a vehicle with a state and a price has, the date asked one date
VARIABLES = registry(LAW).select(have={"state", "entry_date", "price_usd"})
codes = st.one_of(st.sampled_from(STATE_CODES), st.none(), st.sampled_from(["ZZ", "tx", ""]))


def one_date(on: dt.date) -> dict:
    """The constants of a table asked on one date, with no shipping costs."""
    return {"on": on, "entry_date": on, "month_reading": None, "freight_usd": None, "insurance_usd": None,
            "broker_usd": None, "port_usd": None, "state_fees_usd": None}


def _norm(v):
    if isinstance(v, list):  # a window: [earliest, latest]
        return [_norm(x) for x in v]
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v, 6)
    return v.isoformat() if isinstance(v, dt.date) else v


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(vehicles(), codes, st.one_of(st.none(), st.sampled_from(["ocean", "air", "rail"])),
                          st.one_of(st.none(), state_days)), min_size=1, max_size=30),
       state_days, st.one_of(st.none(), st.sampled_from(["passenger", "truck", "bus"])))
def test_tables_agree_with_the_explainer(rows, on, odd_body):
    """The date asked one constant: every sub-tree over state, body and mode is a table. Unknown
    codes ("ZZ", lower case, "", a body or mode no rule names) and nulls get their own slots."""
    on = max(on, dt.date(2018, 1, 1))
    records = []
    for i, (v, code, mode, reg) in enumerate(rows):
        r = {**v.row(), "state": code, "mode": mode, "registered": reg, "price_usd": 4000.0 + i}
        if i == 0:
            r["body"] = odd_body
        records.append(r)
    constants = one_date(on)
    got = pl.DataFrame(records, schema=SCHEMA).select(columns(LAW, VARIABLES, constants)).to_dicts()
    for r, row in zip(records, got):
        for v in VARIABLES:
            want = trace(LAW, {**r, **constants}, v)["value"]
            assert _norm(row[v.column_name]) == _norm(want), (v.name, r, on)


def test_an_input_compared_by_order_is_not_tabled():
    """A finite input used other than by equality (here ``body < "q"``): an unknown value is
    not like every other, so the tree is compiled as it stands, and still agrees."""
    e = E.If(E.And((E.Col("body") < "q", E.Col("body").ne("van"))), E.Lit("early"), E.Lit("late"))
    comp = PlannedCompiler(LAW, {}, domains=finite_domains(LAW))
    bodies = ["passenger", "truck", "van", "apple", "zebra", None]
    got = pl.DataFrame({"body": bodies}).select(comp.compile(e).alias("v"))["v"].to_list()
    assert got == [Evaluator(LAW, {"body": b}).eval(e) for b in bodies] == \
        ["early", "late", "late", "early", "late", "late"]


def test_a_constant_state_folds_and_a_column_of_codes_is_a_table():
    status = registry(LAW)["state.status"].formula
    frame = pl.DataFrame({"body": ["truck", "passenger", None], "length_mm": [3395.0, 3395.0, None],
                          "width_mm": [1475.0] * 3, "height_mm": [1765.0] * 3, "cc": [658.0] * 3,
                          "ev_kw": [None] * 3, "registered": [None, None, None],
                          "state": ["TX", "QQ", None]}, schema_overrides={"registered": pl.Date})
    on = dt.date(2026, 11, 24)
    per_row = frame.select(columns(LAW, [registry(LAW)["state.status"]], {"on": on}))["state_status"]
    one = frame.select(PlannedCompiler(LAW, {"on": on, "state": "TX"}, domains=finite_domains(LAW))
                       .compile(status).alias("s"))["s"]
    want = [Evaluator(LAW, {**r, "on": on}).eval(status) for r in frame.to_dicts()]
    assert per_row.to_list() == want
    assert want[1] == want[2] == "unclear"  # an unknown code is no state, like a missing one
    assert one.to_list()[:2] == [Evaluator(LAW, {**r, "on": on, "state": "TX"}).eval(status)
                                 for r in frame.head(2).to_dicts()]


# ---------------------------------------------------------------- the law cache


def _law_copy(tmp_path):
    import shutil

    root = tmp_path / "law"
    shutil.copytree(LAW.root, root)
    return root


def test_cache_serves_the_same_law_and_a_changed_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("KEICAR_CACHE_DIR", str(tmp_path / "cache"))
    root = _law_copy(tmp_path)
    first = Law(root).param("jp.kei.length_mm")
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    again = Law(root).param("jp.kei.length_mm")
    assert again is not first and again == first and again.values[-1].value == first.values[-1].value
    kei = root / "jp" / "kei.yaml"
    text = kei.read_text(encoding="utf-8")
    old = "value: 2800\n      reference: [nplate-1949"
    assert text.count(old) == 1
    kei.write_text(text.replace(old, old.replace("2800", "2790")), encoding="utf-8")
    changed = Law(root).param("jp.kei.length_mm")
    assert [v.value for v in changed.values][0] == 2790 and first.values[0].value == 2800
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2


def test_cache_that_cannot_be_written_or_read_is_passed_over(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("KEICAR_CACHE_DIR", str(blocker / "cache"))  # mkdir fails
    assert Law().param("jp.kei.length_mm").values
    cache = tmp_path / "cache"
    monkeypatch.setenv("KEICAR_CACHE_DIR", str(cache))
    Law().param("jp.kei.length_mm")
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")  # a damaged entry: parsed again
    assert Law().param("jp.kei.length_mm").values == LAW.param("jp.kei.length_mm").values
    assert not list(cache.glob(".tmp-*"))


def test_cache_off_and_bad_law_is_still_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KEICAR_CACHE_DIR", "off")
    assert lawcache.cache_dir() is None
    monkeypatch.setenv("KEICAR_CACHE_DIR", str(tmp_path / "cache"))
    root = _law_copy(tmp_path)
    (root / "jp" / "kei.yaml").write_text("values: [unclosed\n", encoding="utf-8")
    for _ in range(2):  # the error is not cached away
        with pytest.raises(LawError):
            Law(root).file_node("jp.kei")
    assert not list((tmp_path / "cache").glob("*.pickle"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(vehicles(), codes, st.one_of(st.none(), state_days)), min_size=1, max_size=30),
       state_days)
def test_a_variable_read_by_others_is_one_hidden_column_and_the_answers_stay(rows, on):
    """engine.variables.hoisted: state.status, which papers.required reads, and the customs
    amounts, which the landed cost reads, are computed once as hidden columns; every column is
    still the explainer's value."""
    from keicar.engine.variables import hoisted

    on = max(on, dt.date(2018, 1, 1))
    records = [{**v.row(), "state": code, "mode": None, "registered": reg, "price_usd": 4000.0 + i}
               for i, (v, code, reg) in enumerate(rows)]
    constants = one_date(on)
    frame, exprs, hidden = hoisted(pl.DataFrame(records, schema=SCHEMA).lazy(), LAW, VARIABLES, constants)
    by_name = {v.name: i for i, v in enumerate(VARIABLES)}
    assert {f"__keicar_v_{by_name[n]}" for n in ("state.status", "customs.duty_usd")} <= set(hidden)
    got = frame.select(exprs).collect().to_dicts()
    for r, row in zip(records, got):
        for v in VARIABLES:
            want = trace(LAW, {**r, **constants}, v)["value"]
            assert _norm(row[v.column_name]) == _norm(want), (v.name, r, on)


def test_a_date_table_built_from_the_tables_of_its_sub_trees_is_the_table_computed_inline():
    """A date table reads the tables of its own sub-trees (keicar.engine.vectorized): for the
    date asked on a leap day and on an ordinary one, every table a screen of every variable
    builds equals the same formula computed node by node on every day."""
    from keicar.engine import vectorized as VZ

    days = pl.date_range(VZ.DOMAIN[0], VZ.DOMAIN[1], eager=True)
    for on in (dt.date(2024, 2, 29), dt.date(2026, 11, 24)):
        VZ._TABLES.clear()
        columns(LAW, VARIABLES, one_date(on))
        assert len(VZ._TABLES) > 50
        for (_, _, column, constants), (law, e, table) in VZ._TABLES.items():
            inline = VZ.Compiler(law, dict(constants), date_tables=False).compile(e)
            expected = pl.DataFrame({column: days}).select(inline.alias("v")).to_series()
            assert table.equals(expected, check_dtypes=True, null_equal=True), repr(e)[:200]
