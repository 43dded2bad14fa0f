"""The explainer (one vehicle) and the Polars runner (tables) must agree on every verdict and
date, for thousands of random vehicles, dates asked and readings, with extra weight on the
days around every change in the law."""

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keicar.api import check, screen_frame
from keicar.engine.parameters import default_law
from keicar.inputs.vehicle import BODIES, Vehicle

LAW = default_law()
CHANGE_DAYS = sorted({v.since for p in LAW.node("jp.kei").walk() for v in p.values}
                     | {v.since for p in LAW.node("us.federal.import").walk() for v in p.values})


def near(days):
    return st.sampled_from(days).flatmap(
        lambda d: st.integers(-2, 2).map(lambda k: d + dt.timedelta(days=k)))


build_days = st.one_of(
    st.dates(dt.date(1940, 1, 1), dt.date(2026, 11, 24)),
    near(CHANGE_DAYS),
    st.sampled_from([dt.date(y, 2, 29) for y in range(1952, 2025, 4)]),
)
on_days = st.one_of(
    st.dates(dt.date(1990, 1, 31), dt.date(2060, 12, 31)),
    near([dt.date(2008, 12, 8), dt.date(2025, 3, 1), dt.date(2026, 1, 1)]),
)


@st.composite
def vehicles(draw):
    day = draw(build_days)
    month_only = draw(st.booleans())
    if month_only:
        start = day.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        end = nxt - dt.timedelta(days=1)
    else:
        start = end = day
    power = draw(st.sampled_from(["ice", "ev", "both"]))
    return Vehicle(
        built_start=start, built_end=end, built_precision="month" if month_only else "day",
        body=draw(st.sampled_from(BODIES)),
        length_mm=draw(st.sampled_from([2790, 2800, 2810, 2990, 3000, 3200, 3300, 3395, 3400, 3401, 3500])),
        width_mm=draw(st.sampled_from([1000, 1001, 1295, 1300, 1395, 1400, 1475, 1480, 1481])),
        height_mm=draw(st.sampled_from([1300, 1765, 2000, 2001])),
        cc=None if power == "ev" else draw(st.sampled_from([100, 150, 200, 240, 300, 356, 360, 361, 550, 658, 660, 661])),
        stroke=draw(st.sampled_from([2, 4])),
        ev_kw=None if power == "ice" else draw(st.sampled_from([1.0, 1.2, 1.5, 2.0, 2.5, 20.0])),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(vehicles(), min_size=1, max_size=40), on_days,
       st.sampled_from([None, "end_of_month", "start_of_month"]))
def test_explainer_and_polars_agree(vs, on, reading):
    vs = [v for v in vs if v.built_start <= on]
    if not vs:
        return
    frame = pl.DataFrame([v.row() for v in vs], schema_overrides={
        "built_start": pl.Date, "built_end": pl.Date, "length_mm": pl.Float64, "width_mm": pl.Float64,
        "height_mm": pl.Float64, "cc": pl.Float64, "stroke": pl.Int64, "ev_kw": pl.Float64,
        "body": pl.String})
    table = screen_frame(frame, on=on, month_reading=reading).collect().to_dicts()
    for v, row in zip(vs, table):
        one = check(v, on=on, month_reading=reading)
        kei, us = one["kei"], one["us"]
        got = {
            "is_kei": row["kei_is_kei"], "regime": row["kei_regime"], "today": row["kei_is_kei_today"],
            "failed": row["kei_failed"].split(",") if row["kei_failed"] else [],
            "nhtsa": row["us_nhtsa_eligible_from"], "epa": row["us_epa_eligible_from"],
            "path": row["us_path"], "importable": row["us_importable"],
        }
        want = {
            "is_kei": kei["is_kei"],
            "regime": dt.date.fromisoformat(kei["regime"]) if kei["regime"] else None,
            "today": kei["is_kei_today"], "failed": kei["failed"],
            "nhtsa": dt.date.fromisoformat(us["nhtsa_eligible_from"]),
            "epa": dt.date.fromisoformat(us["epa_eligible_from"]),
            "path": us["path"], "importable": us["importable"],
        }
        assert got == want, (v, on, reading)


CUSTOMS_DAYS = sorted({v.since for p in LAW.node("us.federal.customs").walk() for v in p.values
                       if v.since >= dt.date(2018, 1, 1)})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(BODIES), build_days,
                          st.one_of(near(CUSTOMS_DAYS), st.dates(dt.date(2018, 1, 1), dt.date(2060, 12, 31)))),
                min_size=1, max_size=30),
       st.booleans())
def test_duty_columns_agree(rows, constant_entry):
    """The duty expressions the batch screen adds (keicar.rules.us.customs.screen_outputs), per
    row with an entry-date column, or with one entry date for the whole table."""
    from keicar.engine.explain import Evaluator
    from keicar.engine.vectorized import Compiler
    from keicar.rules.us import customs

    if constant_entry:
        rows = [(b, d, rows[0][2]) for b, d, _ in rows]
    rows = [(b, d, e) for b, d, e in rows if d <= e]
    if not rows:
        return
    frame = pl.DataFrame({"body": [r[0] for r in rows], "built_start": [r[1] for r in rows],
                          "entry_date": [r[2] for r in rows]})
    comp = Compiler(LAW, {"entry_date": rows[0][2]} if constant_entry else {})
    outs = customs.screen_outputs(law=LAW)
    got = frame.select([comp.compile(x).alias(k) for k, x in outs.items()]).to_dicts()
    for (b, d, e), g in zip(rows, got):
        ev = Evaluator(LAW, {"body": b, "built_start": d, "entry_date": e})
        want = {k: ev.eval(x) for k, x in outs.items()}
        g = {k: float(v) if isinstance(v, (int, float)) else v for k, v in g.items()}
        want = {k: float(v) if isinstance(v, (int, float)) else v for k, v in want.items()}
        assert g == want, (b, d, e)


# ---------------------------------------------------------------- state rules

from keicar.engine.explain import Evaluator  # noqa: E402
from keicar.engine.vectorized import Compiler  # noqa: E402
from keicar.rules.us import states as state_rules  # noqa: E402
from keicar.answers.state import state_codes  # noqa: E402

STATE_CODES = state_codes(LAW)
STATE_DAYS = sorted({v.since for c in STATE_CODES for p in LAW.node(f"us.states.{c}").walk() for v in p.values
                     if isinstance(v.since, dt.date)}
                    | {v.value for c in STATE_CODES for p in LAW.node(f"us.states.{c}").walk() for v in p.values
                       if isinstance(v.value, dt.date)})
state_days = st.one_of(st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)), near(STATE_DAYS))


@st.composite
def state_rows(draw):
    v = draw(vehicles())
    on = draw(state_days)
    return {
        **v.row(),
        "width_mm": draw(st.sampled_from([1395, 1475, 1701, 1702, 1778, 1779, 1800, None])),
        "length_mm": draw(st.sampled_from([3295, 3395, 3556, 3557, 3600, None])),
        "state": draw(st.one_of(st.sampled_from(STATE_CODES), st.sampled_from(["ZZ", None]))),
        "on": on,
        "registered": draw(st.one_of(st.none(), state_days)),
        "month_reading": None,
    }


STATE_SCHEMA = {"built_start": pl.Date, "built_end": pl.Date, "length_mm": pl.Float64, "width_mm": pl.Float64,
                "height_mm": pl.Float64, "cc": pl.Float64, "stroke": pl.Int64, "ev_kw": pl.Float64,
                "body": pl.String, "state": pl.String, "on": pl.Date, "registered": pl.Date,
                "month_reading": pl.String}


PER_ROW_EXPRS = {**state_rules.outputs(), "outside": state_rules.outside_definition,
                 "grandfathered": state_rules.grandfathered}
PER_ROW_COMPILED = [Compiler(LAW, {}).compile(e).alias(n) for n, e in PER_ROW_EXPRS.items()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(state_rows(), min_size=1, max_size=60))
def test_state_rules_agree_per_row_dates(rows):
    """Per-row state and date: the combined-key lookup against the explainer."""
    frame = pl.DataFrame(rows, schema=STATE_SCHEMA)
    table = frame.select(PER_ROW_COMPILED).to_dicts()
    for row, got in zip(rows, table):
        want = {n: Evaluator(LAW, row).eval(e) for n, e in PER_ROW_EXPRS.items()}
        got = {n: (int(v) if isinstance(v, float) and v.is_integer() else v) for n, v in got.items()}
        assert got == want, row


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(vehicles(), min_size=1, max_size=30), state_days,
       st.lists(st.sampled_from(STATE_CODES), min_size=30, max_size=30),
       st.lists(st.one_of(st.none(), state_days), min_size=30, max_size=30))
def test_screen_frame_state_columns_agree_with_check(vs, on, codes, registered):
    """screen_frame(state_column=...) against check(..., state=...)."""
    on = max(on, dt.date(1990, 1, 31))
    vs = [v for v in vs if v.built_start <= on]
    if not vs:
        return
    regs = [r if r is not None and v.built_start <= r <= on else None for v, r in zip(vs, registered)]
    frame = pl.DataFrame([{**v.row(), "st": c.lower(), "reg": r} for v, c, r in zip(vs, codes, regs)],
                         schema_overrides={**STATE_SCHEMA, "st": pl.String, "reg": pl.Date})
    table = screen_frame(frame, on=on, state_column="st", registered_column="reg").collect().to_dicts()
    for v, c, r, row in zip(vs, codes, regs, table):
        st_ = check(v, on=on, state=c, registered=r)["state"]
        got = [row["state_status"], row["state_max_posted_speed_mph"], row["state_interstates"],
               row["state_registration_class"], row["state_confidence"], row["state_applies_to"]]
        want = [st_["status"], st_["max_posted_speed_mph"], st_["interstates"], st_["registration_class"],
                st_["confidence"], st_["applies_to"]]
        assert got == want, (v, c, r, on)
        assert row["st"] == c.lower() and "__state" not in row


# ---------------------------------------------------------------- the date asked per row

from keicar.rules.registry import registry  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(vehicles(), on_days), min_size=1, max_size=40),
       st.sampled_from([None, "end_of_month", "start_of_month"]))
def test_per_row_dates_asked_agree(pairs, reading):
    """The date asked as a column (no constant folding of the law in force, per-row leap-day
    reading): the compiled verdicts against the explainer, row by row."""
    pairs = [(v, on) for v, on in pairs if v.built_start <= on]
    if not pairs:
        return
    frame = pl.DataFrame([{**v.row(), "on": on, "mode": None, "state": None, "registered": None}
                          for v, on in pairs], schema_overrides={
        "built_start": pl.Date, "built_end": pl.Date, "length_mm": pl.Float64, "width_mm": pl.Float64,
        "height_mm": pl.Float64, "cc": pl.Float64, "stroke": pl.Int64, "ev_kw": pl.Float64,
        "body": pl.String, "on": pl.Date, "mode": pl.String, "state": pl.String,
        "registered": pl.Date})
    # every vehicle-only variable (a window is two columns: variables.columns, tests/test_sets.py)
    outs = {v.name: v.formula for v in registry(LAW).select() if v.value_type != "window"}
    comp = Compiler(LAW, {"month_reading": reading})
    table = frame.select([comp.compile(e).alias(k) for k, e in outs.items()]).to_dicts()
    for (v, on), got in zip(pairs, table):
        ev = Evaluator(LAW, {**v.row(), "on": on, "month_reading": reading, "state": None,
                                "registered": None})
        want = {k: ev.eval(e) for k, e in outs.items()}
        assert got == want, (v, on, reading)
