"""The explainer (one vehicle) and the Polars runner (tables) must agree on every verdict and
date, for thousands of random vehicles, dates asked and readings, with extra weight on the
days around every change in the law."""

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keicar.api import check, screen_frame
from keicar.engine.parameters import default_law
from keicar.vehicle import BODIES, Vehicle

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
    """The duty expressions the batch screen adds (keicar.rules.customs.screen_outputs), per
    row with an entry-date column, or with one entry date for the whole table."""
    from keicar.engine.explain import Evaluator
    from keicar.engine.vectorized import Compiler
    from keicar.rules import customs

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
