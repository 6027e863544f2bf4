"""Exact arithmetic: the same ops, evaluated by sympy on rationals.

The apple example then shows 715 and 2.2, not 715.0000000000001. A result that is not
rational (exp, log, a root) becomes a 30-digit float and stays one; rationals that grow
past MAX_BITS do too, so no input reaches unbounded big-integer arithmetic.
"""
from __future__ import annotations

import sympy as sp

from .autodiff import Pass, numpy_rule
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
            values.append(CONSTANTS[node.exact][0] if node.exact in CONSTANTS
                          else sp.Rational(exact_value(node.exact)))
        else:
            op = OPS[node.op]
            values.append(_apply(op.expr, op.forward, [values[i] for i in node.inputs]))
    grads: list = [sp.Integer(0)] * len(graph.nodes)
    grads[graph.output] = sp.Integer(1)
    n_edges = len(graph.edges)
    upstream, local, downstream = [None] * n_edges, [None] * n_edges, [None] * n_edges
    for index in range(len(graph.nodes) - 1, -1, -1):
        node = graph.nodes[index]
        op = OPS[node.op] if node.inputs else None
        args = [values[i] for i in node.inputs] + [None] * (2 - len(node.inputs)) + [values[index]]
        for e in graph.in_edges[index]:
            k = graph.edges[e].operand
            loc = _apply(op.locals[k], op.local_fns[k], args, symbols=(A, B, OUT))
            down = _tame(grads[index] * loc) if _exact(grads[index], loc) \
                else float(grads[index]) * float(loc)
            upstream[e], local[e], downstream[e] = grads[index], loc, down
            source = graph.edges[e].source
            so_far = grads[source]
            grads[source] = _tame(so_far + down) if _exact(so_far, down) \
                else float(so_far) + float(down)
    as_float = [to_float(v) for v in values]
    floats = Pass(as_float, [to_float(g) for g in grads], [to_float(u) for u in upstream],
                  [to_float(x) for x in local], [to_float(d) for d in downstream])
    return floats, values


def _exact(*xs) -> bool:
    return all(isinstance(x, sp.Rational) for x in xs if x is not None)


def _apply(expr, numeric, args: list, symbols=(A, B)):
    """Returns expr at args: exactly where every argument is rational and the result is
    too, else as a float from the op's numpy rule (never sympy on floats: 9^9^9^9 hangs)."""
    given = [x for x in args if x is not None]
    if _exact(*given) and not _too_big_a_power(expr, args):
        result = expr.xreplace({s: x for s, x in zip(symbols, args) if x is not None})
        if isinstance(result, sp.Rational):
            return _tame(result)
        if result.is_number and result.is_finite and result.is_real:
            return float(result.evalf(_DIGITS))
    floats = [None if x is None else to_float(x) for x in args]
    return numpy_rule(numeric, *floats)


def _too_big_a_power(expr, args) -> bool:
    base, exponent = args[0], args[1] if len(args) > 1 else None
    return (expr.has(sp.Pow) and isinstance(exponent, sp.Rational)
            and abs(exponent) * max(_bits(base), 1) > MAX_BITS)


def _bits(x: sp.Rational) -> int:
    return max(int(x.p).bit_length(), int(x.q).bit_length())


def _tame(x):
    """Returns x itself when it is a small rational, else a float."""
    return x if _bits(x) <= MAX_BITS else to_float(x)


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
