"""The gradient check over scalars runs every variable's two moved passes as lanes of one numpy pass; it must
say what two plain passes per variable say, for every elementwise op, at ordinary points, kinks and
non-finite ones."""
import math

import numpy as np
import pytest

from chainrule.engine import analyze
from chainrule.engine.autodiff import forward
from chainrule.engine.gradcheck import STEP, gradcheck
from chainrule.engine.ops import OPS

UNARY = [name for name, op in OPS.items() if op.elementwise and op.arity == 1]
BINARY = [name for name, op in OPS.items() if op.elementwise and op.arity == 2]
TYPED = {"add": "x + y", "sub": "x - y", "mul": "x*y", "div": "x/y", "pow": "x^y", "neg": "-x"}
POINTS = [{"x": "0.7", "y": "-1.3"}, {"x": "2", "y": "2"}, {"x": "0", "y": "0"}, {"x": "-3", "y": "0.5"},
          {"x": "800", "y": "-800"}]


def expression(name: str) -> str:
    if name in TYPED:
        return TYPED[name]
    return f"{name}(x, y)" if name in BINARY else f"{name}(x)"


def two_passes(a, name: str) -> float:
    """The central difference of `name` by two plain scalar forward passes of the engine."""
    x = float(a.inputs[name])
    h = STEP * max(1.0, abs(x))
    ends = [forward(a.graph, {**{n: float(v) for n, v in a.inputs.items()}, name: x + step})[a.graph.output]
            for step in (h, -h)]
    with np.errstate(all="ignore"):
        return float((np.float64(ends[0]) - np.float64(ends[1])) / (2 * h))


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b or abs(a - b) <= 1e-9 * max(1.0, abs(a))


@pytest.mark.parametrize("point", POINTS, ids=lambda p: f"x={p['x']},y={p['y']}")
@pytest.mark.parametrize("expr", [expression(n) for n in UNARY + BINARY]
                         + ["sigmoid(w*x + y)", "x*x*y + exp(-x)", "q = x + y; f = q*q - log(q)", "2", "x"])
def test_one_lane_pass_agrees_with_two_plain_passes_per_variable(expr, point):
    a = analyze(expr, point)
    assert list(a.gradcheck) == list(a.graph.variables)
    for name, check in a.gradcheck.items():
        assert (check["checked"], check["of"]) == (1, 1)
        assert same(check["numeric"], two_passes(a, name)), (expr, name, check)
        assert same(check["analytic"], float(a.numbers.grads[a.graph.variables[name]]))


def test_past_the_budget_the_lanes_check_an_even_spread_of_variables():
    names = [f"x{i}" for i in range(40)]
    a = analyze(" + ".join(f"relu({n})*{n}" for n in names), {n: str(i + 1) for i, n in enumerate(names)})
    small = gradcheck(a.graph, {n: float(i + 1) for i, n in enumerate(names)}, a.numbers, budget=100 * 2 * 120 * 10)
    assert list(small) == [names[i] for i in (0, 4, 9, 13, 17, 22, 26, 30, 35, 39)]
    for name, check in small.items():
        assert same(check["numeric"], two_passes(a, name)) and check["rel_error"] < 1e-6
