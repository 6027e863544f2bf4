"""from_torch: the graph behind a PyTorch result, with chainrule's numbers equal to PyTorch's own .grad."""

import pytest
import torch   # the oracle only (.ci/install installs it): chainrule never needs torch

import chainrule

SCALARS = {"x": 0.7, "y": -1.3, "w": 2.5}
VECTORS = {"v": [1.0, -2.0, 0.5], "u": [0.3, 0.8, -1.1]}
MATRICES = {"W": [[1.0, -2.0, 0.5], [0.3, 0.8, -1.1]], "M": [[0.5, -1.0], [2.0, 0.25]]}
# name -> a computation of the leaves (each op from_torch shows, alone and together)
COMPUTATIONS = {
    "add": lambda t: t.x + t.y, "add a number": lambda t: (t.x + 2) * t.y, "sub": lambda t: t.x - t.y,
    "sub a number": lambda t: (t.x - 0.1) ** 2, "number minus": lambda t: (3 - t.x) * t.w,
    "mul": lambda t: t.x * t.y, "mul a number": lambda t: 2 * t.x, "div": lambda t: t.x / t.y,
    "div by a number": lambda t: t.x / 4, "number over": lambda t: 2 / t.x, "neg": lambda t: -t.x * t.y,
    "pow by a number": lambda t: t.x**3 + t.y**-2, "square root power": lambda t: t.w**0.5,
    "pow of tensors": lambda t: t.w**t.x, "number to a power": lambda t: 2**t.x,
    "exp": lambda t: torch.exp(t.x * t.y), "log": lambda t: torch.log(t.w), "tanh": lambda t: torch.tanh(t.x),
    "sigmoid": lambda t: torch.sigmoid(t.x * t.w), "relu": lambda t: torch.relu(t.y) + torch.relu(t.x),
    "sin": lambda t: torch.sin(t.x), "cos": lambda t: torch.cos(t.y), "tan": lambda t: torch.tan(t.x),
    "sqrt": lambda t: torch.sqrt(t.w), "abs": lambda t: torch.abs(t.y),
    "maximum": lambda t: torch.maximum(t.x, t.y), "minimum": lambda t: torch.minimum(t.x, t.y),
    "a value used twice": lambda t: (lambda q: q * q + q)(t.x * t.y),
    "a number recovered through exp": lambda t: torch.exp(t.x + 1),
    "sum of a vector": lambda t: (t.v * t.u).sum(), "mean of a vector": lambda t: torch.relu(t.v).mean(),
    "dot": lambda t: torch.dot(t.v, t.u), "vector times a scalar": lambda t: (t.w * t.v).sum(),
    "vector elementwise ops": lambda t: (torch.sigmoid(t.v) * torch.tanh(t.u) + torch.exp(-t.v)).sum(),
    "vector squared error": lambda t: ((t.v - t.u) ** 2).mean(),
    "sigmoid neuron": lambda t: torch.sigmoid(t.w * t.x + t.y * t.x + t.w),
    "softmax": lambda t: (torch.softmax(t.v, 0) * t.u).sum(),
    "mse loss": lambda t: torch.nn.functional.mse_loss(t.w * t.v, t.u),
    "mse loss against data": lambda t: torch.nn.functional.mse_loss(t.v + t.u, torch.tensor([1.0, 0.0, 2.0], dtype=t.v.dtype)),
    "matrix-vector product": lambda t: torch.tanh(t.W @ t.v).sum(),
    "a layer written out": lambda t: torch.nn.functional.mse_loss(torch.sigmoid(t.M @ (t.W @ t.v)), t.u[1:].detach()),
    "matrix product and transpose": lambda t: torch.relu(t.W.T @ t.M).mean() + (t.W.t() @ t.v[:2].detach()).sum()
        + torch.transpose(t.M, 0, 1).sum(),
    "sigmoid and bce loss": lambda t: torch.nn.functional.binary_cross_entropy(torch.sigmoid(t.v),
                                                                                torch.tensor([0.0, 1.0, 1.0], dtype=t.v.dtype)),
}


class Leaves:
    def __init__(self, dtype):
        for name, value in {**SCALARS, **VECTORS, **MATRICES}.items():
            setattr(self, name, torch.tensor(value, dtype=dtype, requires_grad=True))

    def named(self) -> dict:
        return {name: getattr(self, name) for name in (*SCALARS, *VECTORS, *MATRICES)}


@pytest.mark.parametrize("dtype, rel", [(torch.float64, 1e-12), (torch.float32, 1e-5)], ids=["float64", "float32"])
@pytest.mark.parametrize("name", COMPUTATIONS)
def test_chainrule_gives_pytorchs_own_value_and_grad(name, dtype, rel):
    leaves = Leaves(dtype)
    out = COMPUTATIONS[name](leaves)
    graph = chainrule.from_torch(out, names=leaves.named())
    out.backward()
    assert graph.value == pytest.approx(out.item(), rel=rel, abs=rel)
    for leaf, grad in graph.grads.items():
        if leaf not in leaves.named():   # data (a loss's target): PyTorch keeps no gradient of it
            continue
        flat = torch.tensor(grad, dtype=torch.float64).flatten().tolist()   # matrices too
        assert flat == pytest.approx(getattr(leaves, leaf).grad.flatten().tolist(), rel=rel, abs=rel), leaf


def lecture_neuron():
    """The micrograd lecture's neuron in PyTorch, as the lecture writes it (float64, requires_grad)."""
    x1 = torch.Tensor([2.0]).double(); x1.requires_grad = True
    x2 = torch.Tensor([0.0]).double(); x2.requires_grad = True
    w1 = torch.Tensor([-3.0]).double(); w1.requires_grad = True
    w2 = torch.Tensor([1.0]).double(); w2.requires_grad = True
    b = torch.Tensor([6.8813735870195432]).double(); b.requires_grad = True
    n = x1 * w1 + x2 * w2 + b
    o = torch.tanh(n)
    return o, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, n=n, o=o)


def test_the_lectures_pytorch_neuron_comes_out_as_in_the_lecture():
    o, names = lecture_neuron()
    graph = chainrule.from_torch(o, names=names)
    assert graph.lesson.expr == "n = x1*w1 + x2*w2 + b; o = tanh(n)"
    o.backward()
    assert graph.value == pytest.approx([0.7071067], abs=1e-6)
    lecture = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for name, (grad,) in graph.grads.items():
        assert grad == pytest.approx(names[name].grad.item(), rel=1e-12, abs=1e-12)
        assert grad == pytest.approx(lecture[name], abs=1e-6)


READINGS = [   # a computation -> how the lecture writes it
    (lambda t: t.x / t.y, "x/y"), (lambda t: 2 / t.x, "2/x"), (lambda t: (t.x + 2) * t.y, "(x + 2)*y"),
    (lambda t: (t.x - 2) * t.y, "(x - 2)*y"), (lambda t: -t.x * t.y, "-x*y"), (lambda t: t.y**-2, "y^-2"),
    (lambda t: torch.exp(3 - t.x), "exp(3 - x)"), (lambda t: (t.x * 0.1).sum(), "sum(0.1*x)"),
    (lambda t: torch.dot(t.v, t.u), "dot(v, u)"),
]


@pytest.mark.parametrize("build, text", READINGS, ids=[r[1] for r in READINGS])
def test_pytorch_code_reads_as_lecture_maths(build, text):
    leaves = Leaves(torch.float32)
    assert chainrule.from_torch(build(leaves), names=leaves.named()).lesson.expr == text


def test_unnamed_leaves_are_named_a_b_c_and_data_tensors_are_variables():
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    data = torch.tensor([2.0, 3.0])
    graph = chainrule.from_torch(torch.sigmoid((w * data).sum()))
    assert graph.lesson.expr == "sigmoid(sum(a*b))"
    assert graph.to_dict()["variables"]["b"]["value"] == [2.0, 3.0]


def test_float32_numbers_read_as_typed():
    x = torch.tensor(0.1, requires_grad=True)
    graph = chainrule.from_torch(x * 3, names={"x": x})
    assert graph.to_dict()["variables"]["x"]["value"] == 0.1


def vector_plus_number_summed():
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    return (v + 2).sum()


REFUSED = [   # what from_torch cannot show, and the words that say so
    (lambda: torch.nn.Linear(2, 1)(torch.ones(3, 2)).sum(), "cannot show AddmmBackward0 (a linear layer on a batch)"),
    (lambda: torch.ones(2, 2, 2, requires_grad=True).permute(2, 0, 1).sum(), "PermuteBackward0 of a matrix only"),
    (lambda: torch.ones(3, requires_grad=True).sum(0), "cannot show SumBackward1 (a sum over a dimension)"),
    (lambda: torch.ones(3, requires_grad=True).double().sum(), "ToCopyBackward0"),
    (lambda: torch.ones(3, requires_grad=True)[0] * 2, "SelectBackward0 (indexing)"),
    (vector_plus_number_summed, "cannot recover the number in AddBackward0"),
    (lambda: torch.add(torch.ones(()), torch.ones((), requires_grad=True), alpha=2), "alpha=2"),
    (lambda: torch.tensor(2.0), "has no autograd graph"),
    (lambda: torch.nn.functional.mse_loss(torch.ones(2, requires_grad=True), torch.zeros(2), reduction="sum"),
     "MseLossBackward0 with reduction='mean'"),
    (lambda: torch.softmax(torch.ones(2, 2, requires_grad=True), 1).sum(), "softmax of a vector only"),
    (lambda: (torch.ones(2, 2, 2, requires_grad=True) * 2).sum(), "3 dimensions"),
]


@pytest.mark.parametrize("build, words", REFUSED, ids=[r[1] for r in REFUSED])
def test_what_from_torch_cannot_show_it_says_by_name(build, words):
    with pytest.raises(chainrule.ChainruleError, match=words.replace("(", r"\(").replace(")", r"\)")):
        chainrule.from_torch(build())


def test_from_torch_refuses_what_is_not_a_tensor_and_names_that_are_not_tensors():
    with pytest.raises(chainrule.ChainruleError, match="takes a torch tensor"):
        chainrule.from_torch(2.0)
    x = torch.tensor(1.0, requires_grad=True)
    with pytest.raises(chainrule.ChainruleError, match="names must map a name"):
        chainrule.from_torch(x * 2, names={x: "x"})


def test_without_pytorch_from_torch_says_to_install_it(tmp_path):
    """A Python that cannot import torch (a stub that refuses it, first on its path) gets the plain message."""
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "sitecustomize.py").write_text(
        "import sys\nclass Refuse:\n    def find_spec(self, name, *args):\n"
        "        if name == 'torch':\n            raise ModuleNotFoundError(\"No module named 'torch'\", name='torch')\n"
        "sys.meta_path.insert(0, Refuse())\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", "import chainrule; chainrule.from_torch(1.0)"], cwd=root,
                          capture_output=True, text=True, env={"PYTHONPATH": f"{tmp_path}:{root}", "PATH": "/usr/bin:/bin"})
    assert "PyTorch is not installed: pip install torch" in done.stderr
