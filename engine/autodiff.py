"""Forward and backward over a Graph: one loop each over the tape, for every kind of number.

Both loops walk the nodes in topological order (backward in reverse); every edge gets its
upstream, local and downstream, and a node's grad is the sum of the downstreams of its
outgoing edges (fan-out adds). What differs between kinds of number is a strategy object:
how a leaf's value is made, how a gate computes its value, how it applies its local
gradients to the upstream and sums them down to each operand's shape, how shares add.
`Floats` and `Arrays` are here; exact fractions are `exact.Fractions`. A strategy has
leaf(node, inputs) and gate(node, op, args) -> value; start_backward(values);
shares(inputs, op, values, index, up) -> (local, downstream) per operand, flat;
add(so_far, share); zero(value); context() around each loop.

Scalars are Python floats, several times faster one at a time than numpy scalars; where
Python raises instead of giving inf or nan (exp overflow, log 0, 1/0, a negative base to a
fractional power) or an input is not finite, the op's numpy rule answers, so non-finite
results flow on instead of stopping the pass.
"""
from __future__ import annotations

import operator
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np

from .arrays import cost_and_size, unbroadcast
from .errors import ChainruleError, LimitError
from .graph import Graph
from .ops import OPS
from .values import MAX_ARRAY_ELEMENTS

_FALLBACK = (ArithmeticError, ValueError, TypeError)
# One forward pass over arrays may do this many element-operations (the sum of its gates'
# output sizes; m·k·n for a matrix product). Backward costs a small multiple of forward
# (each gate's local and its product with the upstream, or two products for @).
MAX_ELEMENT_OPS = 2_000_000
# The answer may hold this many numbers (node values and grads, edge upstream, local and
# downstream, the variables and their gradient check): about 5 MB of JSON.
MAX_ANSWER_NUMBERS = 200_000


@dataclass
class Pass:
    """The numbers of one forward and backward pass."""

    values: list          # per node
    grads: list           # per node: dL/dnode
    upstream: list        # per edge: dL/dtarget
    local: list           # per edge: dtarget/dsource (None for an array op: never built)
    downstream: list      # per edge: upstream * local


def forward(graph: Graph, inputs_by_name: dict[str, object], numbers=None) -> list:
    """Returns every node's value, given the variables' values by name (floats by default)."""
    numbers = numbers if numbers is not None else Floats()
    values: list = [None] * len(graph.nodes)
    leaf, gate = numbers.leaf, numbers.gate
    with numbers.context():
        for index, node in enumerate(graph.nodes):
            inputs = node.inputs
            if not inputs:
                values[index] = leaf(node, inputs_by_name)
            elif len(inputs) == 1:
                values[index] = gate(node, OPS[node.op], (values[inputs[0]],))
            else:
                values[index] = gate(node, OPS[node.op], (values[inputs[0]], values[inputs[1]]))
    return values


def backward(graph: Graph, values: list, numbers=None, seed=1.0) -> Pass:
    """Returns the forward values with every grad and every edge's three numbers, starting
    from `seed` (dL/d output) at the output."""
    numbers = numbers if numbers is not None else Floats()
    nodes, edges_of, n_edges = graph.nodes, graph.in_edges, len(graph.edges)
    grads: list = [None] * len(nodes)   # None: no share has arrived yet
    grads[graph.output] = seed
    upstream, local, downstream = [None] * n_edges, [None] * n_edges, [None] * n_edges
    numbers.start_backward(values)
    shares_of, add = numbers.shares, numbers.add
    with numbers.context():
        for index in range(len(nodes) - 1, -1, -1):
            node = nodes[index]
            inputs = node.inputs
            if not inputs:
                continue
            up = grads[index]
            if up is None:
                up = grads[index] = numbers.zero(values[index])
            # (local, downstream) per operand; unrolled, as every op has one or two operands
            if len(inputs) == 1:
                loc, down = shares_of(inputs, OPS[node.op], values, index, up)
            else:
                loc, down, loc_b, down_b = shares_of(inputs, OPS[node.op], values, index, up)
            edges, source = edges_of[index], inputs[0]
            upstream[edges[0]], local[edges[0]], downstream[edges[0]] = up, loc, down
            so_far = grads[source]  # fan-out: the shares add up
            grads[source] = down if so_far is None else add(so_far, down)
            if len(inputs) > 1:
                source = inputs[1]
                upstream[edges[1]], local[edges[1]], downstream[edges[1]] = up, loc_b, down_b
                so_far = grads[source]
                grads[source] = down_b if so_far is None else add(so_far, down_b)
    for index, grad in enumerate(grads):
        if grad is None:
            grads[index] = numbers.zero(values[index])
    return Pass(values, grads, upstream, local, downstream)


def numpy_rule(rule, *args) -> float:
    """Returns the numpy rule's answer: inf and nan where Python floats would raise."""
    with np.errstate(all="ignore"):
        return float(rule(*(None if x is None else np.float64(x) for x in args)))


class Floats:
    """Python floats while everything is finite; the op's numpy rule from the first inf or
    nan on, and wherever Python raises."""

    def __init__(self):
        self.fast = True

    def context(self):
        return nullcontext()

    def leaf(self, node, inputs_by_name):
        return float(inputs_by_name[node.text]) if node.op == "var" else node.const

    def gate(self, node, op, args):
        if self.fast:
            try:
                value = op.fast_forward(*args)
                if value - value == 0 and value.__class__ is not complex:
                    return value
            except _FALLBACK:
                pass
        value = numpy_rule(op.forward, *args)
        self.fast = self.fast and value - value == 0
        return value

    def start_backward(self, values: list) -> None:
        """Python floats where every value is finite, numpy's rules throughout otherwise."""
        self.fast = all(v - v == 0 for v in values)
        self.shares = self.fast_shares if self.fast else self.numpy_shares

    def fast_shares(self, inputs, op, values, index, up):
        """Returns (local, downstream) of each operand of the gate at `index`, flat."""
        a = values[inputs[0]]
        b = values[inputs[1]] if len(inputs) > 1 else None
        out = values[index]
        try:
            locals_ = op.fast_locals
            if locals_.__class__ is not tuple:
                locals_ = locals_(a, b, out)
            if b is None:
                loc = locals_[0]
                if loc - loc == 0:
                    return loc, up * loc
            else:
                loc, loc_b = locals_
                if loc - loc == 0 and loc_b - loc_b == 0:
                    return loc, up * loc, loc_b, up * loc_b
        except _FALLBACK:
            pass
        return self.numpy_shares(inputs, op, values, index, up)

    @staticmethod
    def numpy_shares(inputs, op, values, index, up):
        a = values[inputs[0]]
        b = values[inputs[1]] if len(inputs) > 1 else None
        out = values[index]
        # inf * 0 is nan for floats too, never an exception
        return tuple(x for rule in op.local_fns for loc in [numpy_rule(rule, a, b, out)]
                     for x in (loc, up * loc))

    add = staticmethod(operator.add)   # a C function: called once per fan-in share

    @staticmethod
    def zero(value):
        return 0.0


class Arrays:
    """numpy where some values are arrays. Before each gate it counts the work and the answer
    and refuses past the limits (None: no limit, for a library caller with big arrays);
    a shape error names both shapes and where the gate was typed. Elementwise gates multiply
    the upstream by their local gradient and sum it down to the operand's shape; array ops
    apply their vector-Jacobian products. No Jacobian is ever built."""

    def __init__(self, graph: Graph, max_elements: int | None = MAX_ARRAY_ELEMENTS,
                 max_element_ops: int | None = MAX_ELEMENT_OPS,
                 max_answer: int | None = MAX_ANSWER_NUMBERS):
        self.graph = graph
        self.max_elements, self.max_element_ops, self.max_answer = \
            max_elements, max_element_ops, max_answer
        self.element_ops = 0       # of the forward so far
        self.answer_numbers = 0    # numbers the answer will hold, so far

    def context(self):
        return np.errstate(all="ignore")

    def leaf(self, node, inputs_by_name):
        if node.op == "const":
            self._count_answer(2, node)
            return node.const
        value = inputs_by_name[node.text]
        # its node's value and grad, the variables' value and grad, the check's two
        self._count_answer(6 * np.size(value), node)
        return value

    def gate(self, node, op, args):
        args = tuple(map(_numpy, args))   # numpy's inf and nan, never Python's ZeroDivisionError
        try:
            cost, size = cost_and_size(op, [np.shape(a) for a in args])
            if self.max_elements is not None and size > self.max_elements:
                raise LimitError(f"{op.name} at {node.start} would make {size} numbers; an array "
                                 f"may hold {self.max_elements}", node.start)
            self.element_ops += cost
            if self.max_element_ops is not None and self.element_ops > self.max_element_ops:
                raise LimitError(f"the arrays need more than {self.max_element_ops:,} element "
                                 f"operations (at {node.start}); that is the limit", node.start)
            value = op.forward(*args)
        except ChainruleError:
            raise
        except ValueError as e:
            raise ChainruleError(_shape_message(self.graph, node, args, e), node.start) from None
        # its value and grad; per operand the edge's upstream, local (elementwise), downstream
        size = np.size(value)
        self._count_answer(2 * size + sum((2 if op.elementwise else 1) * size + np.size(a)
                                          for a in args), node)
        return value if value.__class__ is np.ndarray and value.ndim else float(value)

    def _count_answer(self, numbers: int, node) -> None:
        self.answer_numbers += int(numbers)
        if self.max_answer is not None and self.answer_numbers > self.max_answer:
            raise LimitError(f"the answer would hold more than {self.max_answer:,} numbers "
                             f"({self.answer_numbers:,} by the gate at {node.start}: every "
                             "node's value and gradient, every edge's three): use smaller "
                             "arrays or fewer gates", node.start)

    def start_backward(self, values: list) -> None:
        pass

    def shares(self, inputs, op, values, index, up):
        a = _numpy(values[inputs[0]])
        b = _numpy(values[inputs[1]]) if len(inputs) > 1 else None
        out, up = _numpy(values[index]), _numpy(up)
        shares = ()
        for operand, source in enumerate(inputs):
            shape = np.shape(values[source])
            if op.elementwise:
                loc = op.local_fns[operand](a, b, out)
                loc = np.broadcast_to(loc, np.shape(out)).astype(float) if np.ndim(out) \
                    else float(loc)
                down = unbroadcast(np.multiply(up, loc), shape)
            else:
                loc = None
                down = unbroadcast(op.vjps[operand](up, a, b, out), shape)
            if np.shape(down) != shape:  # an engine bug, never the person's: not a 4xx
                raise AssertionError(f"{op.name}'s gradient to operand {operand} has shape "
                                     f"{np.shape(down)}, not its operand's {shape}")
            shares += (loc, down)
        return shares

    add = staticmethod(operator.add)   # a new array: `share` is also an edge's downstream

    @staticmethod
    def zero(value):
        return np.zeros(value.shape) if value.__class__ is np.ndarray else 0.0


def _numpy(x):
    """Returns a Python float as numpy's float64, whose maths gives inf and nan, not errors."""
    return np.float64(x) if x.__class__ is float else x


def _shape_message(graph: Graph, node, args, error: Exception) -> str:
    """Returns "W (3×2) @ x (3) at 5: ..." for an op whose operands' shapes don't fit."""
    op = OPS[node.op]
    described = [f"{_short(graph.nodes[i])} ({shape_text(np.shape(v))})" for i, v in zip(node.inputs, args)]
    what = f" {op.typed} ".join(described) if op.typed else f"{op.name}({', '.join(described)})"
    message = str(error)
    reason = ("inner dimensions differ" if "core dimension" in message else
              "the shapes cannot be broadcast together" if "broadcast" in message else message)
    return f"{what} at {node.start}: {reason}"


def _short(node) -> str:
    """Returns how a message names an operand: its statement name, its text, or its text's start and "…"."""
    return node.name or (node.text if len(node.text) <= 16 else f"({node.text[:14].rstrip()}…)")


def shape_text(shape: tuple) -> str:
    """Returns (3, 2) as "3×2", () as "scalar"."""
    return "×".join(map(str, shape)) if shape else "scalar"
