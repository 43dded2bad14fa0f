"""Landed cost: YAML cases, bad inputs, citations on every line, and the duty expressions in
the Polars compiler."""

import datetime as dt

import polars as pl
import pytest

from conftest import assert_expected, load_cases
from keicar.cost import landed_cost
from keicar.engine.explain import Evaluator
from keicar.engine.parameters import default_law
from keicar.engine.vectorized import Compiler
from keicar.rules import customs
from keicar.vehicle import InputError

GOOD = load_cases("cost.yaml")
BAD = load_cases("cost_bad_input.yaml")
TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize("case", GOOD, ids=[c["name"] for c in GOOD])
def test_cost_case(case):
    assert_expected(landed_cost(**case["input"], today=TODAY), case["expect"])


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_cost_bad_input(case):
    with pytest.raises(InputError) as err:
        landed_cost(**case["input"], today=TODAY)
    assert err.value.field == case["error"]
    assert "\n" not in str(err.value)


def test_every_law_line_is_cited_and_dated():
    r = landed_cost(body="passenger", built="2005-05", price_usd=4000, entry_date="2025-10-01", today=TODAY)
    lines = r["duty"]["lines"] + [f for f in r["fees"]]
    for line in lines + [r["customs_value"]]:
        assert line["citation"] and line["effective"], line["item"]
    assert r["duty"]["lines"][1]["effective"] == "2025-09-16"  # the Japan rule decided the add-on
    assert r["total_usd"] == pytest.approx(4000 + 600 + 33.58 + 5.0)


ENTRIES = [dt.date(2025, 4, 2), dt.date(2025, 4, 3), dt.date(2025, 9, 15), dt.date(2025, 9, 16), dt.date(2026, 11, 24)]
BUILDS = [dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2000, 12, 31), dt.date(2001, 1, 1), dt.date(2010, 6, 1)]


@pytest.mark.parametrize("constant_entry", [True, False])
def test_duty_screen_outputs_match_explainer(constant_entry):
    law = default_law()
    rows = [{"body": b, "built_start": d, "entry_date": e} for b in ("passenger", "truck", "van")
            for d in BUILDS for e in ENTRIES]
    frame = pl.DataFrame(rows)
    for e in ENTRIES if constant_entry else [None]:
        subset = [r for r in rows if e is None or r["entry_date"] == e]
        comp = Compiler(law, {"entry_date": e} if e else {})
        outs = customs.screen_outputs(law=law)
        df = frame.filter(pl.col("entry_date") == e) if e else frame
        got = df.select([comp.compile(x).alias(k) for k, x in outs.items()]).to_dicts()
        for row, g in zip(subset, got):
            ev = Evaluator(law, row)
            want = {k: ev.eval(x) for k, x in outs.items()}
            assert {k: (float(v) if isinstance(v, (int, float)) else v) for k, v in g.items()} == \
                   {k: (float(v) if isinstance(v, (int, float)) else v) for k, v in want.items()}, row
