"""Named intermediates as the seeds write them: `q = x + y; f = q*z`. A name is one node
(fan-out when used twice) that carries its name; the last statement is the output."""
import itertools
import string
import sys

import pytest

from chainrule.engine import ChainruleError, explain
from chainrule.engine.graph import build_graph
from chainrule.engine.ops import CONSTANTS, FUNCTIONS
from chainrule.engine.parse import MAX_CHARS, MAX_OPS, parse, parse_program

SEED = {"x": "-2", "y": "5", "z": "-4"}
NEURON = {"w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"}
APPLES = {"apple": "100", "apple_num": "2", "orange": "150", "orange_num": "3", "tax": "1.1"}


def named(analysis, name):
    """Returns (value, grad) of the node that carries `name`."""
    index = analysis.graph.names[name]
    assert analysis.graph.nodes[index].name == name
    return analysis.numbers.values[index], analysis.numbers.grads[index]


@pytest.mark.parametrize("text", [
    "q = x + y; f = q*z", "q = x + y\nf = q*z", "q = x+y;\n\nf = q*z;\n", "q = x + y; q*z",
    "q = x − y + 2·y; f = q × z",
])
def test_the_seeds_q_is_x_plus_y_and_f_is_q_times_z(text):
    a = explain(text, SEED)
    d = a.to_dict()
    assert d["output"]["value"] == -12
    assert [d["variables"][v]["grad"] for v in "xyz"] == [-4, -4, 3]
    assert named(a, "q") == (3, -4)                         # dq = z
    assert a.graph.nodes[a.graph.output].name == ("" if "; q*z" in text else "f")


@pytest.mark.parametrize("text, values, output, grads, names", [
    ("price = apple*apple_num; total = price*tax", APPLES, 220,
     {"apple": 2.2, "apple_num": 110, "tax": 200}, {"price": (200, 1.1)}),
    ("apples = apple*apple_num; oranges = orange*orange_num; total = (apples + oranges)*tax",
     APPLES, 715, {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165,
                   "tax": 650}, {"apples": (200, 1.1), "oranges": (450, 1.1)}),
    ("s = w0*x0 + w1*x1 + w2; f = 1/(1 + exp(-s))", NEURON, 0.731,
     {"w0": -0.197, "x0": 0.393, "w1": -0.393, "x1": -0.590, "w2": 0.197}, {"s": (1, 0.197)}),
    ("s = w0·x0 + w1·x1 + w2\nf = σ(s)", NEURON, 0.731,
     {"w0": -0.197, "x0": 0.393, "w1": -0.393, "x1": -0.590, "w2": 0.197}, {"s": (1, 0.197)}),
])
def test_the_seeds_worked_examples_with_named_intermediates(text, values, output, grads, names):
    a = explain(text, values)
    d = a.to_dict()
    assert d["output"]["value"] == pytest.approx(output, abs=1e-3)
    for name, grad in grads.items():
        assert d["variables"][name]["grad"] == pytest.approx(grad, abs=1e-3), name
    for name, (value, grad) in names.items():
        assert named(a, name) == pytest.approx((value, grad), abs=1e-3), name


@pytest.mark.parametrize("named_text, one_expression", [
    ("q = x + y; f = q*z", "(x + y)*z"),
    ("q = x*y; f = q + q*z", None),
    ("a = x*y; b = a + 1; f = a*b", None),
    ("h = sigmoid(x*w); f = (h - y)^2", "(sigmoid(x*w) - y)^2"),
])
def test_a_name_gives_the_same_numbers_as_the_expression_written_out(named_text, one_expression):
    values = {"x": "0.5", "y": "-1.5", "z": "3", "w": "2"}
    a = explain(named_text, values)
    out = a.to_dict()["output"]["value"]
    grads = {v: g["grad"] for v, g in a.to_dict()["variables"].items()}
    if one_expression:
        b = explain(one_expression, values).to_dict()
        assert out == b["output"]["value"]
        assert grads == {v: g["grad"] for v, g in b["variables"].items()}
    # the canonical text of the whole reads back as the same graph
    again = explain(a.graph.text, values)
    assert again.graph.text == a.graph.text and again.to_dict()["output"]["value"] == out


def test_a_name_used_twice_is_one_node_whose_shares_add_up():
    a = explain("q = x*y; f = q + q*z", {"x": "2", "y": "3", "z": "4"})
    q = a.graph.names["q"]
    assert sum(e.source == q for e in a.graph.edges) == 2    # fan-out
    assert named(a, "q") == (6, 1 + 4)                       # df/dq = 1 + z
    assert [n.text for n in a.graph.nodes if n.name] == ["x*y", "q + q*z"]


def test_a_named_node_reads_by_its_name_in_later_texts():
    g = build_graph("q = x + y; f = q*z")
    assert [(n.text, n.name) for n in g.nodes if not n.is_leaf] == [("x + y", "q"), ("q*z", "f")]
    assert g.nodes[g.output].latex == r"q \cdot z"
    assert g.text == "q = x + y; f = q*z"
    h = build_graph("h1 = x*w1; loss = h1^2")
    assert h.nodes[h.output].latex == "h_{1}^{2}" and h.text == "h1 = x*w1; loss = h1^2"


def test_primitive_gates_name_the_last_gate_of_a_named_function():
    g = build_graph("s = sigmoid(x); f = s*y", "primitive")
    assert g.nodes[g.names["s"]].op == "div" and g.nodes[g.output].text == "s*y"


def test_shared_subexpressions_keep_the_first_name():
    g = build_graph("a = x*y; b = x*y; f = a + b", share=True)
    assert g.names["a"] == g.names["b"] and g.nodes[g.names["a"]].name == "a"


def test_parse_reads_one_expression_and_parse_program_reads_statements():
    assert [(s.name, s.tree.op) for s in parse_program("q = x + y\nf = q*z")] == \
        [("q", "add"), ("f", "mul")]
    with pytest.raises(ChainruleError, match="one expression is expected"):
        parse("q = x + y; f = q*z")


@pytest.mark.parametrize("text, message, offset", [
    ("q = x+y; q = y*2; f = q", "q at 9 is already defined at 0", 9),
    ("f = q*z; q = x + y", "q is used at 4 before it is defined at 9", 4),
    ("q = q + 1", "q is used at 4 in its own definition at 0", 4),
    ("exp = x + 1; f = exp*2", "'exp' at 0 is a function", 0),
    ("σ = x + 1", "'σ' at 0 is a function", 0),
    ("pi = x + 1; f = pi*2", "pi (at 0) is the constant π", 0),
    ("E = x*2", "E (at 0) is Euler's number", 0),
    ("x;;y", "empty statement at 2", 2),
    ("; f = x*y", "empty statement at 0", 0),
    ("q = x*y;\n; f = q", "empty statement at 9", 9),
    ("x + y = 3", "'=' at 6: only a name can be given a value, as in q = x + y", 6),
    ("f = g = x*y", "'=' at 6: one '=' per statement", 6),
    ("f = (q = x*y)", "'=' at 7 is inside an expression", 7),
    ("f = sin(x = 1)", "'=' at 10 is inside an expression", 10),
    ("f = ", "nothing after '=' at 2", 2),
    ("q = x*y; f = ", "nothing after '=' at 11", 11),
    ("x = 1", "'x = 1' at 0 gives x a number", 0),
    ("tax = -1.1; f = tax*x", "'tax = -1.1' at 0 gives tax a number", 0),
    ("f = x", "'f = x' at 0 only gives x another name", 0),
    ("q = x*y; f = q", "'f = q' at 9 only gives q another name", 9),
    ("a = x*2; f = y*3", "a (defined at 0) is not used by a later statement", 0),
    ("x*y; f = z", "the statement at 0 has no name", 0),
    ("x\n+ y", "the statement at 0 has no name", 0),
    ("x; import os", "the statement at 0 has no name", 0),
    ("x == y", "comparisons are not allowed ('==' at 2)", 2),
    ("q = x + y; f = q(z)", "unknown function 'q' at 15", 15),
    ("__q = x*y; f = __q", "names may not start with '_'", 0),
])
def test_statements_refused_with_message_and_offset(text, message, offset):
    with pytest.raises(ChainruleError) as caught:
        explain(text)
    assert message in caught.value.message and caught.value.offset == offset


@pytest.mark.parametrize("text", [
    "sigmoid(w0*x0 +\n        w1*x1)",     # inside parentheses
    "x +\ny",                               # a line that ends with an operator goes on
    "x\n* y", "x\n^2",                      # so does one that starts with an operator
    "f =\n x*y",
    "q = x·y\n\n\nf = q²\n",                # blank lines, and a new line at the end
])
def test_a_new_line_continues_an_unfinished_statement(text):
    assert len(explain(text).graph.nodes) >= 2


def _names(n):
    letters = string.ascii_letters
    pairs = ("".join(p) for p in itertools.product(letters, letters + string.digits))
    return list(itertools.islice((p for p in pairs if p not in FUNCTIONS and p not in CONSTANTS),
                                 n))


def test_a_chain_of_2000_statements_each_using_the_last_twice_stays_small():
    names = _names(2_000)
    text = "\n".join([f"{names[0]}=x*y"] + [f"{b}={a}*{a}" for a, b in zip(names, names[1:])])
    assert len(text) <= MAX_CHARS
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(150)              # nothing recurses per statement
    try:
        g = build_graph(text)
    finally:
        sys.setrecursionlimit(limit)
    assert len(g.names) == 2_000 and len(g.nodes) == 2_002
    # texts read names, not the written-out expression (which would double at each line)
    assert max(len(n.text) for n in g.nodes) <= 5
    assert sum(len(n.text) + len(n.latex) for n in g.nodes) < 100_000
    assert explain(text, {"x": "1", "y": "1"}).to_dict()["output"]["value"] == 1


def test_the_operation_limit_counts_across_statements():
    names = _names(900)
    text = ";".join([f"{names[0]}=x+y+z+w"]
                    + [f"{b}={a}+{a}+{a}+{a}" for a, b in zip(names, names[1:])])
    assert len(text) <= MAX_CHARS and 900 * 3 > MAX_OPS
    with pytest.raises(ChainruleError, match=f"more than {MAX_OPS} operations"):
        explain(text)
