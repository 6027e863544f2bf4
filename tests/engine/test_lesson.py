"""What a student reads: lecture names (q, q₁, f, or the person's own), local formulas as a teacher writes
them, steps and their sentences — and never an internal id."""
import re

import pytest

from chainrule.engine import Lesson, Step, analyze
from chainrule.engine.ops import OPS
from chainrule.engine.render import View, render

NEURON = dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3")
ID = re.compile(r"\b[ne]\d+\b|[ne]_\{\d+\}")


def lesson(expr, values=None, **options):
    return Lesson(analyze(expr, values or {}, **options))


def test_cs231n_names_its_intermediate_q_and_its_output_f():
    les = lesson("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
    assert [les.name(i) for i in range(5)] == ["x", "y", "q", "z", "f"]
    assert les.to_dict()["output"]["name"] == "f"
    dq, dz = les.graph.in_edges[4]
    assert (les.local_formula(dq), les.local_formula(dz)) == ("z", "q")


def test_several_intermediates_are_numbered_in_the_order_they_are_computed():
    les = lesson("1/(1+exp(-(w0*x0+w1*x1+w2)))", NEURON)
    gates = [les.name(i) for i, n in enumerate(les.graph.nodes) if not n.is_leaf]
    assert gates == ["q₁", "q₂", "q₃", "q₄", "q₅", "q₆", "q₇", "f"]
    assert les.latex_name(les.graph.nodes.index(les.graph.nodes[-2])) == "q_{7}"


def test_names_never_take_a_variables_name():
    les = lesson("(q + f)*x")
    assert [les.name(i) for i in range(len(les.graph.nodes))] == ["q", "f", "q₁", "x", "L"]


# Every elementwise op's local gradient, as a teacher writes it: (expression, text per edge, LaTeX per edge).
FORMULAS = [
    ("x + y", ["1", "1"], ["1", "1"]),
    ("x - y", ["1", "−1"], ["1", "-1"]),
    ("x * y", ["y", "x"], ["y", "x"]),
    ("x / y", ["1/y", "−x/y²"], [r"\frac{1}{y}", r"- \frac{x}{y^{2}}"]),
    ("x / 2", ["1/2", "−x/4"], [r"\frac{1}{2}", r"- \frac{x}{4}"]),
    ("1 / x", ["1/x", "−1/x²"], [r"\frac{1}{x}", r"- \frac{1}{x^{2}}"]),
    ("-x", ["−1"], ["-1"]),
    ("x ^ 2", ["2x", "x²·log(x)"], ["2 x", r"x^{2} \log{\left(x \right)}"]),
    ("x ^ y", ["y·x^(y − 1)", "x^y·log(x)"], [r"x^{y - 1} y", r"x^{y} \log{\left(x \right)}"]),
    ("x ^ 0.5", ["1/(2·√x)", "√x·log(x)"], [r"\frac{1}{2 \sqrt{x}}", r"\sqrt{x} \log{\left(x \right)}"]),
    ("exp(x)", ["eˣ"], ["e^{x}"]),
    ("log(x)", ["1/x"], [r"\frac{1}{x}"]),
    ("sqrt(x)", ["1/(2·√x)"], [r"\frac{1}{2 \sqrt{x}}"]),
    ("sin(x)", ["cos(x)"], [r"\cos{\left(x \right)}"]),
    ("cos(x)", ["−sin(x)"], [r"- \sin{\left(x \right)}"]),
    ("tan(x)", ["tan²(x) + 1"], [r"\tan^{2}{\left(x \right)} + 1"]),
    ("tanh(x)", ["1 − tanh²(x)"], [r"1 - \tanh^{2}{\left(x \right)}"]),
    ("sigmoid(x)", ["σ(1 − σ)"], [r"\sigma \left(1 - \sigma\right)"]),
    ("relu(x)", ["[x > 0]"], [r"\mathbb{1}[x > 0]"]),
    ("abs(x)", ["sign(x)"], [r"\operatorname{sign}{\left(x \right)}"]),
    ("max(x, y)", ["[x > y]", "[y > x]"], [r"\mathbb{1}[x > y]", r"\mathbb{1}[y > x]"]),
    ("min(x, y)", ["[y > x]", "[x > y]"], [r"\mathbb{1}[y > x]", r"\mathbb{1}[x > y]"]),
]


@pytest.mark.parametrize("expr, texts, latexes", FORMULAS, ids=[f[0] for f in FORMULAS])
def test_local_formula_is_what_a_teacher_writes(expr, texts, latexes):
    les = lesson(expr, {"x": "0.5", "y": "3"})
    out = les.graph.output
    edges = les.graph.in_edges[out]
    assert [les.local_formula(e) for e in edges] == texts
    assert [les.local_formula(e, latex=True) for e in edges] == latexes


def test_the_formula_table_covers_every_elementwise_op():
    covered = {lesson(expr).graph.nodes[-1].op for expr, _, _ in FORMULAS}
    assert covered == {op.name for op in OPS.values() if op.elementwise}


def test_a_max_tie_says_the_gradient_is_split():
    les = lesson("max(x, y)", {"x": "2", "y": "2"})
    assert [les.local_formula(e) for e in les.graph.in_edges[les.graph.output]] == ["½ (tie: split)"] * 2
    assert les.numbers.local[0] == 0.5


def test_sigmoids_local_reads_the_same_on_the_edge_and_in_the_panel():
    d = lesson("sigmoid(w0*x0 + w1*x1 + w2)", NEURON).to_dict()
    last = d["edges"][-1]
    assert last["local_formula"] == "σ(1 − σ)" and last["local_latex"] == r"\sigma \left(1 - \sigma\right)"


def test_steps_are_typed_with_indices_and_ids_appear_only_in_json():
    les = lesson("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
    assert les.steps[1] == Step(1, "forward", 2, (0, 1))
    assert les.steps[-1] == Step(4, "backward", 2, (0, 1))
    assert les.steps is les.steps   # computed once per lesson
    step = les.to_dict()["steps"][-1]
    assert step["node"] == "n2" and step["edges"] == ["e0", "e1"]
    assert step["text"] == "+ gate q gets upstream ∂f/∂q = −4; to x: −4 × 1 = −4; to y: −4 × 1 = −4"


@pytest.mark.parametrize("step, index", [(None, None), (0, 0), (3, 3), (99, 4), ("end", 4)])
def test_a_step_past_the_end_or_end_is_the_last(step, index):
    assert lesson("(x+y)*z").step_index(step) == index


READ_BY_PEOPLE = [("(x+y)*z", {}), ("1/(1+exp(-(w0*x0+w1*x1+w2)))", NEURON),
                  ("sigmoid(w0*x0 + w1*x1 + w2)", NEURON), ("exp(x)*sin(x+y)/x + max(x, y)^2", {}),
                  ("sum(relu(W @ x + b))", {"W": "[[1,2],[3,4]]", "x": "[1,-1]", "b": "[0.5,0.5]"}),
                  ("+".join(f"x{i}*y{i}" for i in range(20)), {})]


@pytest.mark.parametrize("expr, values", READ_BY_PEOPLE, ids=[e[:30] for e, _ in READ_BY_PEOPLE])
def test_no_internal_id_reaches_what_a_person_reads(expr, values):
    les = lesson(expr, values)
    d = les.to_dict()
    read = [d["output"]["name"], d["output"]["name_latex"]]
    for node in d["nodes"]:
        read += [node["name"], node["name_latex"], node["text"], node["label"]]
    for edge in d["edges"]:
        read += [edge["local_formula"], edge["local_latex"]]
    read += [s["text"] for s in d["steps"]]
    svg = render(les, View(step=len(les.steps) - 1), "svg").decode()
    read += re.findall(r"<(?:text|title)[^>]*>([^<]*)<", svg)
    found = [text for text in read if ID.search(text)]
    assert not found
