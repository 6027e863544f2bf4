"""from_micrograd: the graph a student built with micrograd, with chainrule's numbers equal to micrograd's own."""

import random

import pytest
from micrograd.engine import Value
from micrograd.nn import MLP, Neuron

import chainrule

from .lecture_value import Value as LectureValue


def sanity_check():
    """micrograd's test_engine.py test_sanity_check, as micrograd's repository writes it."""
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    return y, {"x": x}


def more_ops():
    """micrograd's test_engine.py test_more_ops."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g, {"a": a, "b": b}


def lecture_first_graph():
    """The lecture's first graph, every Value labelled: L = (a*b + c)*f."""
    a, b, c = LectureValue(2.0, label="a"), LectureValue(-3.0, label="b"), LectureValue(10.0, label="c")
    e = a * b; e.label = "e"
    d = e + c; d.label = "d"
    f = LectureValue(-2.0, label="f")
    L = d * f; L.label = "L"
    return L, {"a": a, "b": b, "c": c, "f": f}


def lecture_neuron():
    """The lecture's neuron, labelled as in the lecture: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = LectureValue(2.0, label="x1"), LectureValue(0.0, label="x2")
    w1, w2 = LectureValue(-3.0, label="w1"), LectureValue(1.0, label="w2")
    b = LectureValue(6.8813735870195432, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b; n.label = "n"
    o = n.tanh(); o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def lecture_neuron_by_exp():
    """The lecture's same neuron with tanh written out: e = exp(2n), o = (e - 1)/(e + 1)."""
    o, leaves = lecture_neuron()
    x1, x2, w1, w2, b = (leaves[k] for k in ("x1", "x2", "w1", "w2", "b"))
    n = x1 * w1 + x2 * w2 + b; n.label = "n"
    e = (2 * n).exp(); e.label = "e"
    o = (e - 1) / (e + 1); o.label = "o"
    return o, leaves


def micrograd_neuron():
    """micrograd.nn's own Neuron (relu) on two inputs, weights drawn with a fixed seed."""
    random.seed(1)
    neuron = Neuron(2)
    out = neuron([2.0, -3.0])
    return out, {f"w{i}": w for i, w in enumerate(neuron.w)} | {"bias": neuron.b}


def micrograd_mlp():
    """micrograd.nn's MLP(3, [4, 4, 1]) on one example, and its squared error."""
    random.seed(2)
    model = MLP(3, [4, 4, 1])
    loss = (model([2.0, 3.0, -1.0]) - 1.0) ** 2
    return loss, {f"p{i}": p for i, p in enumerate(model.parameters())}


COMPUTATIONS = [sanity_check, more_ops, lecture_first_graph, lecture_neuron, lecture_neuron_by_exp, micrograd_neuron, micrograd_mlp]


@pytest.mark.parametrize("build", COMPUTATIONS, ids=lambda b: b.__name__)
def test_chainrule_gives_micrograds_own_value_and_gradients(build):
    out, leaves = build()
    labelled = build in (lecture_first_graph, lecture_neuron, lecture_neuron_by_exp)
    graph = chainrule.from_micrograd(out, names=None if labelled else leaves)
    out.backward()
    assert graph.value == pytest.approx(out.data, rel=1e-12)
    assert {name: graph.grads[name] for name in leaves} == \
        pytest.approx({name: v.grad for name, v in leaves.items()}, rel=1e-12, abs=1e-12)


def test_unnamed_leaves_are_named_a_b_c_in_reading_order():
    random.seed(1)
    neuron = Neuron(2)
    out = neuron([2.0, -3.0])
    graph = chainrule.from_micrograd(out)
    assert graph.lesson.expr == "relu(a + b*c + d*g)"   # e and f are left out: Euler's number, the output
    out.backward()
    gate = float(out.data > 0)
    assert [graph.grads[k] for k in "abcdg"] == pytest.approx(
        [neuron.b.grad, neuron.w[0].grad, gate * neuron.w[0].data, neuron.w[1].grad, gate * neuron.w[1].data])


@pytest.mark.parametrize("build", COMPUTATIONS, ids=lambda b: b.__name__)
def test_gradients_need_no_backward_call(build):
    out, leaves = build()
    before = chainrule.from_micrograd(out).to_dict()
    assert all(v.grad == 0 for v in leaves.values())
    out.backward()
    assert chainrule.from_micrograd(out).to_dict() == before


@pytest.mark.parametrize("build", COMPUTATIONS, ids=lambda b: b.__name__)
def test_a_value_used_twice_is_one_node_as_in_micrograd(build):
    out, _ = build()
    values, stack = {}, [out]
    while stack:
        v = stack.pop()
        if id(v) not in values:
            values[id(v)] = v
            stack.extend(v._prev)
    micrograd_gates = sum(1 for v in values.values() if v._prev)
    gates = sum(1 for n in chainrule.from_micrograd(out).to_dict()["nodes"] if n["op"] not in ("var", "const"))
    if build in (more_ops, lecture_neuron_by_exp):   # a - b and a / b: one gate here, two Values in micrograd
        assert micrograd_gates / 2 < gates < micrograd_gates
    else:
        assert gates == micrograd_gates


def test_the_lectures_first_graph_keeps_its_labels_e_d_and_L():
    out, _ = lecture_first_graph()
    graph = chainrule.from_micrograd(out)
    assert graph.lesson.expr == "e = a*b; d = e + c; L = d*f"
    assert [(n["name"], n["grad"]) for n in graph.to_dict()["nodes"]] == [
        ("a", 6.0), ("b", -4.0), ("e", -2.0), ("c", -2.0), ("d", -2.0), ("f", 4.0), ("L", 1.0)]


def test_the_lecture_neuron_reads_as_the_lecture_writes_it():
    out, _ = lecture_neuron()
    graph = chainrule.from_micrograd(out)
    assert graph.lesson.expr == "n = x1*w1 + x2*w2 + b; o = tanh(n)"
    assert graph.grads == pytest.approx({"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5})
    assert graph.value == pytest.approx(0.7071, abs=1e-4)


def test_the_lectures_exp_form_reads_e_minus_1_over_e_plus_1():
    out, _ = lecture_neuron_by_exp()
    assert chainrule.from_micrograd(out).lesson.expr == "n = x1*w1 + x2*w2 + b; e = exp(2*n); o = (e - 1)/(e + 1)"


MATHS = [   # micrograd code -> how the lecture writes it
    (lambda a, b: -a, "-a"),
    (lambda a, b: a - b, "a - b"),
    (lambda a, b: a / b, "a/b"),
    (lambda a, b: 2 * a + 1, "2*a + 1"),
    (lambda a, b: a - 3, "a - 3"),
    (lambda a, b: a**2 * b**-2, "a^2*b^-2"),
    (lambda a, b: (a * b).relu(), "relu(a*b)"),
    (lambda a, b: a * b + a, "a*b + a"),
]


@pytest.mark.parametrize("build, text", MATHS, ids=[m[1] for m in MATHS])
def test_micrograds_rewrites_read_as_lecture_maths(build, text):
    a, b = Value(3.0), Value(-2.0)
    out = build(a, b)
    graph = chainrule.from_micrograd(out)
    assert graph.lesson.expr == text
    out.backward()
    assert graph.grads["a"] == pytest.approx(a.grad)


def test_numbers_round_trip_exactly():
    a, b = Value(0.1), Value(6.8813735870195432)
    graph = chainrule.from_micrograd(a * b)
    assert graph.to_dict()["variables"]["a"]["value"] == 0.1
    assert graph.to_dict()["variables"]["b"]["value"] == 6.8813735870195432


def test_labels_that_are_not_names_fall_back_to_letters_that_never_collide():
    a, b, c = LectureValue(1.0, label="b"), LectureValue(2.0, label="x*y"), LectureValue(3.0)
    graph = chainrule.from_micrograd(a * b + c)
    assert graph.lesson.expr == "b*a + c"
    assert graph.grads == {"b": 2.0, "a": 1.0, "c": 1.0}


REFUSED = [
    (lambda: chainrule.from_micrograd(3.0), "takes a micrograd Value"),
    (lambda: chainrule.from_micrograd(Value(2.0, (Value(1.0),), "sinh")), "cannot show the op 'sinh'"),
    (lambda: chainrule.from_micrograd(Value(1.0), names=["x"]), "names must be a dict"),
    (lambda: chainrule.from_micrograd(Value(1.0) * 2, digits=0), "digits must be"),
    (lambda: chainrule.from_micrograd(Value(10**400) * 2), "not a number chainrule can show"),
    (lambda: chainrule.from_micrograd(Value(float("nan")) * 2), "finite numbers only"),
]


@pytest.mark.parametrize("call, words", REFUSED, ids=[r[1] for r in REFUSED])
def test_what_from_micrograd_refuses_it_says_plainly(call, words):
    with pytest.raises(chainrule.ChainruleError, match=words):
        call()


def test_a_name_that_cannot_name_a_variable_is_refused():
    a = Value(1.0)
    for bad in ("exp", "x*y", "step", "_a"):
        with pytest.raises(chainrule.ChainruleError, match="cannot name a variable"):
            chainrule.from_micrograd(a * 2, names={bad: a})


def test_an_unknown_option_is_refused_not_ignored():
    with pytest.raises(chainrule.ChainruleError, match="granularty is not an option"):
        chainrule.from_micrograd(Value(1.0) * 2, granularty="primitive")


def test_a_single_value_is_a_graph_of_one_variable():
    assert chainrule.from_micrograd(Value(2.0)).grads == {"a": 1.0}


def test_a_chain_deeper_than_the_parsers_nesting_is_written_as_statements():
    x = Value(1.5)
    y = x
    for _ in range(300):
        y = (y * 2 - 1).relu()   # 1.5, 2, 3, 5, 9, ...: every relu passes
    graph = chainrule.from_micrograd(y, names={"x": x})
    y.backward()
    assert graph.grads["x"] == pytest.approx(x.grad, rel=1e-9)


def test_a_computation_past_the_engines_limits_is_refused_plainly():
    y = Value(0.5)
    for _ in range(3000):
        y = y + 1
    with pytest.raises(chainrule.ChainruleError, match="the computation is too large for chainrule"):
        chainrule.from_micrograd(y)
