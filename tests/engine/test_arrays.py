"""Vectors and matrices: the seeds' examples with their numbers, and PyTorch as the oracle."""
import json

import numpy as np
import pytest

from chainrule.engine import ChainruleError, analyze, Lesson, explain
from torch_oracle import replay

CS231N_W = "[[0.1, 0.5], [-0.3, 0.8]]"


def grads(expr, values, **options):
    d = explain(expr, values, **options).to_dict()
    return {name: np.array(v["grad"]) for name, v in d["variables"].items()}


def test_relu_on_a_vector_with_a_given_upstream_gives_4_0_5_0():
    g = grads("relu(x)", {"x": "[1,-2,3,-1]"}, upstream="[4,-1,5,9]")
    assert g["x"].tolist() == [4, 0, 5, 0]


def test_relu_written_out_as_sum_of_upstream_times_relu_gives_the_same():
    g = grads("sum(g*relu(x))", {"g": "[4,-1,5,9]", "x": "[1,-2,3,-1]"})
    assert g["x"].tolist() == [4, 0, 5, 0]


@pytest.mark.parametrize("expr", ["2*dot(x, x)", "2*(x @ x)", "2*(transpose(x) @ x)"])
def test_d2l_y_is_2_xT_x_and_its_gradient_is_4x(expr):
    d = explain(expr, {"x": "[0,1,2,3]"}).to_dict()
    assert d["output"]["value"] == 28.0
    assert d["variables"]["x"]["grad"] == [0.0, 4.0, 8.0, 12.0]


def test_cs231n_q_is_Wx_f_is_norm_squared_gives_2qxT_and_2WTq():
    d = explain("sqnorm(W @ x)", {"W": CS231N_W, "x": "[0.2, 0.4]"}).to_dict()
    W, x = np.array(json.loads(CS231N_W)), np.array([0.2, 0.4])
    q = W @ x
    assert np.allclose(d["variables"]["W"]["grad"], 2 * np.outer(q, x))  # [[.088,.176],[.104,.208]]
    assert np.allclose(d["variables"]["x"]["grad"], 2 * W.T @ q)         # [-0.112, 0.636]
    matmul_edges = [e for e in d["edges"] if e["target"] == d["nodes"][2]["id"]]
    assert [e["local_formula"] for e in matmul_edges] == ["·x^T", "W^T·"]
    assert all(e["local"] is None for e in matmul_edges)  # described, never built


def test_d2l_detach_u_is_x_times_x_then_z_is_sum_u_times_x_gives_u():
    d = explain("sum(detach(x*x)*x)", {"x": "[0,1,2,3]"}).to_dict()
    assert d["variables"]["x"]["grad"] == [0.0, 1.0, 4.0, 9.0]  # u, not 3x^2
    assert "detach stops" in d["gradcheck"]["x"]["note"]


def test_nodes_carry_shapes_and_edges_carry_their_ends_shapes():
    d = explain("W @ x", {"W": "[[1,2,3],[4,5,6]]", "x": "[1,0,-1]"}).to_dict()
    shapes = {n["id"]: n["shape"] for n in d["nodes"]}
    assert [n["shape"] for n in d["nodes"]] == [[2, 3], [3], [2]]
    for e in d["edges"]:
        assert np.shape(e["upstream"]) == tuple(shapes[e["target"]])
        assert np.shape(e["downstream"]) == tuple(shapes[e["source"]])


@pytest.mark.parametrize("expr, values, message, offset", [
    ("W @ x", {"W": "[[1,2],[3,4],[5,6]]", "x": "[1,2,3]"},
     "W (3×2) @ x (3) at 0: inner dimensions differ", 0),
    ("y + W @ x", {"W": "[[1,2],[3,4],[5,6]]", "x": "[1,2,3]"}, "at 4: inner dimensions", 4),
    ("x + y", {"x": "[1,2,3]", "y": "[1,2]"}, "x (3) + y (2) at 0: the shapes cannot be", 0),
    ("x @ 2", {"x": "[1,2]"}, "@ needs two arrays", 0),
    ("dot(x, y)", {"x": "[[1]]", "y": "[1]"}, "dot takes two vectors", 0),
    ("x*2", {"x": "[1,2]"}, None, None),
    # an operand is named as the student wrote it: its statement name, or its text shortened; never an id
    ("h = y + y + y + y + y + y; W @ h", {"W": "[[1,2],[3,4]]", "y": "[1,2,3]"}, "W (2×2) @ h (3) at 27", 27),
    ("W @ (y + y + y + y + y + y)", {"W": "[[1,2],[3,4]]", "y": "[1,2,3]"},
     "W (2×2) @ (y + y + y + y…) (3) at 0", 0),
])
def test_shape_errors_name_both_shapes_and_the_position(expr, values, message, offset):
    if message is None:
        assert explain(expr, values).to_dict()["output"]["value"] == [2.0, 4.0]
        return
    with pytest.raises(ChainruleError) as caught:
        analyze(expr, values)
    assert message in caught.value.message and caught.value.offset == offset


def test_exact_mode_refuses_arrays_plainly():
    with pytest.raises(ChainruleError, match="exact arithmetic works on numbers only"):
        analyze("sum(x)", {"x": "[1,2]"}, exact=True)


TWO_LAYER = "mse(W2 @ relu(W1 @ x), y) + lam*(sqnorm(W1) + sqnorm(W2))"
SEED_004 = "mse(sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2) @ W3 + b3, t)"


def _random_values(rng, shapes: dict) -> dict:
    return {name: json.dumps(np.round(rng.uniform(-1, 1, shape), 3).tolist()) if shape
            else str(round(float(rng.uniform(0.1, 1)), 3)) for name, shape in shapes.items()}


CASES = [
    (TWO_LAYER, {"W1": (4, 3), "W2": (2, 4), "x": (3,), "y": (2,), "lam": ()}),
    (SEED_004, {"x": (1, 3), "W1": (3, 4), "b1": (4,), "W2": (4, 4), "b2": (4,), "W3": (4, 2),
                "b3": (2,), "t": (1, 2)}),
    ("ce(softmax(W @ x + b), t)", {"W": (3, 4), "x": (4,), "b": (3,), "t": (3,)}),
    ("bce(sigmoid(dot(w, x) + b), t)", {"w": (5,), "x": (5,), "b": (), "t": ()}),
    ("amax(tanh(x) * y) + mean(exp(x) / (1 + abs(y)))", {"x": (6,), "y": (6,)}),
    ("norm(transpose(A) @ B - 2*C)", {"A": (3, 2), "B": (3, 4), "C": (2, 4)}),
    ("sum(x*x) - max(min(x, y), 0.1)", {"x": (), "y": ()}),
]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("expr, shapes", CASES, ids=[c[0][:30] for c in CASES])
def test_gradients_agree_with_pytorch_in_float64(expr, shapes, seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    values = _random_values(rng, shapes)
    if "t" in shapes:  # targets: probabilities
        values["t"] = json.dumps(np.round(rng.uniform(0.05, 0.95, shapes["t"]), 3).tolist()) \
            if shapes["t"] else "0.3"
    a = analyze(expr, values)
    leaves = {name: torch.tensor(json.loads(values[name]), dtype=torch.float64,
                                 requires_grad=True) for name in a.graph.variables}
    out = replay(torch, a.graph, leaves)
    out.backward()
    ours = Lesson(a).to_dict()
    assert np.allclose(ours["output"]["value"], out.item(), rtol=1e-10)
    for name, leaf in leaves.items():
        assert np.allclose(ours["variables"][name]["grad"], leaf.grad.numpy(), rtol=1e-9,
                           atol=1e-12), name
    assert all(check["rel_error"] < 1e-5 for check in ours["gradcheck"].values())


@pytest.mark.parametrize("expr, values, message", [
    ("a @ b", {"a": json.dumps([[1]] * 200), "b": json.dumps([[1] * 200])},
     "matmul at 0 would make 40000 numbers"),
    ("a + b", {"a": json.dumps([[1]] * 200), "b": json.dumps([list(range(200))])},
     "add at 0 would make 40000 numbers"),
    ("*".join(["x"] * 100), {"x": json.dumps([1] * 9000, separators=(",", ":"))}, "the answer would hold more than 200,000 numbers"),
])
def test_arrays_too_large_to_show_are_refused_before_numpy_allocates_them(expr, values, message):
    with pytest.raises(ChainruleError, match=message):
        analyze(expr, values)


def test_long_subexpressions_are_cut_in_the_json_so_it_stays_linear():
    d = explain("+".join(["x"] * 2000)).to_dict()
    assert max(len(n["text"]) for n in d["nodes"]) <= 120
    assert d["expr"].count("x") == 2000


def test_jacobian_descriptions_are_latex_katex_can_read():
    d = explain("sum(softmax(relu(x)))", {"x": "[1,-2]"}).to_dict()
    latex = [e["local_latex"] for e in d["edges"]]
    assert latex == [r"\operatorname{diag}\left(\mathbb{1}[x > 0]\right)",
                     r"\operatorname{diag}(s) - s s^{T}", r"1 \ \text{(each element)}"]
    assert d["variables"]["x"]["grad"][1] == 0.0 and str(d["variables"]["x"]["grad"][1]) == "0.0"


@pytest.mark.parametrize("loss", ["ce", "bce", "mse"])
def test_a_target_larger_than_the_prediction_gets_a_gradient_of_its_own_shape_as_in_pytorch(loss):
    torch = pytest.importorskip("torch")
    values = {"p": "[0.2, 0.5, 0.3]", "t": "[[0.1, 0.6, 0.3], [0.7, 0.2, 0.1]]"}
    a = analyze(f"{loss}(p, t)", values)
    leaves = {k: torch.tensor(json.loads(v), dtype=torch.float64, requires_grad=True)
              for k, v in values.items()}
    replay(torch, a.graph, leaves).backward()
    for name, index in a.graph.variables.items():
        assert np.shape(a.numbers.grads[index]) == tuple(leaves[name].shape)
        assert np.allclose(a.numbers.grads[index], leaves[name].grad.numpy(), rtol=1e-12)
