"""Every op of the language over every shape of operand, against PyTorch in float64.

A generated table, not a hand-picked list: each op in engine.ops.OPS, each operand a
scalar, a vector or a matrix (including the broadcasting 1×3 and 2×1), binary ops in both
orders and over every pair, and two sets of values (positive, where every op is defined,
and of either sign). The engine and torch must agree on whether the shapes fit (a shape
the engine refuses is its own ChainruleError, never another exception) and, where they
do, on the value and every gradient. An array output is seeded with ones, as
out.sum().backward() is in torch.
"""
import itertools
import json

import numpy as np
import pytest

from chainrule.engine import ChainruleError, analyze
from chainrule.engine.graph import build_graph
from chainrule.engine.ops import OPS
from torch_oracle import replay

torch = pytest.importorskip("torch")

SHAPES = [(), (3,), (2, 3), (3, 2), (1, 3), (2, 1)]
SIGNS = ("positive", "signed")


def typed(op) -> str:
    """Returns how a person types the op over x (and y)."""
    if op.name == "neg":
        return "-x"
    if op.typed:
        return f"x {op.typed} y"
    return f"{op.name}(x, y)" if op.arity == 2 else f"{op.name}(x)"


def cases():
    for op in OPS.values():
        for shapes in itertools.product(SHAPES, repeat=op.arity):
            for sign in SIGNS:
                yield pytest.param(op.name, shapes, sign,
                                   id=f"{op.name}:{','.join(map(_shape, shapes))}:{sign}")


def _shape(shape) -> str:
    return "x".join(map(str, shape)) or "s"


def values_for(shapes, sign: str) -> dict[str, np.ndarray]:
    """Distinct values in (0.1, 0.9), so no op meets a tie or leaves its domain; `signed`
    flips every other one."""
    count = sum(int(np.prod(s)) for s in shapes)
    flat = 0.1 + 0.8 * (np.arange(count) * 0.6180339887 % 1.0)
    if sign == "signed":
        flat = flat * np.where(np.arange(count) % 2, -1.0, 1.0)
    out, start = {}, 0
    for name, shape in zip("xy", shapes):
        size = int(np.prod(shape))
        out[name] = flat[start:start + size].reshape(shape)
        start += size
    return out


def as_text(value: np.ndarray) -> str:
    return json.dumps(value.tolist()) if value.ndim else repr(float(value))


@pytest.mark.parametrize("name, shapes, sign", list(cases()))
def test_op_over_shapes_agrees_with_torch(name, shapes, sign):
    values = values_for(shapes, sign)
    expr = typed(OPS[name])
    leaves = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
              for k, v in values.items()}
    try:
        out = replay(torch, build_graph(expr), leaves)
        torch_error = None
    except RuntimeError as e:   # torch refuses the shapes
        torch_error = e
    try:
        ours = analyze(expr, {k: as_text(v) for k, v in values.items()})
    except ChainruleError as e:
        assert torch_error is not None, f"the engine refused what torch computes: {e.message}"
        return
    assert torch_error is None, f"the engine computed what torch refuses: {torch_error}"
    (out.sum() if out.dim() else out).backward() if out.requires_grad else None
    p = ours.numbers
    value = p.values[ours.graph.output]
    assert np.shape(value) == tuple(out.shape)
    assert np.allclose(value, out.detach().numpy(), rtol=1e-10, atol=1e-12, equal_nan=True)
    for var, index in ours.graph.variables.items():
        grad = leaves[var].grad
        expected = np.zeros(values[var].shape) if grad is None else grad.numpy()
        assert np.shape(p.grads[index]) == expected.shape, var
        assert np.allclose(p.grads[index], expected, rtol=1e-9, atol=1e-12, equal_nan=True), \
            (var, p.grads[index], expected)
    for e, edge in enumerate(ours.graph.edges):   # every edge's share has its source's shape
        assert np.shape(p.downstream[e]) == np.shape(p.values[edge.source])
