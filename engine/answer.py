"""The JSON of API.md, from a lesson (engine.lesson): every node, edge and step with its numbers, names,
formulas and sentences. Built in one loop per list, with Python floats written without numpy: a 1,000-op
graph's answer has ~1,000 nodes, ~1,800 edges and ~2,000 steps, built per request."""
from __future__ import annotations

import math

import numpy as np

from .exact import exact_text
from .ops import OPS

TEXT_CHARS = 120          # a node's text in the JSON is cut here (the whole is in "expr")


def answer_dict(lesson, digits: int = 3) -> dict:
    """Returns the JSON-ready dict of API.md for `lesson` (an engine.lesson.Lesson); non-finite numbers stay
    floats; the steps' sentences give numbers to `digits` significant digits, as the drawing does."""
    a, g, p = lesson.analysis, lesson.graph, lesson.numbers
    out = g.output
    ids = [g.id(i) for i in range(len(g.nodes))]   # asked once per node, not once per mention
    edge_ids = [f"e{e}" for e in range(len(g.edges))]
    return {
        "expr": a.expr,
        "latex": lesson.latex,
        "formula_latex": lesson.formula_latex,
        "granularity": a.granularity,
        "exact": a.exact,
        "output": {"id": ids[out], "value": _plain(p.values[out]), "name": lesson.output_name,
                   "name_latex": lesson.latex_name(out)},
        "variables": {name: {"value": _plain(p.values[i]), "grad": _plain(p.grads[i]),
                             "shape": list(np.shape(p.values[i]))}
                      for name, i in g.variables.items()},
        "upstream": _plain(a.seed),
        "nodes": _node_dicts(lesson, ids),
        "edges": _edge_dicts(lesson, ids, edge_ids),
        "gradcheck": a.gradcheck,
        "steps": _step_dicts(lesson, digits, ids, edge_ids),
    }

def _node_dicts(lesson, ids: list[str]) -> list[dict]:
    a, p = lesson.analysis, lesson.numbers
    out_degree, names, exact_values = lesson.out_degree, lesson._names, a.exact_values
    isfinite = math.isfinite
    nodes = []
    for i, (node, value, grad, (name, name_latex), degree) in enumerate(
            zip(lesson.graph.nodes, p.values, p.grads, names, out_degree)):
        text = node.text
        long = len(text) > TEXT_CHARS  # a whole subexpression per node would be O(n²)
        if value.__class__ is float and grad.__class__ is float:   # the common case, without numpy
            value_finite = isfinite(value)
            plain_value, plain_grad, shape = value + 0.0, grad + 0.0, []   # + 0.0: -0.0 is written 0.0
            nonfinite = not (value_finite and isfinite(grad))
        else:
            value_finite = _finite(value)
            plain_value, plain_grad = _plain(value), _plain(grad)
            shape = [] if value.__class__ is float else list(np.shape(value))
            nonfinite = not (value_finite and _finite(grad))
        label = OPS[node.op].symbol if node.inputs else text   # a gate by its symbol, a leaf as typed
        item = {"id": ids[i], "op": node.op, "label": label,
                "name": name, "name_latex": name_latex,
                "text": text[:TEXT_CHARS - 1] + "…" if long else text,
                "latex": None if long else node.latex,
                "value": plain_value, "grad": plain_grad, "shape": shape, "nonfinite": nonfinite,
                "produced_nonfinite": not value_finite and _produced_nonfinite(lesson, i)}
        if node.op in OPS:
            item["role"] = OPS[node.op].role
        item["fan_out"] = degree
        if degree > 1:
            item["fan_out_role"] = "fan-out adds: the shares coming back are summed"
        if exact_values is not None:
            item["exact"] = exact_text(exact_values[i])
            if i in a.exact_reasons:
                item["exact_note"] = a.exact_reasons[i]   # why this node is a float: said in the panel
        nodes.append(item)
    return nodes

def _edge_dicts(lesson, ids: list[str], edge_ids: list[str]) -> list[dict]:
    g, p = lesson.graph, lesson.numbers
    nodes = g.nodes
    texts, latexes = lesson._local_formulas
    edges = []
    for edge_id, edge, upstream, local, downstream, text, latex in zip(
            edge_ids, g.edges, p.upstream, p.local, p.downstream, texts, latexes):
        edges.append({"id": edge_id, "source": ids[edge.source], "target": ids[edge.target],
                      "operand": edge.operand,
                      "upstream": upstream + 0.0 if upstream.__class__ is float else _plain(upstream),
                      "local": local + 0.0 if local.__class__ is float else _plain(local),
                      "downstream": downstream + 0.0 if downstream.__class__ is float else _plain(downstream),
                      "local_formula": text, "local_latex": latex,
                      "role": OPS[nodes[edge.target].op].role})
    return edges

def _step_dicts(lesson, digits: int, ids: list[str], edge_ids: list[str]) -> list[dict]:
    nodes, captions = lesson.graph.nodes, lesson._captions(digits)
    steps = []
    for (index, kind, i, step_edges), caption in zip(lesson.steps, captions):
        item = {"index": index, "kind": kind, "node": None if i is None else ids[i],
                "edges": [edge_ids[e] for e in step_edges], "text": caption}
        if kind == "backward":
            item["role"] = OPS[nodes[i].op].role
        steps.append(item)
    return steps


def _produced_nonfinite(lesson, i: int) -> bool:
    """True where this node made the first non-finite value from finite inputs."""
    node, values = lesson.graph.nodes[i], lesson.numbers.values
    return (not node.is_leaf and not _finite(values[i])
            and all(_finite(values[j]) for j in node.inputs))


def _plain(x):
    """Returns a float, or nested lists of floats for an array (None stays None)."""
    if x.__class__ is float:
        return x + 0.0
    if x is None:
        return None
    # + 0.0 turns -0.0 (relu's blocked gradient) into 0.0
    return (x + 0.0).tolist() if isinstance(x, np.ndarray) and x.ndim else float(x) + 0.0


def _finite(x) -> bool:
    return math.isfinite(x) if x.__class__ is float else bool(np.all(np.isfinite(x)))
