"""The gradient check: central finite differences beside the analytic gradient.

Each checked position costs two forward passes, so the check is budgeted in element-
operations: a forward pass over arrays costs its element-operations (the Arrays strategy
counts them) plus a fixed overhead per gate, a forward over floats a fixed cost per gate.
Past the budget, a deterministic sample of positions spread evenly over all the variables'
elements is checked, and each variable says how many: "checked": 12, "of": 9900.

Over scalars the two passes of every checked variable run as one forward pass over "lanes":
each variable is an array holding its value in every lane but its own two, where it is moved
up and down by its step, so a gate's numpy rule does the whole check's work at once (a
1,000-gate graph of 16 variables: 32 scalar passes, ~10 ms, become one of ~1 ms).
"""
from __future__ import annotations

import math

import numpy as np

from .autodiff import Arrays, Pass, forward
from .errors import ChainruleError
from .graph import Graph

# What the finite differences of one request may cost, in element-operations (~3 ns each
# here: an add ~1 ns, a pow or tan ~8 ns per element): about 0.1 to 0.3 s of CPU.
GRADCHECK_ELEMENT_OPS = 30_000_000
ARRAY_GATE_COST = 5_000     # what a numpy gate costs before its first element (~15 µs)
FLOAT_GATE_COST = 100       # a gate over Python floats (~0.3 µs), in the same unit
STEP = 1e-6                 # the finite difference step, relative to the value


def gradcheck(graph: Graph, inputs: dict, numbers: Pass, seed=1.0, arrays: bool = False,
              element_ops: int = 0, budget: int | None = None) -> dict:
    """Returns, per variable, the analytic grad beside central differences (step 1e-6
    relative to the value) and rel_error, the largest over its checked elements of
    |a - n| / max(|a|, |n|, 1e-8); numeric is None at an element not checked. An array
    output is checked through sum(seed * output). `element_ops` is what one forward pass
    over arrays did (Arrays.element_ops); empty when not even one position fits `budget`.
    """
    budget = GRADCHECK_ELEMENT_OPS if budget is None else budget
    gates = sum(1 for node in graph.nodes if node.inputs)
    per_forward = element_ops + gates * ARRAY_GATE_COST if arrays else gates * FLOAT_GATE_COST
    sizes = {name: int(np.size(inputs[name])) for name in graph.variables}
    total = sum(sizes.values())
    affordable = budget // max(2 * per_forward, 1)
    if affordable == 0 or total == 0:
        return {}
    chosen = _spread(total, affordable)
    if not arrays:   # every variable a scalar, so a position is a variable
        names = list(graph.variables)
        return _check_lanes(graph, inputs, numbers, [names[p] for p in chosen])
    result, offset = {}, 0
    for name, index in graph.variables.items():
        positions = [p - offset for p in chosen if offset <= p < offset + sizes[name]]
        offset += sizes[name]
        if positions:
            result[name] = _check(graph, inputs, numbers.grads[index], seed, arrays, name,
                                  positions)
    return result


def _spread(total: int, count: int) -> list[int]:
    """Returns `count` positions of range(total) spread evenly, ends included (all if fewer)."""
    if count >= total:
        return list(range(total))
    return sorted(set(np.linspace(0, total - 1, count).round().astype(int).tolist()))


def _check(graph, inputs, grad, seed, arrays, name, positions) -> dict:
    x = np.asarray(inputs[name], dtype=float)
    numeric = np.full(x.shape, np.nan)
    for flat in positions:
        position = np.unravel_index(flat, x.shape) if x.ndim else ()
        h = STEP * max(1.0, abs(float(x[position])))
        ends = []
        for step in (h, -h):
            shifted = x.copy()
            shifted[position] += step
            moved = dict(inputs, **{name: shifted if x.ndim else float(shifted)})
            try:
                out = forward(graph, moved, Arrays(graph) if arrays else None)[graph.output]
                ends.append(np.sum(np.multiply(seed, out)))
            except ChainruleError:
                ends.append(math.nan)
        with np.errstate(all="ignore"):
            numeric[position] = (ends[0] - ends[1]) / (2 * h)
    analytic = np.asarray(grad, dtype=float)
    checked = np.zeros(x.shape, dtype=bool)
    for flat in positions:
        checked[np.unravel_index(flat, x.shape) if x.ndim else ()] = True
    with np.errstate(all="ignore"):
        scale = np.maximum(np.maximum(abs(analytic), abs(numeric)), 1e-8)
        error = float(np.max((abs(analytic - numeric) / scale)[checked]))
    return {"analytic": _num(analytic), "numeric": _num(numeric, checked),
            "rel_error": error, "checked": len(positions), "of": int(x.size)} | _detach_note(graph)


class _Lanes:
    """A forward strategy over lanes: a variable's value is its lanes, a gate is its numpy rule."""

    def context(self):
        return np.errstate(all="ignore")

    @staticmethod
    def leaf(node, lanes_by_name):   # a constant as numpy's float64: 2^2^…^2 is inf, not Python's OverflowError
        return lanes_by_name[node.text] if node.op == "var" else np.float64(node.const)

    @staticmethod
    def gate(node, op, args):
        return op.forward(*args)


def _check_lanes(graph, inputs, numbers, names) -> dict:
    """Returns the check of the scalar variables `names`, in one forward pass: lanes 2k and
    2k + 1 hold names[k] moved up and down by its step."""
    lanes = {name: np.full(2 * len(names), float(value)) for name, value in inputs.items()}
    steps = np.empty(len(names))
    for k, name in enumerate(names):
        x = float(inputs[name])
        h = steps[k] = STEP * max(1.0, abs(x))
        lanes[name][2 * k] = x + h
        lanes[name][2 * k + 1] = x - h
    try:
        out = np.broadcast_to(forward(graph, lanes, _Lanes())[graph.output], (2 * len(names),))
    except ChainruleError:
        out = np.full(2 * len(names), np.nan)
    with np.errstate(all="ignore"):
        numeric = (out[0::2] - out[1::2]) / (2 * steps)
        analytic = np.array([float(numbers.grads[graph.variables[name]]) for name in names])
        scale = np.maximum(np.maximum(abs(analytic), abs(numeric)), 1e-8)
        errors = abs(analytic - numeric) / scale
    note = _detach_note(graph)
    return {name: {"analytic": float(analytic[k]) + 0.0, "numeric": float(numeric[k]) + 0.0,
                   "rel_error": float(errors[k]), "checked": 1, "of": 1} | note
            for k, name in enumerate(names)}


def _detach_note(graph) -> dict:
    if any(node.op == "detach" for node in graph.nodes):
        return {"note": "detach stops gradients that finite differences still see: "
                        "a difference here is the point of detach"}
    return {}


def _num(x: np.ndarray, checked: np.ndarray | None = None):
    """Returns a float or nested lists of floats; None where an element was not checked."""
    if x.ndim == 0:
        return float(x) + 0.0
    values = (x + 0.0).tolist()
    if checked is None or checked.all():
        return values
    return _blank(values, checked.tolist())


def _blank(values, checked):
    if isinstance(values, list):
        return [_blank(v, c) for v, c in zip(values, checked)]
    return values if checked else None
