"""Lesson: what a person reads about an analysis — names, local formulas, steps and their captions, which
engine.answer writes as the JSON of API.md. It reads the numbers (engine.analysis) and nothing reads back
up from it: rendering and the web layer read the lesson.

Names follow the lecture: variables by their own names, intermediates as the person named them
(`q = x + y; f = q*z`), else q (or q₁, q₂, ... in the order they are computed) and the output f.

>>> from engine.analysis import analyze
>>> lesson = Lesson(analyze("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"}))
>>> [lesson.name(i) for i in range(len(lesson.graph.nodes))]
['x', 'y', 'q', 'z', 'f']
>>> lesson.local_formula(2)        # df/dq
'z'
"""
from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import NamedTuple

import numpy as np

from .analysis import Analysis, analyze
from .format import fmt, fmt_number
from .formulas import gate_formulas
from .ops import OPS

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
OUTPUT_NAMES = ("f", "L", "out")   # the first one not taken names the output
INTERMEDIATE = "q"


class Step(NamedTuple):   # a record, made as a tuple is: a big graph has thousands of steps, per request
    """One lecture step: the inputs (kind "inputs"), one gate forward, or one gate backward.

    `node` and `edges` are indices into the graph; ids such as n3/e5 are written only in JSON and SVG.
    A forward step reveals its gate's value; a backward step reveals the gradient its gate receives
    and what it sends down each of its input edges.
    """

    index: int
    kind: str
    node: int | None = None
    edges: tuple[int, ...] = ()


class Reveal:
    """What a lecture step has shown so far: which values, grads and edges."""

    def __init__(self, lesson: "Lesson", step: int | None):
        self.lesson = lesson
        g = lesson.graph
        self.everything = step is None
        self.value_shown = set(range(len(g.nodes)))
        self.fired: set[int] = set()
        self.current_node, self.current_kind = None, None
        if step is None:
            self.fired = set(range(len(g.nodes)))
            return
        steps = lesson.steps
        self.value_shown = {i for i, n in enumerate(g.nodes) if n.is_leaf}
        for s in steps[1: step + 1]:
            (self.value_shown if s.kind == "forward" else self.fired).add(s.node)
        self.current_node, self.current_kind = steps[step].node, steps[step].kind
        # the shares each node has received so far: one pass over the edges, not one per node
        self.shares: dict[int, list] = {}
        for e, edge in enumerate(g.edges):
            if edge.target in self.fired:
                self.shares.setdefault(edge.source, []).append(lesson.numbers.downstream[e])

    def grad(self, index: int):
        """Returns the grad of a node as accumulated so far, or None before any share arrives."""
        g, p = self.lesson.graph, self.lesson.numbers
        if self.everything:
            return p.grads[index]
        if index == g.output:
            return p.grads[index] if index in self.fired else None
        shares = self.shares.get(index)
        return sum(shares) if shares else None


class Lesson:
    """The lecture's reading of one analysis: computed once, asked by the drawing, the JSON and the steps."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.graph = analysis.graph
        self.numbers = analysis.numbers
        self.memo: dict = {}     # what drawings of this lesson work out once (engine.render)
        self._texts: dict = {}       # digits -> {float: its text}: a gradient is written in several captions
        self._sentences: dict = {}   # (what, digits) -> the chain texts or the captions, written once

    @property
    def expr(self) -> str:
        return self.analysis.expr

    @property
    def latex(self) -> str:
        """Returns the whole input typeset: its statements one after another, or the expression."""
        g = self.graph
        names = g.names
        if not names:
            return g.nodes[g.output].latex
        return r",\quad ".join(f"{_latex_name(name)} = {g.nodes[i].latex}" for name, i in names.items())

    @property
    def formula_latex(self) -> str:
        """Returns the input as the lecture writes it, named: f = (x + y) z, or its statements."""
        g = self.graph
        if g.names:
            return self.latex
        return f"{self.latex_name(g.output)} = {self.latex}"

    @property
    def gradcheck(self) -> dict:
        return self.analysis.gradcheck

    # --- names -----------------------------------------------------------------------------------

    @cached_property
    def _names(self) -> list[tuple[str, str]]:
        """Returns (text, LaTeX) names per node."""
        g = self.graph
        taken = set(g.variables) | {n.name for n in g.nodes}
        names: list[tuple[str, str] | None] = [None] * len(g.nodes)
        for i, node in enumerate(g.nodes):
            given = node.name
            if not node.inputs:   # a leaf
                names[i] = (node.text, node.latex)
            elif given:
                names[i] = (given, _latex_name(given))
        if names[g.output] is None:
            out = next((n for n in OUTPUT_NAMES if n not in taken), "out")
            taken.add(out)
            names[g.output] = (out, _latex_name(out))
        unnamed = [i for i, n in enumerate(names) if n is None]
        if len(unnamed) == 1 and INTERMEDIATE not in taken:
            names[unnamed[0]] = (INTERMEDIATE, INTERMEDIATE)
        else:
            k = 0
            for i in unnamed:
                k += 1
                while _numbered(k)[0] in taken:
                    k += 1
                names[i] = _numbered(k)[1:]
        return names

    def name(self, index: int) -> str:
        """Returns what the lecture calls node `index`: x, q₃, f."""
        return self._names[index][0]

    def latex_name(self, index: int) -> str:
        return self._names[index][1]

    @property
    def output_name(self) -> str:
        return self.name(self.graph.output)

    # --- formulas --------------------------------------------------------------------------------

    def local_formula(self, edge_index: int, latex: bool = False) -> str:
        """Returns d target / d source for one edge, simplified, in its gate's own input names:
        2x for x², σ(1 − σ) for a sigmoid, ½ (tie) for max at a tie."""
        return self._local_formulas[latex][edge_index]

    @cached_property
    def _local_formulas(self) -> tuple[list[str], list[str]]:
        """Returns every edge's local formula as text and as LaTeX: asked by the JSON, the captions and the
        drawing alike, so worked out once, all together, gate by gate."""
        g, values = self.graph, self.numbers.values
        nodes, edges = g.nodes, g.edges
        text_names, latex_names = [text for text, _ in self._names], [latex for _, latex in self._names]
        literals = [node.exact if node.op == "const" else None for node in nodes]   # put in as numbers
        texts, latexes = [""] * len(edges), [""] * len(edges)
        for i, (node, out, in_edges) in enumerate(zip(nodes, values, g.in_edges)):
            if not in_edges:
                continue
            op, inputs = node.op, node.inputs
            diagonal = out.__class__ is not float and OPS[op].elementwise and np.ndim(out) > 0
            tie = op in ("max", "min") and _tie(op, [values[j] for j in inputs])
            text_formulas, latex_formulas = gate_formulas(op, tuple([literals[j] for j in inputs]), tie, diagonal)
            for e in in_edges:
                text, latex = text_formulas[edges[e].operand], latex_formulas[edges[e].operand]
                texts[e] = text if text.__class__ is str else text.named(inputs, text_names, text_names[i])
                latexes[e] = latex if latex.__class__ is str else latex.named(inputs, latex_names, latex_names[i])
        return texts, latexes

    def num(self, x, digits: int) -> str:
        """Returns a number as captions write it (true minus signs), worked out once per number and digits."""
        return self._writer(digits)(x)

    def chain_text(self, e: int, digits: int = 3) -> str:
        """Returns one edge's chain rule in numbers: "−4 × 1 = −4", or for an array op
        "Wᵀ· applied to [..] = [..]"."""
        return self._chain_texts(digits)[e]

    def _chain_texts(self, digits: int) -> list[str]:
        """Returns chain_text for every edge, worked out once per digits (a backward step's sentence)."""
        key = ("chains", digits)
        if key in self._sentences:
            return self._sentences[key]
        p, formulas, num = self.numbers, self._local_formulas[0], self._writer(digits)
        known = self._texts.setdefault(digits, {}).get   # num's look-up without a call: most come up before
        texts = []
        for formula, upstream, local, downstream in zip(formulas, p.upstream, p.local, p.downstream):
            if local is None:
                texts.append(f"{formula.replace('^T', 'ᵀ')} applied to {num(upstream)} = {num(downstream)}")
                continue
            if upstream.__class__ is float and local.__class__ is float and downstream.__class__ is float:
                up, local_text, down = known(upstream) or num(upstream), known(local) or num(local), \
                    known(downstream) or num(downstream)
                # a formula that is its own number (1) is said once; − and - read alike, so == decides where
                # neither holds a -
                said_once = formula == local_text or (("-" in formula or "-" in local_text)
                                                      and formula.replace("−", "-") == local_text.replace("−", "-"))
            else:
                up, local_text, down = num(upstream), num(local), num(downstream)
                said_once = formula.replace("−", "-") == local_text.replace("−", "-") or (
                    local.__class__ is not float and np.ndim(local))
            if said_once:
                texts.append(f"{up} × {local_text} = {down}")
            else:   # the local's formula, then its number
                texts.append(f"{up} × {formula} = {up} × {local_text} = {down}")
        self._sentences[key] = texts
        return texts

    def _writer(self, digits: int):
        """Returns num(·, digits) as a function of the number alone, for a loop over many."""
        texts = self._texts.setdefault(digits, {})

        def write(x) -> str:
            if x.__class__ is not float:
                return _num(x, digits)
            text = texts.get(x)
            if text is None:
                text = texts[x] = fmt_number(x, digits).replace("-", "−")   # _num, for a float
            return text
        return write

    def gate_text(self, index: int) -> str:
        """Returns a gate in its inputs' names: w0 × x0, σ(q₄), exp(q₅), −q₄."""
        node, names = self.graph.nodes[index], self._names
        call, symbol, joins_all = _gate_form(node.op)
        inputs = [names[i][0] for i in node.inputs]
        if call:
            return f"{symbol}({', '.join(inputs)})"
        if len(inputs) == 1:
            return f"{symbol}{inputs[0]}"
        return f" {symbol} ".join(inputs) if joins_all else f"{inputs[0]} {symbol} {inputs[1]}"

    # --- steps -----------------------------------------------------------------------------------

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """Returns the lecture's steps: the inputs, each gate forward, each gate backward."""
        g = self.graph
        gates = [i for i, node in enumerate(g.nodes) if not node.is_leaf]
        steps = [Step(0, "inputs")]
        edges = {i: tuple(g.in_edges[i]) for i in gates}   # a gate's, forward and backward
        for kind, order in (("forward", gates), ("backward", reversed(gates))):
            for i in order:
                steps.append(Step(len(steps), kind, i, edges[i]))
        return tuple(steps)

    def reveal(self, step: int | None) -> Reveal:
        """Returns what lecture step `step` has shown (None: the whole pass)."""
        return Reveal(self, step)

    def step_index(self, step: int | str | None) -> int | None:
        """Returns a step as asked (a number, "end", or None for the whole pass) as an index: "end" and
        a step past the end (a link made before the expression changed) are the last step."""
        if step is None:
            return None
        last = len(self.steps) - 1
        return last if step == "end" or step > last else step

    def caption(self, step: Step, digits: int = 3) -> str:
        """Returns the sentence of one of this lesson's steps, in lecture names and the drawing's digits."""
        return self._captions(digits)[step.index]

    def _captions(self, digits: int) -> list[str]:
        """Returns every step's sentence, worked out once per digits."""
        key = ("captions", digits)
        if key in self._sentences:
            return self._sentences[key]
        g, p, num = self.graph, self.numbers, self._writer(digits)
        names = [text for text, _ in self._names]
        chains, edges, nodes, out_name = self._chain_texts(digits), g.edges, g.nodes, self.output_name
        known = self._texts.setdefault(digits, {}).get   # num's look-up, without a call
        captions = []
        for _, kind, i, step_edges in self.steps:
            if kind == "forward":
                value = p.values[i]
                value = (value.__class__ is float and known(value)) or num(value)
                captions.append(f"{names[i]} = {self.gate_text(i)} = {value}")
            elif kind == "backward":
                sends = "; ".join([f"to {names[edges[e].source]}: {chains[e]}" for e in step_edges])
                grad = p.grads[i]
                grad = (grad.__class__ is float and known(grad)) or num(grad)
                captions.append(f"{OPS[nodes[i].op].symbol} gate {names[i]} gets upstream "
                                f"∂{out_name}/∂{names[i]} = {grad}; {sends}")
            else:
                inputs = ", ".join(f"{name} = {num(p.values[v])}" for name, v in g.variables.items())
                captions.append(f"Inputs: {inputs}" if inputs else "Inputs: constants only")
        self._sentences[key] = captions
        return captions

    # --- JSON ------------------------------------------------------------------------------------

    def to_dict(self, digits: int = 3) -> dict:
        """Returns the JSON-ready dict of API.md (engine.answer); non-finite numbers stay floats; the steps'
        sentences give numbers to `digits` significant digits, as the drawing does."""
        from .answer import answer_dict   # it reads the lesson: imported here, not in a cycle
        return answer_dict(self, digits)

    @cached_property
    def out_degree(self) -> list[int]:
        degree = [0] * len(self.graph.nodes)
        for edge in self.graph.edges:
            degree[edge.source] += 1
        return degree


def _tie(op: str, values: list) -> bool:
    """True where a max or min gate's two scalar inputs are equal: the gradient is split."""
    return (op in ("max", "min") and len(values) == 2 and np.ndim(values[0]) == 0 and np.ndim(values[1]) == 0
            and values[0] == values[1])


@lru_cache(maxsize=4096)
def _numbered(k: int) -> tuple[str, str, str]:
    """Returns the k-th intermediate's name as typed (q3), as the lecture writes it (q₃) and in LaTeX (q_{3})."""
    return f"{INTERMEDIATE}{k}", f"{INTERMEDIATE}{str(k).translate(_SUBSCRIPT)}", f"{INTERMEDIATE}_{{{k}}}"


@lru_cache(maxsize=None)
def _gate_form(op_name: str) -> tuple[bool, str, bool]:
    """Returns how gate_text writes a gate of this op: (as a call?, the function's name or the operator,
    the operator between every input?)."""
    op = OPS[op_name]
    if op.is_function:
        return True, op.symbol if op.symbol.isalpha() and len(op.symbol) == 1 else op.name, False
    return False, op.symbol, op.precedence == 1


def _latex_name(name: str) -> str:
    """Returns q₃ as q_{3}, w0 as w_{0}; longer names as \\mathrm{...}."""
    plain = name.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    m = re.fullmatch(r"([A-Za-z])_?(\d+)", plain)
    if m:
        return f"{m.group(1)}_{{{m.group(2)}}}"
    escaped = plain.replace("_", r"\_")
    return escaped if len(plain) == 1 else rf"\mathrm{{{escaped}}}"


def _num(x, digits: int) -> str:
    return fmt(x, digits).replace("-", "−")


def explain(expr: str, values=None, **options) -> Lesson:
    """Returns the lesson of `expr` at `values`: engine.analyze's numbers, read as the lecture reads them.

    >>> explain("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"}).to_dict()["output"]["value"]
    -12.0
    """
    return Lesson(analyze(expr, values, **options))
