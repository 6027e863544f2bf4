"""The seeds' worked examples, as a student types them, with the numbers they check."""
import pytest

from chainrule.engine import analyze, Lesson, explain

NEURON = dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3")


def grads(analysis):
    return {name: v["grad"] for name, v in Lesson(analysis).to_dict()["variables"].items()}


def test_cs231n_add_then_mul_gives_minus4_minus4_3():
    a = analyze("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
    assert Lesson(a).to_dict()["output"]["value"] == -12.0
    assert grads(a) == {"x": -4.0, "y": -4.0, "z": 3.0}


def test_cs231n_q_is_an_add_gate_feeding_a_mul_gate():
    d = explain("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"}).to_dict()
    ops = {n["id"]: n["op"] for n in d["nodes"]}
    q = next(n for n in d["nodes"] if n["op"] == "add")
    assert q["value"] == 3.0 and q["grad"] == -4.0
    into_mul = [e for e in d["edges"] if ops[e["target"]] == "mul"]
    from_q = next(e for e in into_mul if e["source"] == q["id"])
    # upstream dL/dq... the mul's local gradient with respect to q is z = -4
    assert (from_q["upstream"], from_q["local"], from_q["local_formula"]) == (1.0, -4.0, "z")


@pytest.mark.parametrize("granularity", ["fused", "primitive"])
@pytest.mark.parametrize("expr", ["sigmoid(w0*x0 + w1*x1 + w2)",
                                  "1/(1+exp(-(w0*x0+w1*x1+w2)))"])
def test_cs231n_neuron_dw2_is_positive(expr, granularity):
    a = analyze(expr, NEURON, granularity=granularity)
    assert Lesson(a).to_dict()["output"]["value"] == pytest.approx(0.731, abs=5e-4)
    expected = {"w0": -0.197, "x0": 0.393, "w1": -0.393, "x1": -0.590, "w2": 0.197}
    assert grads(a) == pytest.approx(expected, abs=5e-4)


def test_sigmoid_big_node_local_gradient_is_one_minus_s_times_s():
    d = explain("sigmoid(w0*x0 + w1*x1 + w2)", NEURON).to_dict()
    sig = next(n for n in d["nodes"] if n["op"] == "sigmoid")
    edge = next(e for e in d["edges"] if e["target"] == sig["id"])
    s = sig["value"]
    assert edge["local"] == pytest.approx((1 - s) * s)
    assert edge["local_formula"] == "σ(1 − σ)"


def test_primitive_sigmoid_is_negate_exp_plus_one_reciprocal():
    d = explain("sigmoid(a)", {"a": "1"}, granularity="primitive").to_dict()
    assert [n["op"] for n in d["nodes"] if n["op"] not in ("var", "const")] == \
        ["neg", "exp", "add", "div"]


def test_apple_220_with_d_apple_2_2_d_num_110_d_tax_200():
    a = analyze("apple*apple_num*tax", dict(apple="100", apple_num="2", tax="1.1"), exact=True)
    assert Lesson(a).to_dict()["output"]["value"] == 220.0
    assert grads(a) == {"apple": 2.2, "apple_num": 110.0, "tax": 200.0}


def test_apple_and_orange_exact_is_715_not_715_0000000000001():
    values = dict(apple="100", apple_num="2", orange="150", orange_num="3", tax="1.1")
    expr = "(apple*apple_num + orange*orange_num)*tax"
    exact = analyze(expr, values, exact=True)
    assert Lesson(exact).to_dict()["output"]["value"] == 715.0
    assert grads(exact) == {"apple": 2.2, "apple_num": 110.0, "orange": 3.3,
                            "orange_num": 165.0, "tax": 650.0}
    floats = analyze(expr, values)
    assert Lesson(floats).to_dict()["output"]["value"] == pytest.approx(715.0)
    assert Lesson(floats).to_dict()["output"]["value"] != 715.0  # why exact mode exists


def test_gates_add_distributes_mul_swaps_max_routes():
    d = explain("max(x*y, z + w)", dict(x="3", y="-4", z="2", w="-1")).to_dict()
    v = d["variables"]
    # max routes: z + w = 1 beats x*y = -12, so only z and w get the gradient
    assert (v["x"]["grad"], v["y"]["grad"]) == (0.0, 0.0)
    assert (v["z"]["grad"], v["w"]["grad"]) == (1.0, 1.0)
    d = explain("x*y", dict(x="3", y="-4")).to_dict()
    assert (d["variables"]["x"]["grad"], d["variables"]["y"]["grad"]) == (-4.0, 3.0)


def test_fan_out_x_times_x_is_one_node_with_two_edges_whose_shares_add():
    d = explain("x*x", {"x": "3"}).to_dict()
    x = next(n for n in d["nodes"] if n["op"] == "var")
    out_edges = [e for e in d["edges"] if e["source"] == x["id"]]
    assert len(out_edges) == 2 and [e["downstream"] for e in out_edges] == [3.0, 3.0]
    assert x["grad"] == 6.0


def test_relu_layer_blocks_negative_inputs():
    assert grads(analyze("relu(x)", {"x": "-2"})) == {"x": 0.0}
    assert grads(analyze("relu(x)", {"x": "3"})) == {"x": 1.0}


def test_seed_000_custom_multiply_backward_uses_grad_z_not_grad_x():
    # z = x*y; the buggy line was grad_y = x * grad_x; the right one is x * grad_z.
    d = explain("(x*y)*g", dict(x="2", y="3", g="5")).to_dict()
    mul = next(n for n in d["nodes"] if n["op"] == "mul" and n["text"] == "x*y")
    grad_z = mul["grad"]
    assert d["variables"]["y"]["grad"] == 2.0 * grad_z  # x * grad_z
    assert d["variables"]["y"]["grad"] != 2.0 * d["variables"]["x"]["grad"]  # not x * grad_x


@pytest.mark.parametrize("expr", ["9^9^9^9", "exp(exp(exp(exp(x))))", "((x^50)^50)^50",
                                  "(1+x)^" + "^".join(["2"] * 60)])
def test_exact_mode_never_reaches_unbounded_arithmetic(expr):
    import time
    start = time.perf_counter()
    d = explain(expr, {"x": "1.1"}, exact=True).to_dict()
    assert d["output"]["value"] == float("inf") and time.perf_counter() - start < 1.0


def test_every_gate_carries_its_backward_role_and_fan_out_is_marked():
    d = explain("max(x*y, x + 1)").to_dict()
    roles = {n["op"]: n.get("role") for n in d["nodes"]}
    assert (roles["add"], roles["mul"], roles["max"]) == ("add distributes", "mul swaps",
                                                          "max routes")
    x = next(n for n in d["nodes"] if n["text"] == "x")
    assert x["fan_out"] == 2 and x["fan_out_role"].startswith("fan-out adds")


def test_the_sigmoid_big_node_is_called_sigma_in_its_local_formula():
    d = explain("sigmoid(w0*x0 + w1*x1 + w2)", NEURON).to_dict()
    into_sigmoid = next(e for e in d["edges"] if e["target"] == d["output"]["id"])
    assert into_sigmoid["local_formula"] == "σ(1 − σ)"
    assert into_sigmoid["local_latex"] == r"\sigma \left(1 - \sigma\right)"
