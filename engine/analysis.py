"""analyze(expr, values) -> Analysis: the one call the web layer and the CLI make."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

import numpy as np

from .autodiff import Arrays, Pass, backward, forward, shape_text
from .errors import ChainruleError
from .exact import exact_pass, exact_text
from .gradcheck import gradcheck
from .format import fmt
from .graph import Graph, Node, build_graph
from .ops import OPS
from .values import DEFAULT_VALUE, parse_value

NAME_CHARS = 16           # a subexpression longer than this is called by a symbol or its id
_SYMBOL_LATEX = {"sigmoid": r"\sigma"}
TEXT_CHARS = 120          # a node's text in the JSON is cut here (the whole is in "expr")


@dataclass
class Analysis:
    """An expression's graph with every number of its forward and backward pass."""

    graph: Graph
    numbers: Pass
    granularity: str
    exact: bool
    inputs: dict[str, object]                 # the variables' values as given (or default)
    exact_values: list | None = None          # sympy numbers per node, in exact mode
    gradcheck: dict = field(default_factory=dict)
    seed: object = 1.0                        # the upstream gradient at the output

    @property
    def variables(self) -> list[str]:
        return list(self.graph.variables)

    @property
    def expr(self) -> str:
        return self.graph.nodes[self.graph.output].text

    def name(self, index: int) -> str:
        """Returns what a node is called in formulas: its text if short; else the function's
        symbol if it is the only such gate (σ in σ·(1 − σ)); else its id (n9)."""
        node = self.graph.nodes[index]
        if node.is_leaf or len(node.text) <= NAME_CHARS:
            return node.text
        return OPS[node.op].symbol if index in self._named_by_symbol else f"n{index}"

    def latex_name(self, index: int) -> str:
        node = self.graph.nodes[index]
        if node.is_leaf or len(node.text) <= NAME_CHARS:
            return node.latex
        if index in self._named_by_symbol:
            return _SYMBOL_LATEX.get(node.op, rf"\operatorname{{{OPS[node.op].symbol}}}")
        return f"n_{{{index}}}"

    @cached_property
    def _named_by_symbol(self) -> set[int]:
        """The long function gates that are alone of their kind, so their symbol names them."""
        long = [i for i, n in enumerate(self.graph.nodes)
                if not n.is_leaf and len(n.text) > NAME_CHARS and OPS[n.op].is_function
                and OPS[n.op].symbol.isalpha()]
        kinds = Counter(self.graph.nodes[i].op for i in long)
        return {i for i in long if kinds[self.graph.nodes[i].op] == 1}

    def local_formula(self, edge_index: int, latex: bool = False) -> str:
        """Returns d target / d source for one edge, in the names of the target's operands."""
        edge = self.graph.edges[edge_index]
        target = self.graph.nodes[edge.target]
        op = OPS[target.op]
        template = (op.local_latex if latex else op.local_text)[edge.operand]
        names = self.latex_name if latex else self.name
        marks = {"§a§": target.inputs[0], "§out§": edge.target}
        if len(target.inputs) > 1:
            marks["§b§"] = target.inputs[1]
        if op.elementwise and np.ndim(self.numbers.values[edge.target]):
            # elementwise on arrays: a diagonal Jacobian
            template = (rf"\operatorname{{diag}}\left({template}\right)" if latex
                        else f"diag({template})")
        for mark, index in marks.items():
            if mark in template:
                name = names(index)
                if template != mark and _compound(self.graph.nodes[index], self.name(index)):
                    name = rf"\left({name}\right)" if latex else f"({name})"
                template = template.replace(mark, name)
        return template

    def chain_text(self, e: int, digits: int = 3) -> str:
        """Returns one edge's chain rule in numbers: "−4 × 1 = −4", or for an array op
        "Wᵀ· applied to [..] = [..]"."""
        p = self.numbers

        def num(x) -> str:
            return fmt(x, digits).replace("-", "−")

        if p.local[e] is None:
            return f"{self.local_formula(e).replace('^T', 'ᵀ')} applied to " \
                   f"{num(p.upstream[e])} = {num(p.downstream[e])}"
        return f"{num(p.upstream[e])} × {num(p.local[e])} = {num(p.downstream[e])}"

    @cached_property
    def steps(self) -> list[dict]:
        """Returns the lecture's steps (computed once: every drawing of a step asks)."""
        return lecture_steps(self)

    def to_dict(self, digits: int = 3) -> dict:
        """Returns the JSON-ready dict of API.md; non-finite numbers stay floats; the
        steps' sentences give numbers to `digits` significant digits, as the drawing does."""
        g, p = self.graph, self.numbers
        out = g.output
        out_degree = [0] * len(g.nodes)
        for edge in g.edges:
            out_degree[edge.source] += 1
        nodes = []
        for i, node in enumerate(g.nodes):
            long = len(node.text) > TEXT_CHARS  # a whole subexpression per node would be O(n²)
            item = {"id": g.id(i), "op": node.op, "label": _label(node), "name": self.name(i),
                    "name_latex": self.latex_name(i),
                    "text": node.text[:TEXT_CHARS - 1] + "…" if long else node.text,
                    "latex": None if long else node.latex,
                    "value": _num(p.values[i]), "grad": _num(p.grads[i]),
                    "shape": _shape(p.values[i]),
                    "nonfinite": not (_finite(p.values[i]) and _finite(p.grads[i])),
                    "produced_nonfinite": _produced_nonfinite(g, p, i)}
            if node.op in OPS:
                item["role"] = OPS[node.op].role
            item["fan_out"] = out_degree[i]
            if out_degree[i] > 1:
                item["fan_out_role"] = "fan-out adds: the shares coming back are summed"
            if self.exact_values is not None:
                item["exact"] = exact_text(self.exact_values[i])
            nodes.append(item)
        edges = []
        for e, edge in enumerate(g.edges):
            target = g.nodes[edge.target]
            edges.append({"id": f"e{e}", "source": g.id(edge.source), "target": g.id(edge.target),
                          "operand": edge.operand, "upstream": _num(p.upstream[e]),
                          "local": _num(p.local[e]), "downstream": _num(p.downstream[e]),
                          "local_formula": self.local_formula(e),
                          "local_latex": self.local_formula(e, latex=True),
                          "role": OPS[target.op].role})
        return {
            "expr": self.expr,
            "latex": g.nodes[out].latex,
            "granularity": self.granularity,
            "exact": self.exact,
            "output": {"id": g.id(out), "value": _num(p.values[out])},
            "variables": {name: {"value": _num(p.values[i]), "grad": _num(p.grads[i]),
                                 "shape": _shape(p.values[i])}
                          for name, i in g.variables.items()},
            "upstream": _num(self.seed),
            "nodes": nodes,
            "edges": edges,
            "gradcheck": self.gradcheck,
            "steps": lecture_steps(self, digits),
        }


def analyze(expr: str, values: Mapping[str, object] | None = None, granularity: str = "fused",
            exact: bool = False, share: bool = False, upstream: object = None) -> Analysis:
    """Returns the analysis of `expr` at `values` (raw texts or numbers, by variable name).

    Names in `values` that are not variables of `expr` are ignored; a variable with no
    value is DEFAULT_VALUE. `upstream` seeds backward at an array output (a JSON array
    text or an array of the output's shape); by default it is all ones, the gradient of
    the output's sum. A scalar output's upstream is 1.

    >>> a = analyze("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
    >>> [a.to_dict()["variables"][v]["grad"] for v in "xyz"]
    [-4.0, -4.0, 3.0]
    """
    if not isinstance(expr, str):
        raise ChainruleError("expression must be text")
    graph = build_graph(expr, granularity, share)
    values = values or {}
    given = {name: values.get(name, DEFAULT_VALUE) for name in graph.variables}
    inputs = {name: parse_value(name, text) for name, text in given.items()}
    arrays = graph.has_array_ops or any(isinstance(v, np.ndarray) for v in inputs.values())
    if exact and arrays:
        raise ChainruleError("exact arithmetic works on numbers only, not arrays: turn exact off")
    if exact:
        exact_numbers = exact_pass(graph, given)
        numbers, exact_values, seed = exact_numbers.floats, exact_numbers.values, 1.0
    else:
        strategy = Arrays(graph) if arrays else None
        values_ = forward(graph, inputs, strategy)
        seed = _seed(upstream, values_[graph.output]) if arrays else 1.0
        numbers, exact_values = backward(graph, values_, strategy, seed), None
    analysis = Analysis(graph, numbers, granularity, exact, given, exact_values)
    analysis.exact_reasons = exact_numbers.reasons if exact else {}  # node -> why floats
    analysis.seed = seed
    analysis.gradcheck = gradcheck(graph, inputs, numbers, seed, arrays,
                                   strategy.element_ops if arrays else 0)
    return analysis


def _seed(upstream, out):
    """Returns the upstream gradient that starts backward at the output."""
    if upstream is None or upstream == "":
        return np.ones(np.shape(out)) if np.ndim(out) else 1.0
    seed = parse_value("upstream", upstream)
    if np.shape(seed) != np.shape(out):
        raise ChainruleError(f"upstream has shape {shape_text(np.shape(seed))} but the output "
                             f"has shape {shape_text(np.shape(out))}")
    return seed


def lecture_steps(analysis: Analysis, digits: int = 3) -> list[dict]:
    """Returns the lecture's steps: the inputs, each gate forward, each gate backward."""
    g, p = analysis.graph, analysis.numbers

    def num(x) -> str:
        return fmt(x, digits).replace("-", "−")

    gates = [i for i, node in enumerate(g.nodes) if not node.is_leaf]
    inputs = ", ".join(f"{name} = {num(p.values[i])}" for name, i in g.variables.items())
    steps = [{"index": 0, "kind": "inputs", "node": None, "edges": [],
              "text": f"Inputs: {inputs}" if inputs else "Inputs: constants only"}]
    for i in gates:
        steps.append({"index": len(steps), "kind": "forward", "node": g.id(i),
                      "edges": [f"e{e}" for e in g.in_edges[i]],
                      "text": f"{analysis.name(i)} = {num(p.values[i])}"})
    for i in reversed(gates):
        sends = "; ".join(f"to {analysis.name(g.edges[e].source)}: "
                          f"{analysis.chain_text(e, digits)}" for e in g.in_edges[i])
        steps.append({"index": len(steps), "kind": "backward", "node": g.id(i),
                      "edges": [f"e{e}" for e in g.in_edges[i]],
                      "text": f"{OPS[g.nodes[i].op].symbol} gate gets upstream "
                              f"{num(p.grads[i])}; {sends}",
                      "role": OPS[g.nodes[i].op].role})
    return steps


def _label(node: Node) -> str:
    return node.text if node.is_leaf else OPS[node.op].symbol


def _compound(node: Node, name: str) -> bool:
    """True where a formula must bracket the name: a subexpression that is not a call."""
    return not node.is_leaf and name == node.text and not re.fullmatch(r"[\w.]+\(.*\)", name)


def _num(x):
    """Returns a float, or nested lists of floats for an array (None stays None)."""
    if x is None:
        return None
    # + 0.0 turns -0.0 (relu's blocked gradient) into 0.0
    return (x + 0.0).tolist() if isinstance(x, np.ndarray) and x.ndim else float(x) + 0.0


def _shape(x) -> list:
    return list(np.shape(x))


def _finite(x) -> bool:
    return bool(np.all(np.isfinite(x)))


def _produced_nonfinite(g: Graph, p: Pass, i: int) -> bool:
    """True where this node made the first non-finite value from finite inputs."""
    node = g.nodes[i]
    return (not node.is_leaf and not _finite(p.values[i])
            and all(_finite(p.values[j]) for j in node.inputs))
