"""The rule expression language has no traps a rule author could fall into silently."""

import polars as pl
import pytest

from keicar.engine import expr as E
from keicar.engine.explain import Evaluator
from keicar.engine.parameters import default_law
from keicar.engine.vectorized import Compiler

LAW = default_law()


def test_equality_builds_a_comparison_that_both_runners_evaluate():
    rule = E.Col("body") == "truck"
    assert isinstance(rule, E.Cmp) and rule.op == "=="
    other = E.Col("body") != "truck"
    assert isinstance(other, E.Cmp) and other.op == "!="
    rows = [{"body": "truck"}, {"body": "van"}, {"body": None}]
    one = [Evaluator(LAW, r).eval(rule) for r in rows]
    assert one == [True, False, None]
    frame = pl.DataFrame({"body": [r["body"] for r in rows]})
    table = frame.select(Compiler(LAW).compile(rule).alias("x"))["x"].to_list()
    assert table == one


@pytest.mark.parametrize("misuse", [
    lambda a, b: a and b,
    lambda a, b: a or b,
    lambda a, b: not a,
    lambda a, b: a in (b,),
    lambda a, b: 1 if a else 0,
])
def test_an_expression_has_no_truth_value(misuse):
    a, b = E.Col("cc") > 1, E.Col("length_mm") > 2
    with pytest.raises(TypeError, match="no truth value"):
        misuse(a, b)


def test_expressions_stay_hashable_by_identity():
    a = E.Col("cc") > 1
    assert {a: 1}[a] == 1
