"""Forward and backward over a Graph: one pass each, in topological order.

Scalars are computed as Python floats (0-d values), which is several times faster one at
a time than numpy scalars; where Python raises instead of giving inf or nan (exp overflow,
log 0, 1/0, a negative base to a fractional power) or an input is not finite, the op's
numpy rule answers, so non-finite results flow on instead of stopping the pass. Every
edge gets its upstream, local and downstream; a node's grad is the sum of the downstreams
of its outgoing edges (fan-out adds).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import unbroadcast
from .errors import ChainruleError, LimitError
from .values import MAX_ARRAY_ELEMENTS
from .graph import Graph
from .ops import OPS

_FALLBACK = (ArithmeticError, ValueError, TypeError)
MAX_TOTAL_ELEMENTS = 200_000   # numbers in all of a graph's values: bounds memory and JSON


@dataclass
class Pass:
    """The numbers of one forward and backward pass."""

    values: list          # per node
    grads: list           # per node: dL/dnode
    upstream: list        # per edge: dL/dtarget
    local: list           # per edge: dtarget/dsource
    downstream: list      # per edge: upstream * local


def numpy_rule(rule, *args) -> float:
    """Returns the numpy rule's answer: inf and nan where Python floats would raise."""
    with np.errstate(all="ignore"):
        return float(rule(*(None if x is None else np.float64(x) for x in args)))


def forward(graph: Graph, inputs_by_name: dict[str, object]) -> list:
    """Returns every node's value, given the variables' values by name."""
    values: list = [0.0] * len(graph.nodes)
    fast = True   # floats while everything is finite; numpy from the first inf or nan on
    for index, node in enumerate(graph.nodes):
        inputs = node.inputs
        if not inputs:
            values[index] = float(inputs_by_name[node.text]) if node.op == "var" else node.const
            continue
        op = OPS[node.op]
        args = (values[inputs[0]],) if len(inputs) == 1 else (values[inputs[0]], values[inputs[1]])
        value = None
        if fast:
            try:
                value = op.fast_forward(*args)
            except _FALLBACK:
                pass
        if value is None or value - value != 0 or value.__class__ is complex:
            value = numpy_rule(op.forward, *args)
            fast = fast and value - value == 0
        values[index] = value
    return values


def backward(graph: Graph, values: list) -> Pass:
    """Returns the forward values with every grad and every edge's three numbers."""
    nodes, edges = graph.nodes, graph.edges
    grads: list = [0.0] * len(nodes)
    grads[graph.output] = 1.0
    n_edges = len(edges)
    upstream, local, downstream = [0.0] * n_edges, [0.0] * n_edges, [0.0] * n_edges
    fast = all(v - v == 0 for v in values)
    for index in range(len(nodes) - 1, -1, -1):
        node = nodes[index]
        if not node.inputs:
            continue
        op = OPS[node.op]
        inputs = node.inputs
        args = (values[inputs[0]], values[inputs[1]] if len(inputs) > 1 else None, values[index])
        up = grads[index]
        for edge_index in graph.in_edges[index]:
            edge = edges[edge_index]
            loc = None
            if fast:
                rule = op.fast_local_fns[edge.operand]
                if rule.__class__ is float:
                    loc = rule
                elif rule.__class__ is int:
                    loc = args[rule]
                else:
                    try:
                        loc = rule(*args)
                    except _FALLBACK:
                        pass
            if loc is None or loc - loc != 0:
                loc = numpy_rule(op.local_fns[edge.operand], *args)
            down = up * loc  # inf * 0 is nan for floats too, never an exception
            upstream[edge_index], local[edge_index], downstream[edge_index] = up, loc, down
            grads[edge.source] += down  # fan-out: the shares add up
    return Pass(values, grads, upstream, local, downstream)


def _is_array(x) -> bool:
    return x.__class__ is np.ndarray


def forward_arrays(graph: Graph, inputs_by_name: dict[str, object],
                   max_elements: int | None = MAX_ARRAY_ELEMENTS,
                   max_total: int | None = MAX_TOTAL_ELEMENTS) -> list:
    """Returns every node's value where some are arrays: numpy throughout, and a shape
    error names both shapes and where the gate was typed. The size limits guard a
    request; a library caller with big arrays (bench/matrix.py) may pass None."""
    values: list = [0.0] * len(graph.nodes)
    total = 0
    with np.errstate(all="ignore"):
        for index, node in enumerate(graph.nodes):
            if node.op == "var":
                values[index] = inputs_by_name[node.text]
                continue
            if node.op == "const":
                values[index] = node.const
                continue
            op = OPS[node.op]
            args = [values[i] for i in node.inputs]
            try:
                if max_elements is not None:
                    _check_size(op, args, node.start, max_elements)
                value = op.forward(*args)
            except ChainruleError:
                raise
            except ValueError as e:
                raise ChainruleError(_shape_message(graph, node, args, e), node.start) from None
            values[index] = value if _is_array(value) and value.ndim else float(value)
            total += np.size(value)
            if max_total is not None and total > max_total:
                raise LimitError(f"the graph holds more than {max_total} numbers at "
                                 f"{node.start}; that is the limit", node.start)
    return values


def _check_size(op, args: list, start: int, max_elements: int) -> None:
    """Refuses, before numpy allocates it, a result larger than `max_elements`: only a
    matrix product and broadcasting make arrays larger than their operands."""
    shapes = [np.shape(a) for a in args]
    if op.name == "matmul" and all(len(s) >= 1 for s in shapes):
        size = (shapes[0][0] if len(shapes[0]) == 2 else 1) * \
               (shapes[1][-1] if len(shapes[1]) == 2 else 1)
    elif op.elementwise:
        size = int(np.prod(np.broadcast_shapes(*shapes)))  # ValueError: shapes don't fit
    else:
        return
    if size > max_elements:
        raise LimitError(f"{op.name} at {start} would make {size} numbers; an array may hold "
                         f"{max_elements}", start)


def backward_arrays(graph: Graph, values: list, seed) -> Pass:
    """Returns the pass where some values are arrays: elementwise ops multiply the upstream
    by their local gradient and sum it down to the operand's shape; array ops apply their
    vector-Jacobian products. No Jacobian is ever built."""
    nodes, edges = graph.nodes, graph.edges
    grads: list = [None] * len(nodes)   # None: no share has arrived yet
    grads[graph.output] = seed
    n_edges = len(edges)
    upstream, local, downstream = [None] * n_edges, [None] * n_edges, [None] * n_edges
    with np.errstate(all="ignore"):
        for index in range(len(nodes) - 1, -1, -1):
            node = nodes[index]
            if not node.inputs:
                continue
            op = OPS[node.op]
            a = values[node.inputs[0]]
            b = values[node.inputs[1]] if len(node.inputs) > 1 else None
            out = values[index]
            up = grads[index] if grads[index] is not None else np.zeros(np.shape(out))
            for edge_index in graph.in_edges[index]:
                edge = edges[edge_index]
                shape = np.shape(values[edge.source])
                if op.elementwise:
                    loc = op.local_fns[edge.operand](a, b, out)
                    loc = np.broadcast_to(loc, np.shape(out)).astype(float) if np.ndim(out) \
                        else float(loc)
                    down = unbroadcast(np.multiply(up, loc), shape)
                else:
                    loc = None
                    down = unbroadcast(op.vjps[edge.operand](up, a, b, out), shape)
                upstream[edge_index], local[edge_index], downstream[edge_index] = up, loc, down
                so_far = grads[edge.source]  # fan-out: the shares add up
                grads[edge.source] = down if so_far is None else so_far + down
    for index, value in enumerate(values):
        if grads[index] is None:
            grads[index] = np.zeros(value.shape) if _is_array(value) else 0.0
    return Pass(values, grads, upstream, local, downstream)


def _shape_message(graph: Graph, node, args: list, error: Exception) -> str:
    """Returns "W (3×2) @ x (3) at 5: ..." for an op whose operands' shapes don't fit."""
    op = OPS[node.op]
    described = [f"{graph.nodes[i].text if len(graph.nodes[i].text) <= 16 else 'n' + str(i)} "
                 f"({shape_text(np.shape(v))})" for i, v in zip(node.inputs, args)]
    what = f" {op.typed} ".join(described) if op.typed else f"{op.name}({', '.join(described)})"
    message = str(error)
    reason = ("inner dimensions differ" if "core dimension" in message else
              "the shapes cannot be broadcast together" if "broadcast" in message else message)
    return f"{what} at {node.start}: {reason}"


def shape_text(shape: tuple) -> str:
    """Returns (3, 2) as "3×2", () as "scalar"."""
    return "×".join(map(str, shape)) if shape else "scalar"
