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


def test_nodes_are_frozen_dataclasses_with_one_init():
    """Expression nodes share Expr's __init__ and __repr__ (one definition, not ~30 generated
    at every start) and stay what a frozen dataclass was: fields, replace, no assignment."""
    import dataclasses

    p = E.StateParam("status", E.Col("state"), E.Col("on"))
    assert [f.name for f in dataclasses.fields(p)] == ["field", "state", "at", "attr", "prefix"]
    assert repr(p) == ("StateParam(field='status', state=Col(name='state'), at=Col(name='on'), "
                       "attr='value', prefix='us.states')")
    since = dataclasses.replace(p, attr="since")
    assert (since.attr, since.state, p.attr) == ("since", p.state, "value")
    assert list(vars(E.StateParam("f", E.Col("s"), E.Col("on"), prefix="x"))) == ["field", "state", "at", "attr", "prefix"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.attr = "since"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del p.field
    with pytest.raises(TypeError, match="missing argument 'b'"):
        E.Cmp("<=", E.Col("a"))
    with pytest.raises(TypeError, match="takes 1 arguments"):
        E.Col("a", "b")
    with pytest.raises(TypeError, match="'nam'"):
        E.Col(nam="a")
