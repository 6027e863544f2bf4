"""Practice: the blanks a student fills in lecture order, and an answer checked as a teacher would.

The blanks follow the lecture's steps: each gate's value going forward; then from the output back, for each
gate the gradient arriving at it, and on each input edge the local gradient and the downstream it sends; at
the end each variable whose gradient is a sum of shares (a fan-out). A step's drawing is shown once all of
its blanks are answered, so the page never holds a number the student has not reached (engine.render takes
unrevealed numbers out of a step's drawing; `masked` does the same for the JSON).

>>> from engine import Lesson, analyze
>>> lesson = Lesson(analyze("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"}))
>>> [(b.id, b.quantity) for b in blanks(lesson)][:3]
[('n2', 'value'), ('n4', 'value'), ('n4', 'grad')]
>>> check(lesson, "n2", "value", "-2+5").correct
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ChainruleError
from .format import fmt
from .lesson import Lesson
from .ops import OPS

QUANTITIES = ("value", "grad", "local", "upstream", "downstream")
MAX_ANSWER_CHARS = 80
from .options import PRACTICES as MODES  # noqa: E402  (the option's choices: one place)


@dataclass(frozen=True)
class Blank:
    """One number the student works out: `id` is the node or edge id of /api/graph (n3, e5)."""

    id: str
    quantity: str
    step: int            # the lecture step it belongs to: its drawing is shown once the step's blanks are done
    label: str           # what it asks, in plain words

    def to_dict(self) -> dict:
        return {"id": self.id, "quantity": self.quantity, "step": self.step, "label": self.label}


@dataclass(frozen=True)
class Verdict:
    correct: bool
    message: str
    hint: str = ""


def blanks(lesson: Lesson, mode: str = "full") -> list[Blank]:
    """Returns the blanks in lecture order; mode "backward" gives the forward values and asks the rest."""
    if mode not in MODES:
        raise ChainruleError(f"practice must be one of {', '.join(MODES)}; not {mode!r}")
    g, out = lesson.graph, lesson.output_name
    if any(np.ndim(v) for v in lesson.numbers.values):
        raise ChainruleError("practice works on numbers, not arrays: give every variable a number")
    result = []
    for step in lesson.steps:
        i = step.node
        if step.kind == "forward" and mode == "full":
            result.append(Blank(g.id(i), "value", step.index,
                                f"{lesson.name(i)} = {lesson.gate_text(i)}: its value going forward"))
        elif step.kind == "backward":
            name = lesson.name(i)
            result.append(Blank(g.id(i), "grad", step.index, f"∂{out}/∂{name}: the gradient arriving at {name}"))
            for e in step.edges:
                source = g.edges[e].source
                if g.nodes[source].op == "const":
                    continue   # a constant gets no gradient worth asking
                to = lesson.name(source)
                result.append(Blank(f"e{e}", "local", step.index,
                                    f"∂{name}/∂{to}: the local gradient of {name} with respect to {to}"))
                result.append(Blank(f"e{e}", "downstream", step.index,
                                    f"what {name} sends back to {to}: upstream × local"))
    last = len(lesson.steps) - 1
    for name, i in g.variables.items():
        if lesson.out_degree[i] > 1:
            result.append(Blank(g.id(i), "grad", last, f"∂{out}/∂{name}: {name} is used "
                                                          f"{lesson.out_degree[i]} times; its gradient is"))
    return result


def truth(lesson: Lesson, blank_id: str, quantity: str) -> float:
    """Returns the number a blank asks for."""
    p, g = lesson.numbers, lesson.graph
    if quantity not in QUANTITIES:
        raise ChainruleError(f"quantity must be one of {', '.join(QUANTITIES)}; not {quantity[:20]!r}")
    kind, index = blank_id[:1], blank_id[1:]
    if kind not in ("n", "e") or not index.isascii() or not index.isdigit() or len(index) > 6:
        raise ChainruleError(f"blank must be a node or edge id such as n3 or e5; not {blank_id[:20]!r}")
    index = int(index)
    if kind == "n" and index < len(g.nodes) and quantity in ("value", "grad"):
        return float((p.values if quantity == "value" else p.grads)[index])
    if kind == "e" and index < len(g.edges) and quantity in ("local", "upstream", "downstream"):
        return float({"local": p.local, "upstream": p.upstream, "downstream": p.downstream}[quantity][index])
    raise ChainruleError(f"{blank_id} has no {quantity} to practise")


def read_answer(text: str) -> float:
    """Returns the number an answer stands for: a number, a fraction or arithmetic of numbers (1/2, -3*0.197),
    read by the engine's own safe parser; an answer that names a variable is refused with a plain message."""
    from .analysis import analyze   # an answer is an expression with no variables, evaluated by the engine

    if not isinstance(text, str) or not text.strip():
        raise ChainruleError("type a number, e.g. -0.197 or 1/2")
    if len(text) > MAX_ANSWER_CHARS:
        raise ChainruleError(f"an answer is at most {MAX_ANSWER_CHARS} characters")
    analysis = analyze(text)
    if analysis.graph.variables:
        names = ", ".join(analysis.graph.variables)
        raise ChainruleError(f"an answer is a number, not a name: {names} is a variable of the graph; "
                             "write its number instead")
    return float(analysis.numbers.values[analysis.graph.output])


def check(lesson: Lesson, blank_id: str, quantity: str, answer: str, digits: int = 3) -> Verdict:
    """Returns whether `answer` is right within the digits on display, with a hint that teaches without
    giving the number away."""
    want = truth(lesson, blank_id, quantity)
    given = read_answer(answer)
    if _close(given, want, digits):
        return Verdict(True, "Right.")
    # the student's number as given (12 digits drop float noise such as 0.1+0.2): rounded, 1234 would read "Not 1230"
    return Verdict(False, f"Not {fmt(given, 12).replace('-', '−')}.", hint(lesson, blank_id, quantity))


def _close(given: float, want: float, digits: int) -> bool:
    """True within one unit of the last digit shown (a student working from rounded numbers lands there)."""
    if not (math.isfinite(given) and math.isfinite(want)):
        return given == want or (math.isnan(given) and math.isnan(want))
    if want == 0:
        return abs(given) < 10 ** -digits
    unit = 10 ** (math.floor(math.log10(abs(want))) - digits + 1)
    return abs(given - want) <= unit * 1.000001


def hint(lesson: Lesson, blank_id: str, quantity: str) -> str:
    """Returns what the gate's role says about this quantity, never the number."""
    g = lesson.graph
    out = lesson.output_name
    if blank_id.startswith("e"):
        edge = g.edges[int(blank_id[1:])]
        gate = g.nodes[edge.target]
        op = OPS[gate.op]
        if quantity == "local":
            return f"{op.role}: {op.doc}"
        return f"downstream = upstream × local: ∂{out}/∂{lesson.name(edge.target)} times the local gradient"
    index = int(blank_id[1:])
    if quantity == "value":
        return f"work out {lesson.gate_text(index)} from the values of its inputs"
    if index == g.output:
        return f"the output's gradient with respect to itself: ∂{out}/∂{out}"
    if lesson.out_degree[index] > 1:
        return f"at a fan-out the shares add: {lesson.name(index)} feeds {lesson.out_degree[index]} gates; add what each sends back"
    consumer = next(edge.target for edge in g.edges if edge.source == index)
    return (f"what arrives at {lesson.name(index)} is what {lesson.name(consumer)} sent back to it "
            f"({OPS[g.nodes[consumer].op].role})")


def masked(lesson: Lesson, step: int, digits: int = 3) -> dict:
    """Returns the JSON of the lesson with every number that step `step` has not revealed taken out (null),
    and only the sentences of the steps reached: what a practice page may hold."""
    data = lesson.to_dict(digits)
    reveal = lesson.reveal(step)
    for i, node in enumerate(data["nodes"]):
        if i not in reveal.value_shown:
            node["value"] = None
            node.pop("exact", None)
        grad = reveal.grad(i)     # a fan-out's running sum, or None before any share arrives
        node["grad"] = None if grad is None else float(grad)
    for e, edge in enumerate(data["edges"]):
        if lesson.graph.edges[e].target not in reveal.fired:
            edge["upstream"] = edge["local"] = edge["downstream"] = None
    for name, variable in data["variables"].items():
        variable["grad"] = data["nodes"][lesson.graph.variables[name]]["grad"]
    if lesson.graph.output not in reveal.value_shown:
        data["output"]["value"] = None
    if lesson.graph.output not in reveal.fired:
        data["upstream"] = None   # the gradient that starts the backward pass is ∂f/∂f, a blank too
    data["steps"] = data["steps"][: step + 1]
    data["gradcheck"] = {}
    return data
