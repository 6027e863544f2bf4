"""The numpy maths of the array ops: forwards and vector-Jacobian products.

A VJP takes the upstream gradient (the output's shape) and returns the downstream (the
operand's shape) without building the Jacobian, as CS231n's notes say frameworks do.
Signatures are (upstream, a, b, out) for every VJP, so backward treats all ops alike.
"""
from __future__ import annotations

import numpy as np


def unbroadcast(grad, shape: tuple) -> object:
    """Returns `grad` summed down to `shape`: the fan-out rule for broadcast operands. A
    gradient smaller than its operand (ce's target t when t is larger than p: the local
    -log p has p's shape) is first spread over the operand, as PyTorch does."""
    grad = np.asarray(grad, dtype=float)
    shape = tuple(shape)
    if grad.shape == shape:
        return grad if grad.ndim else float(grad)
    grad = np.broadcast_to(grad, np.broadcast_shapes(grad.shape, shape))
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad if grad.ndim else float(grad)


def cost_and_size(op, shapes: list[tuple]) -> tuple[int, int]:
    """Returns, before the work, a gate's element-operations and a bound on its output's
    size: m·k·n and m·n for a matrix product; the broadcast size for any other binary op
    (ValueError where the shapes do not broadcast); the operand's size for a unary op."""
    sizes = [int(np.prod(s)) for s in shapes]
    if op.name == "matmul":
        a, b = shapes
        if not a or not b:
            raise ValueError("@ needs two arrays; use * to scale by a number")
        m, k = (a if len(a) == 2 else (1, a[0]))
        k2, n = (b if len(b) == 2 else (b[0], 1))
        if k != k2:
            raise ValueError("matmul: core dimension mismatch")
        return max(m * k * n, 1), m * n
    if len(shapes) == 2:
        size = int(np.prod(np.broadcast_shapes(*shapes)))
        return max(size, 1), size
    return max(sizes[0], 1), sizes[0]


def transpose(a):
    return np.swapaxes(a, -1, -2) if np.ndim(a) >= 2 else a


def _as_matrices(a, b, up):
    """Returns a, b, upstream as 2-D, the way matmul treats a vector (torch and numpy)."""
    a2 = np.atleast_2d(a)
    b2 = b.reshape(-1, 1) if np.ndim(b) == 1 else b
    return a2, b2, np.reshape(up, (a2.shape[0], b2.shape[1]))


def matmul(a, b):
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        raise ValueError("@ needs two arrays; use * to scale by a number")
    return np.matmul(a, b)


def matmul_da(up, a, b, out):
    a2, b2, up2 = _as_matrices(a, b, up)
    return (up2 @ b2.T).reshape(np.shape(a))


def matmul_db(up, a, b, out):
    a2, b2, up2 = _as_matrices(a, b, up)
    return (a2.T @ up2).reshape(np.shape(b))


def vector_dot(a, b):
    if np.ndim(a) != 1 or np.ndim(b) != 1:
        raise ValueError("dot takes two vectors")
    return float(np.dot(a, b))


def softmax(a):
    shifted = np.exp(a - np.max(a))
    return shifted / shifted.sum()


def softmax_vjp(up, a, b, out):
    return out * (up - np.sum(up * out))


def amax_vjp(up, a, b, out):
    """The max routes the gradient to the largest element; ties share it evenly (torch.amax)."""
    winners = np.asarray(a) == out
    return up * winners / winners.sum()


def size(a) -> int:
    return int(np.size(a))


def mse(y, t):
    return float(np.mean((np.asarray(y) - t) ** 2))


def bce(p, t):
    return float(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))


def ce(p, t):
    return float(-np.sum(t * np.log(p)))
