"""analyze(expr, values) -> Analysis: the graph and its numbers (forward, backward, the gradient check).

What a person reads about them (names, formulas, steps, the JSON) is engine.lesson's."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

import numpy as np

from .autodiff import Arrays, Pass, backward, forward, shape_text
from .errors import ChainruleError
from .exact import exact_pass
from .gradcheck import gradcheck
from .graph import Graph, build_graph
from .values import DEFAULT_VALUE, parse_value


@dataclass
class Analysis:
    """An expression's graph with every number of its forward and backward pass."""

    graph: Graph
    numbers: Pass
    granularity: str
    exact: bool
    inputs: dict[str, object]                 # the variables' values as given (or default)
    exact_values: list | None = None          # fractions per node in exact mode (None where not one)
    gradcheck: dict = field(default_factory=dict)
    seed: object = 1.0                        # the upstream gradient at the output
    exact_reasons: dict = field(default_factory=dict)   # node -> why it is a float in exact mode

    @property
    def variables(self) -> list[str]:
        return list(self.graph.variables)

    @cached_property
    def finite(self) -> bool:
        """True when every number of the pass and of the gradient check is a finite float: what the answer
        holds then needs no "nan" or "inf" strings (a sum of finite floats is finite or overflows: either
        way a non-finite one is never missed)."""
        p = self.numbers
        numbers = [*p.values, *p.grads, *p.upstream, *p.local, *p.downstream, self.seed]
        for check in self.gradcheck.values():
            numbers += (check["analytic"], check["numeric"], check["rel_error"])
        return all(x.__class__ is float for x in numbers) and math.isfinite(sum(numbers))

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
        exact_numbers = exact_pass(graph, given)
        numbers, exact_values, seed = exact_numbers.floats, exact_numbers.values, 1.0
    else:
        strategy = Arrays(graph) if arrays else None
        values_ = forward(graph, inputs, strategy)
        seed = _seed(upstream, values_[graph.output]) if arrays else 1.0
        numbers, exact_values = backward(graph, values_, strategy, seed), None
    check = gradcheck(graph, inputs, numbers, seed, arrays, strategy.element_ops if arrays else 0)
    return Analysis(graph, numbers, granularity, exact, given, exact_values, check, seed,
                    exact_numbers.reasons if exact else {})


def _seed(upstream, out):
    """Returns the upstream gradient that starts backward at the output."""
    if upstream is None or upstream == "":
        return np.ones(np.shape(out)) if np.ndim(out) else 1.0
    seed = parse_value("upstream", upstream)
    if np.shape(seed) != np.shape(out):
        raise ChainruleError(f"upstream has shape {shape_text(np.shape(seed))} but the output "
                             f"has shape {shape_text(np.shape(out))}")
    return seed


