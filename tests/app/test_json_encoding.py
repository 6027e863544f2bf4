"""The JSON of /api/graph is written by orjson, which would write nan and inf as null. An answer whose
numbers the engine knows to be finite skips json_safe's walk; every other answer takes it. Over every op at
points that make each kind of non-finite number, the bytes sent read back as the careful encoding does:
never a null where a number was, "nan", "inf" and "-inf" where API.md says."""

import json
import math

import pytest

from chainrule.app.encode import json_safe
from chainrule.engine import explain
from chainrule.engine.ops import OPS

ELEMENTWISE = [name for name, op in OPS.items() if op.elementwise]
TYPED = {"add": "x + y", "sub": "x - y", "mul": "x*y", "div": "x/y", "pow": "x^y", "neg": "-x"}
POINTS = {"ordinary": {"x": "0.7", "y": "-1.3"}, "zeros": {"x": "0", "y": "0"},
          "overflow": {"x": "800", "y": "900"}, "negative base": {"x": "-8", "y": "0.5"},
          "tie": {"x": "2", "y": "2"}}


def expression(name: str) -> str:
    if name in TYPED:
        return TYPED[name]
    return f"{name}(x, y)" if OPS[name].arity == 2 else f"{name}(x)"


CASES = [(expression(name), point) for name in ELEMENTWISE for point in POINTS] + [
    ("exp(x)*0", "overflow"), ("log(x - x)", "ordinary"), ("x/(x - x)", "ordinary"), ("exp(exp(x))", "ordinary"),
    ("sum(x*y)", "ordinary"), ("log(x)", "zeros")]


@pytest.mark.parametrize("expr,point", CASES, ids=[f"{e} at {p}" for e, p in CASES])
def test_the_answer_reads_back_as_the_careful_encoding(client, expr, point):
    values = POINTS[point] | ({"x": "[1, 0, -2]"} if expr.startswith("sum") else {})
    response = client.get("/api/graph", params={"expr": expr, **values})
    assert response.status_code == 200, response.text
    lesson = explain(expr, values)
    careful = json.loads(json.dumps(json_safe(lesson.to_dict()), allow_nan=False))
    assert response.json() == careful
    if lesson.analysis.finite:   # the fast path is taken only where it cannot hide a non-finite number
        json.dumps(lesson.to_dict(), allow_nan=False)


def test_every_kind_of_non_finite_number_is_in_the_table(client):
    kinds = set()
    for expr, point in CASES:
        values = POINTS[point] | ({"x": "[1, 0, -2]"} if expr.startswith("sum") else {})
        body = client.get("/api/graph", params={"expr": expr, **values}).text
        kinds |= {kind for kind in ('"nan"', '"inf"', '"-inf"') if kind in body}
        assert "NaN" not in body and "Infinity" not in body
    assert kinds == {'"nan"', '"inf"', '"-inf"'}


def test_a_finite_answer_takes_the_fast_path_and_a_non_finite_one_does_not():
    assert explain("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"}).analysis.finite
    for expr in ("log(x - x)", "exp(1000*x)", "0/(x - x)"):
        analysis = explain(expr, {"x": "1"}).analysis
        assert not analysis.finite and not math.isfinite(analysis.numbers.values[analysis.graph.output])
