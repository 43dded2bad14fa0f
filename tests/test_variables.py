"""The variable registry: every variable, computed by both runners, agrees row by row on
random vehicles, states, dates asked (per row), entry dates and prices."""

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_differential import STATE_CODES, on_days, state_days, vehicles

from keicar.engine.parameters import default_law
from keicar.engine.variables import columns, trace
from keicar.rules.registry import registry

LAW = default_law()
REGISTRY = registry(LAW)
SCHEMA = {"built_start": pl.Date, "built_end": pl.Date, "length_mm": pl.Float64, "width_mm": pl.Float64,
          "height_mm": pl.Float64, "cc": pl.Float64, "stroke": pl.Int64, "ev_kw": pl.Float64,
          "body": pl.String, "on": pl.Date, "month_reading": pl.String, "state": pl.String,
          "registered": pl.Date, "entry_date": pl.Date, "price_usd": pl.Float64,
          "freight_usd": pl.Float64, "insurance_usd": pl.Float64, "mode": pl.String,
          "broker_usd": pl.Float64, "port_usd": pl.Float64, "state_fees_usd": pl.Float64,
          "first_registered": pl.Date, "weight_kg": pl.Float64,
          "top_speed_mph": pl.Float64, "gvwr_lb": pl.Float64}
COMPILED = columns(LAW, REGISTRY, {})
money = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 999.99, 4000.0, 12345.67, 250000.0]))


@st.composite
def rows(draw):
    v = draw(vehicles())
    on = max(draw(st.one_of(on_days, state_days)), v.built_start)
    return {
        **v.row(), "on": on,
        "month_reading": draw(st.sampled_from([None, "end_of_month", "start_of_month"])),
        "state": draw(st.one_of(st.sampled_from(STATE_CODES), st.none())),
        "registered": draw(st.one_of(st.none(), st.dates(v.built_start, on))),
        "entry_date": draw(st.one_of(st.none(), st.dates(dt.date(2018, 1, 1), dt.date(2035, 12, 31)))),
        "price_usd": draw(money), "freight_usd": draw(money), "insurance_usd": draw(money),
        "mode": draw(st.sampled_from([None, "ocean", "air"])),
        "broker_usd": draw(money), "port_usd": None, "state_fees_usd": draw(money),
        "first_registered": draw(st.one_of(st.none(), st.dates(v.built_start, on),
                                           st.sampled_from([dt.date(2012, 2, 29), dt.date(2019, 10, 1), on]))),
        "weight_kg": draw(st.one_of(st.none(), st.sampled_from([500.0, 1000.0, 1000.5, 1001.0, 1499.0]))),
        # the LSV class (category.lsv.*): each side of 20 and 25 mph and of 2,500 and 3,000 lb
        "top_speed_mph": draw(st.sampled_from([None, 20.0, 20.5, 25.0, 25.5, 75.0])),
        "gvwr_lb": draw(st.sampled_from([None, 2499.0, 2500.0, 2999.0, 3000.0, 3500.0])),
    }


def _norm(v):
    if isinstance(v, list):
        return [_norm(x) for x in v]
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=40))
def test_every_variable_agrees_in_both_runners(batch):
    table = pl.DataFrame(batch, schema=SCHEMA).select(COMPILED).to_dicts()
    for row, got in zip(batch, table):
        for v in REGISTRY:
            want = trace(LAW, row, v)["value"]
            assert _norm(got[v.column_name]) == _norm(want), (v.name, row)


def test_a_trace_names_each_parameter_value_it_read():
    row = {"built_start": dt.date(1999, 5, 20), "built_end": dt.date(1999, 5, 20), "body": "truck",
           "length_mm": 3395, "width_mm": 1475, "height_mm": 1765, "cc": 658, "stroke": 4, "ev_kw": None,
           "on": dt.date(2024, 5, 20), "month_reading": None}
    t = trace(LAW, row, REGISTRY["us.nhtsa_eligible_from"])
    assert t["value"] == "2024-05-20"
    params = {r["parameter"]: r for r in t["reads"]}
    assert params["us.federal.import.nhtsa.min_age_years"]["value"] == 25
    assert all(r["citation"] and r["since"] for r in t["reads"])
    # the day before the anniversary the 25-year path is closed; the day of, it is open
    before = trace(LAW, {**row, "on": dt.date(2024, 5, 19)}, REGISTRY["us.road_legal_import"])
    on_day = trace(LAW, row, REGISTRY["us.road_legal_import"])
    assert (before["value"], on_day["value"]) == (False, True)


def test_variables_that_need_an_input_are_left_out_without_it():
    names = {v.name for v in REGISTRY.select(have=())}
    assert "kei.is_kei" in names and "state.status" not in names and "cost.landed_usd" not in names
    names = {v.name for v in REGISTRY.select(have=("state", "entry_date", "price_usd"))}
    assert {"state.status", "cost.landed_usd", "papers.required"} <= names


def test_cli_lists_the_registry():
    import json

    from typer.testing import CliRunner

    from keicar.cli.main import app

    r = CliRunner().invoke(app, ["variables", "--json", "--on", "2026-11-30"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [v["name"] for v in data["variables"]] == REGISTRY.names()
    nhtsa = next(v for v in data["variables"] if v["name"] == "us.nhtsa_eligible_from")
    assert nhtsa["type"] == "date" and "30112" in nhtsa["provision"]["citation"]
