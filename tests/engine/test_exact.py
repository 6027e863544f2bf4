"""Exact mode: fractions where the answer is rational, floats from the node where it is not,
and no input that reaches unbounded big-integer arithmetic."""
import time
from fractions import Fraction

import numpy as np
import pytest

from chainrule.engine import LIMITS, Lesson, analyze
from chainrule.engine.exact import MAX_BITS, NotExact, bits, power
from chainrule.engine.ops import OPS


def exact(expr, values=None):
    a = analyze(expr, values or {}, exact=True)
    return a, Lesson(a).to_dict()


# expression, values, the output's exact text (None: a float), a word of the reason or None
TABLE = [
    ("(apple*apple_num + orange*orange_num)*tax",
     dict(apple="100", apple_num="2", orange="150", orange_num="3", tax="1.1"), "715", None),
    ("x/y - 3", dict(x="1.1", y="0.5"), "-4/5", None),
    ("relu(x) + abs(y) + max(x, y) - min(x, y)", dict(x="-0.25", y="0.75"), "7/4", None),
    ("x^3 * y^-2", dict(x="1.5", y="2"), "27/32", None),
    ("8^(2/3) + x^0.5", dict(x="2.25"), "11/2", None),          # roots of perfect powers
    ("sigmoid(x) + exp(x) + log(y) + tanh(x)", dict(x="0", y="1"), "3/2", None),  # trivial values
    ("exp(x)", dict(x="0.4"), None, "exp of 2/5 is not a fraction"),
    ("0.004^0.1234567", {}, None, "is not a fraction"),
    ("x^y", dict(x="0.004", y="0.1234567"), None, "is not a fraction"),
    ("x^(1/3)", dict(x="2"), None, "is not a fraction"),
    ("(-8)^(1/3)", {}, None, "not a real number"),
    ("pi*x", dict(x="2"), None, "π is not a fraction"),
    ("x^99999", dict(x="3"), None, f"more than {MAX_BITS:,} bits"),
    ("1/x", dict(x="0"), None, "division by 0"),
]


@pytest.mark.parametrize("expr, values, text, reason", TABLE, ids=[row[0] for row in TABLE])
def test_exact_stays_a_fraction_where_the_answer_is_one_and_says_why_where_not(expr, values,
                                                                                 text, reason):
    start = time.process_time()
    a, d = exact(expr, values)
    assert time.process_time() - start < 0.5
    out = d["nodes"][a.graph.output]
    assert out["exact"] == text
    if reason is None:
        # a value stays exact; only a local gradient (ln of a base) may be a float
        assert not [r for r in a.exact_reasons.values() if r.endswith("floats from here")]
        assert Fraction(text) == Fraction(d["output"]["value"]) or \
            float(Fraction(text)) == d["output"]["value"]
    else:
        assert any(reason in r and r.endswith(("floats from here", "is a float"))
                   for r in a.exact_reasons.values()), a.exact_reasons
        # the node named is the first to leave the fractions: its inputs are fractions
        first = min(a.exact_reasons)
        node = a.graph.nodes[first]
        assert all(d["nodes"][i]["exact"] is not None for i in node.inputs)


def test_apple_gradients_are_exact_fractions():
    a, d = exact("apple*apple_num*tax", dict(apple="100", apple_num="2", tax="1.1"))
    grads = {name: d["variables"][name]["grad"] for name in a.variables}
    assert grads == {"apple": 2.2, "apple_num": 110.0, "tax": 200.0}
    assert a.exact_values[a.graph.output] == 220


def test_a_float_from_one_node_makes_every_node_after_it_a_float():
    a, d = exact("exp(x) * y + y", dict(x="0.4", y="3"))
    exacts = [n["exact"] for n in d["nodes"]]
    assert exacts[:2] == ["2/5", None] and exacts[-1] is None
    assert list(a.exact_reasons) == [1]


@pytest.mark.parametrize("base, exponent", [
    (Fraction(1, 250), Fraction(1234567, 10**7)), (Fraction(3), Fraction(10**9)),
    (Fraction(2, 3), Fraction(-(10**6))), (Fraction(7), Fraction(1, 10**6)),
    (Fraction(2**4000), Fraction(3, 2)),
])
def test_every_power_is_refused_or_answered_within_the_bit_budget(base, exponent):
    start = time.process_time()
    try:
        result = power(base, exponent)
        assert bits(result) <= MAX_BITS + 1
    except NotExact:
        pass
    assert time.process_time() - start < 0.1


def test_the_exact_limits_are_in_LIMITS():
    assert LIMITS["max_exact_bits"] == MAX_BITS
    assert LIMITS["max_exact_digits"] >= 300   # 1e-300 is still exact


ELEMENTWISE = [op for op in OPS.values() if op.elementwise]
POINTS = [("0", "1"), ("1", "0"), ("0.5", "2"), ("-1.5", "3"), ("4", "0.5"), ("2", "-2")]


@pytest.mark.parametrize("op", ELEMENTWISE, ids=lambda op: op.name)
def test_every_op_in_exact_mode_agrees_with_floats_and_is_a_fraction_or_says_why(op):
    text = "-x" if op.name == "neg" else f"x {op.typed} y" if op.typed else \
        f"{op.name}({', '.join('xy'[:op.arity])})"
    for x, y in POINTS:
        values = {"x": x, "y": y}
        a, d = exact(text, values)
        floats = Lesson(analyze(text, values)).to_dict()
        for node, float_node in zip(d["nodes"], floats["nodes"]):
            assert np.allclose([node["value"], node["grad"]],
                               [float_node["value"], float_node["grad"]],
                               rtol=1e-12, equal_nan=True), (text, values, node)
        out = a.graph.output   # its operands are fractions: it is one, or says why not
        left = {i for i, reason in a.exact_reasons.items() if reason.endswith("from here")}
        assert (d["nodes"][out]["exact"] is not None) != (out in left), (text, values)
