"""Table-driven over OPS: each op's record agrees with sympy and with itself."""
import numpy as np
import pytest
import sympy as sp

from chainrule.engine import OP_LIST, analyze, explain
from chainrule.engine.ops import A, B, OUT

ELEMENTWISE = [op for op in OP_LIST if op.elementwise]

POINTS = [(0.7, 1.3), (1.9, 0.4), (0.25, 2.5)]  # inside every op's domain, no ties


@pytest.mark.parametrize("op", ELEMENTWISE, ids=lambda op: op.name)
def test_local_rule_is_sympys_derivative_of_the_forward(op):
    for a, b in POINTS:
        at = {A: sp.Float(a), B: sp.Float(b)}
        out = op.expr.xreplace(at)
        for operand, symbol in enumerate((A, B)[: op.arity]):
            exact = sp.diff(op.expr, symbol).xreplace(at)
            rule = op.locals[operand].xreplace({**at, OUT: out})
            assert float(rule) == pytest.approx(float(exact), rel=1e-12)
            assert float(op.local_fns[operand](np.float64(a), np.float64(b), np.float64(out))) \
                == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize("op", ELEMENTWISE, ids=lambda op: op.name)
def test_numpy_forward_is_the_sympy_expression(op):
    for a, b in POINTS:
        args = (np.float64(a), np.float64(b))[: op.arity]
        expected = float(op.expr.xreplace({A: sp.Float(a), B: sp.Float(b)}))
        assert float(op.forward(*args)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("op", OP_LIST, ids=lambda op: op.name)
def test_every_op_can_be_typed_and_documented(op):
    text = {1: f"{op.name}(x)", 2: f"{op.name}(x, y)"}[op.arity] if op.is_function \
        else {"neg": "-x"}.get(op.name, f"x {op.typed} y")
    values = {"x": "0.7", "y": "1.3"} if op.elementwise else {"x": "[0.2, 0.7]", "y": "[0.5, 1]"}
    d = explain(text, values).to_dict()
    assert [n["op"] for n in d["nodes"]][-1] == op.name
    assert op.role and op.doc and op.symbol


@pytest.mark.parametrize("op", [op for op in OP_LIST if op.primitive], ids=lambda op: op.name)
def test_primitive_expansion_gives_the_fused_gradient(op):
    fused = explain(f"{op.name}(x*y)", {"x": "0.7", "y": "-1.3"}).to_dict()
    prim = explain(f"{op.name}(x*y)", {"x": "0.7", "y": "-1.3"}, granularity="primitive").to_dict()
    assert len(prim["nodes"]) > len(fused["nodes"])
    for name in ("x", "y"):
        assert prim["variables"][name]["grad"] == pytest.approx(fused["variables"][name]["grad"])


@pytest.mark.parametrize("expr, value, grad", [
    ("relu(x)", "0", 0.0), ("abs(x)", "0", 0.0), ("max(x, 2)", "2", 0.5),
    ("min(x, 2)", "2", 0.5), ("sqrt(x)", "0", float("inf")),
])
def test_non_differentiable_points_follow_pytorch(expr, value, grad):
    assert explain(expr, {"x": value}).to_dict()["variables"]["x"]["grad"] == grad


@pytest.mark.parametrize("expr, value", [("log(x)", "0"), ("1/x", "0"), ("exp(x)", "1000"),
                                         ("sqrt(x)", "-1"), ("x^0.5", "-8")])
def test_non_finite_values_flow_on_and_the_producing_gate_is_flagged(expr, value):
    d = explain(expr, {"x": value}).to_dict()
    value_out = d["output"]["value"]
    assert not np.isfinite(value_out)
    flagged = [n for n in d["nodes"] if n["produced_nonfinite"]]
    assert len(flagged) == 1 and flagged[0]["id"] == d["output"]["id"]


def test_local_formulas_name_the_gates_own_inputs():
    d = explain("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"}).to_dict()
    formulas = {(e["source"], e["target"]): e["local_formula"] for e in d["edges"]}
    assert sorted(formulas.values()) == ["1", "1", "q", "z"]     # q = x + y, as the lecture names it
    d = explain("x/y").to_dict()
    assert [e["local_formula"] for e in d["edges"]] == ["1/y", "−x/y²"]
    assert [e["local_latex"] for e in d["edges"]] == [r"\frac{1}{y}", r"- \frac{x}{y^{2}}"]
