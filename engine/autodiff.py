"""Forward and backward over a Graph: one pass each, in topological order.

Values are numpy float64 (scalars are 0-d). Non-finite results are not errors: numpy
gives inf and nan, and they flow on. Every edge gets its upstream, local and downstream;
a node's grad is the sum of the downstreams of its outgoing edges (fan-out adds).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .graph import Graph
from .ops import OPS


@dataclass
class Pass:
    """The numbers of one forward and backward pass."""

    values: list          # per node
    grads: list           # per node: dL/dnode
    upstream: list        # per edge: dL/dtarget
    local: list           # per edge: dtarget/dsource
    downstream: list      # per edge: upstream * local


def forward(graph: Graph, inputs: dict[str, object]) -> list:
    """Returns every node's value, given the variables' values by name."""
    values: list = [None] * len(graph.nodes)
    with np.errstate(all="ignore"):
        for index, node in enumerate(graph.nodes):
            if node.op == "var":
                values[index] = inputs[node.text]
            elif node.op == "const":
                values[index] = np.float64(node.const)
            else:
                values[index] = np.float64(OPS[node.op].forward(*(values[i] for i in node.inputs)))
    return values


def backward(graph: Graph, values: list) -> Pass:
    """Returns the forward values with every grad and every edge's three numbers."""
    nodes, edges = graph.nodes, graph.edges
    grads: list = [np.float64(0.0)] * len(nodes)
    grads[graph.output] = np.float64(1.0)
    upstream: list = [None] * len(edges)
    local: list = [None] * len(edges)
    downstream: list = [None] * len(edges)
    with np.errstate(all="ignore"):
        for index in range(len(nodes) - 1, -1, -1):
            node = nodes[index]
            if node.is_leaf:
                continue
            rules = OPS[node.op].local_fns
            a = values[node.inputs[0]]
            b = values[node.inputs[1]] if len(node.inputs) > 1 else None
            out, up = values[index], grads[index]
            for edge_index in graph.in_edges[index]:
                edge = edges[edge_index]
                loc = np.float64(rules[edge.operand](a, b, out))
                down = up * loc
                upstream[edge_index], local[edge_index], downstream[edge_index] = up, loc, down
                grads[edge.source] = grads[edge.source] + down  # fan-out: the shares add up
    return Pass(values, grads, upstream, local, downstream)
