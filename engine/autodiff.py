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

from .graph import Graph
from .ops import OPS

_FALLBACK = (ArithmeticError, ValueError, TypeError)


@dataclass
class Pass:
    """The numbers of one forward and backward pass."""

    values: list          # per node
    grads: list           # per node: dL/dnode
    upstream: list        # per edge: dL/dtarget
    local: list           # per edge: dtarget/dsource
    downstream: list      # per edge: upstream * local


def _numpy(rule, *args) -> float:
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
            value = _numpy(op.forward, *args)
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
                loc = _numpy(op.local_fns[edge.operand], *args)
            down = up * loc  # inf * 0 is nan for floats too, never an exception
            upstream[edge_index], local[edge_index], downstream[edge_index] = up, loc, down
            grads[edge.source] += down  # fan-out: the shares add up
    return Pass(values, grads, upstream, local, downstream)
