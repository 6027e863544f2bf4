"""Exact arithmetic: the same ops, evaluated by sympy on rationals.

The apple example then shows 715 and 2.2, not 715.0000000000001. A result that is not
rational (exp, log, a root) becomes a 30-digit float and stays one; rationals that grow
past MAX_BITS do too, so no input reaches unbounded big-integer arithmetic.
"""
from __future__ import annotations

import sympy as sp

from .autodiff import Pass
from .errors import LimitError
from .graph import Graph
from .ops import A, B, CONSTANTS, OPS, OUT
from .values import exact_value

MAX_EXACT_NODES = 500
MAX_BITS = 4_096
_DIGITS = 30


def exact_pass(graph: Graph, texts: dict[str, object]) -> tuple[Pass, list]:
    """Returns the pass as floats, and the exact values (sympy numbers) per node."""
    if len(graph.nodes) > MAX_EXACT_NODES:
        raise LimitError(f"exact arithmetic is limited to {MAX_EXACT_NODES} nodes; this graph "
                         f"has {len(graph.nodes)}: turn exact off")
    values: list = []
    for node in graph.nodes:
        if node.op == "var":
            values.append(sp.Rational(exact_value(texts[node.text])))
        elif node.op == "const":
            values.append(CONSTANTS[node.exact][1] if node.exact in CONSTANTS
                          else sp.Rational(exact_value(node.exact)))
        else:
            values.append(_apply(OPS[node.op].expr, _operands(node, values, None)))
    grads = [sp.Integer(0)] * len(graph.nodes)
    grads[graph.output] = sp.Integer(1)
    n_edges = len(graph.edges)
    upstream, local, downstream = [None] * n_edges, [None] * n_edges, [None] * n_edges
    for index in range(len(graph.nodes) - 1, -1, -1):
        node = graph.nodes[index]
        for e in graph.in_edges[index]:
            rule = OPS[node.op].locals[graph.edges[e].operand]
            loc = _apply(rule, _operands(node, values, values[index]))
            down = _tame(grads[index] * loc)
            upstream[e], local[e], downstream[e] = grads[index], loc, down
            source = graph.edges[e].source
            grads[source] = _tame(grads[source] + down)
    as_float = [to_float(v) for v in values]
    floats = Pass(as_float, [to_float(g) for g in grads], [to_float(u) for u in upstream],
                  [to_float(x) for x in local], [to_float(d) for d in downstream])
    return floats, values


def _operands(node, values, out) -> dict:
    found = {OUT: out} if out is not None else {}
    for symbol, i in zip((A, B), node.inputs):
        found[symbol] = values[i]
    return found


def _apply(expr, operands: dict):
    exponent = operands.get(B)
    base = operands.get(A)
    if (expr.has(sp.Pow) and isinstance(exponent, sp.Rational) and isinstance(base, sp.Rational)
            and abs(exponent) * max(_bits(base), 1) > MAX_BITS):
        operands = {k: sp.Float(v, _DIGITS) if v is not None else v for k, v in operands.items()}
    return _tame(expr.xreplace(operands))


def _bits(x: sp.Rational) -> int:
    return max(int(x.p).bit_length(), int(x.q).bit_length())


def _tame(x):
    """Returns x itself when it is a small rational, else a 30-digit float (or nan/inf)."""
    if isinstance(x, sp.Rational):
        return x if _bits(x) <= MAX_BITS else sp.Float(x, _DIGITS)
    if x.is_number and x.is_finite and x.is_real is not False:
        return sp.Float(x.evalf(_DIGITS), _DIGITS)
    return x


def to_float(x) -> float:
    """Returns a sympy number as a float; complex infinity and undefined are nan."""
    if x in (sp.oo, -sp.oo):
        return float(x)
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def exact_text(x) -> str | None:
    """Returns "11/5" or "715" for a rational, None for anything else."""
    return str(x) if isinstance(x, sp.Rational) else None
