"""analyze(expr, values) -> Analysis: the graph and its numbers (forward, backward, the gradient check).

What a person reads about them (names, formulas, steps, the JSON) is engine.lesson's."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .autodiff import Pass, backward, backward_arrays, forward, forward_arrays, shape_text
from .errors import ChainruleError
from .exact import exact_pass
from .graph import Graph, build_graph
from .values import DEFAULT_VALUE, parse_value

GRADCHECK_BUDGET = 100_000  # node evaluations the finite-difference check may spend


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
        """Returns the canonical text of the whole input: q = x + y; f = q*z for statements."""
        return self.graph.text or self.graph.nodes[self.graph.output].text


def analyze(expr: str, values: Mapping[str, object] | None = None, granularity: str = "fused",
            exact: bool = False, share: bool = False, upstream: object = None) -> Analysis:
    """Returns the analysis of `expr` at `values` (raw texts or numbers, by variable name).

    Names in `values` that are not variables of `expr` are ignored; a variable with no
    value is DEFAULT_VALUE. `upstream` seeds backward at an array output (a JSON array
    text or an array of the output's shape); by default it is all ones, the gradient of
    the output's sum. A scalar output's upstream is 1.

    >>> a = analyze("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
    >>> [a.numbers.grads[a.graph.variables[v]] for v in "xyz"]
    [-4.0, -4.0, 3.0]
    """
    if not isinstance(expr, str):
        raise ChainruleError("expression must be text")
    graph = build_graph(expr, granularity, share, given=values or ())
    values = values or {}
    given = {name: values.get(name, DEFAULT_VALUE) for name in graph.variables}
    inputs = {name: parse_value(name, text) for name, text in given.items()}
    arrays = graph.has_array_ops or any(isinstance(v, np.ndarray) for v in inputs.values())
    if exact and arrays:
        raise ChainruleError("exact arithmetic works on numbers only, not arrays: turn exact off")
    if exact:
        numbers, exact_values = exact_pass(graph, given)
        seed = 1.0
    elif arrays:
        values_ = forward_arrays(graph, inputs)
        seed = _seed(upstream, values_[graph.output])
        numbers, exact_values = backward_arrays(graph, values_, seed), None
    else:
        numbers, exact_values = backward(graph, forward(graph, inputs)), None
        seed = 1.0
    analysis = Analysis(graph, numbers, granularity, exact, given, exact_values)
    analysis.seed = seed
    analysis.gradcheck = gradcheck(graph, inputs, numbers, seed)
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


def gradcheck(graph: Graph, inputs: dict, numbers: Pass, seed=1.0) -> dict:
    """Returns central finite differences beside the analytic grad, per variable.

    The step is 1e-6 relative to the value; rel_error is the largest over a variable's
    elements of |a - n| / max(|a|, |n|, 1e-8). An array output is checked through
    sum(seed * output). Skipped (empty) past GRADCHECK_BUDGET node evaluations.
    """
    elements = sum(int(np.size(v)) for v in inputs.values())
    if 2 * elements * len(graph.nodes) > GRADCHECK_BUDGET:
        return {}
    arrays = not all(isinstance(v, float) for v in inputs.values()) or graph.has_array_ops
    run = forward_arrays if arrays else forward
    result = {}
    for name, index in graph.variables.items():
        x = np.asarray(inputs[name], dtype=float)
        numeric = np.zeros(x.shape)
        for position in np.ndindex(x.shape):
            h = 1e-6 * max(1.0, abs(float(x[position])))
            ends = []
            for step in (h, -h):
                shifted = x.copy()
                shifted[position] += step
                moved = dict(inputs, **{name: shifted if x.ndim else float(shifted)})
                try:
                    ends.append(np.sum(np.multiply(seed, run(graph, moved)[graph.output])))
                except ChainruleError:
                    ends.append(math.nan)
            with np.errstate(all="ignore"):
                numeric[position] = (ends[0] - ends[1]) / (2 * h)
        analytic = np.asarray(numbers.grads[index], dtype=float)
        with np.errstate(all="ignore"):
            scale = np.maximum(np.maximum(abs(analytic), abs(numeric)), 1e-8)
            error = float(np.max(abs(analytic - numeric) / scale))
        result[name] = {"analytic": _num(analytic), "numeric": _num(numeric), "rel_error": error}
        if any(node.op == "detach" for node in graph.nodes):
            result[name]["note"] = ("detach stops gradients that finite differences still see: "
                                    "a difference here is the point of detach")
    return result


def _num(x):
    """Returns a float, or nested lists of floats for an array (None stays None)."""
    if x is None:
        return None
    # + 0.0 turns -0.0 (relu's blocked gradient) into 0.0
    return (x + 0.0).tolist() if isinstance(x, np.ndarray) and x.ndim else float(x) + 0.0


