"""The graph a student's own code built, in micrograd or PyTorch, as a chainrule Graph.

Each importer walks the peer's graph once, records it in a Program (chainrule/program.py) and hands the text to
chainrule.graph's one path: the engine computes every value and gradient itself, whether or not backward() ran.
Neither micrograd nor torch is imported by `import chainrule`; from_micrograd needs no import (it reads the Value
it is given), from_torch (chainrule/torch_graph.py) imports torch when called.
"""
from __future__ import annotations

import math
import re

from chainrule.engine.errors import ChainruleError, LimitError, ParseError

from .notebook import Graph
from .program import Program, usable_name

MICROGRAD_OPS = {"+": "add", "*": "mul", "ReLU": "relu", "relu": "relu", "tanh": "tanh", "exp": "exp",
                 "log": "log", "sigmoid": "sigmoid"}
POWER = re.compile(r"\*\*(.+)")   # micrograd writes x**k as the op '**k'


def from_micrograd(value, names: dict | None = None, **options) -> Graph:
    """Returns the Graph of the computation that produced the micrograd Value `value`.

    Leaves are named by their `label` (karpathy's lecture Value has one), by `names` (name -> Value: the leaves
    or intermediates to name, for micrograd 0.1.0's Values, which have no label), else a, b, c, ... in the order
    the expression reads. A number micrograd wrapped inside an op (the 2 of 2*x, the -1 of -x) is a constant;
    micrograd's -x, a - b and a / b (x*-1, a + b*-1, a * b**-1) read as -x, a - b and a / b.
    """
    given = by_identity(names, lambda v: hasattr(v, "_prev"), "micrograd Value")
    if not hasattr(value, "_prev") or not hasattr(value, "data"):
        raise ChainruleError(f"from_micrograd takes a micrograd Value, not a {type(value).__name__}")
    order, operands, uses = [], {}, {}
    stack, seen = [(value, False)], set()
    while stack:   # every Value once, children first; a Value used twice is one node
        v, done = stack.pop()
        if done:
            order.append(v)
            continue
        if id(v) in seen:
            continue
        seen.add(id(v))
        operands[id(v)] = _micrograd_operands(v)
        stack.append((v, True))
        for child in reversed(operands[id(v)]):   # the left operand first: statements in reading order
            uses[id(child)] = uses.get(id(child), 0) + 1
            stack.append((child, False))
    # a Value micrograd made of a Python int inside + or * (the 2 of 2*x, the -1 of -x) is the op's constant
    wrapped = {id(args[1]) for v in order if v._op in ("+", "*") and (args := operands[id(v)])
               and not args[1]._prev and uses[id(args[1])] == 1 and not _named(args[1], given)
               and isinstance(args[1].data, int) and not isinstance(args[1].data, bool)}
    program, index = Program(), {}
    for v in order:
        name = given.get(id(v)) or getattr(v, "label", "") or ""
        args = operands[id(v)]
        if not args:
            index[id(v)] = program.const(_number(v.data)) if id(v) in wrapped else program.leaf(_number(v.data), name)
            continue
        foldable = {index[id(a)] for a in args if uses[id(a)] == 1 and not _named(a, given)}
        inputs = [index[id(a)] for a in args]
        if v._op in ("+", "*"):
            index[id(v)] = program.lecture_op(MICROGRAD_OPS[v._op], inputs, foldable, name)
        elif power := POWER.fullmatch(v._op):
            exponent = _closure(v).get("other", power.group(1))
            index[id(v)] = program.op("pow", inputs[0], program.const(float(exponent)), name=name)
        else:
            index[id(v)] = program.op(MICROGRAD_OPS[v._op], *inputs, name=name)
    return to_graph(program, index[id(value)], options)


def _micrograd_operands(v) -> list:
    """Returns a Value's operands in order (a - b is not b - a for the reader): micrograd keeps them in a set,
    but its op's backward closure knows which is `self` and which `other`."""
    prev = list(v._prev)
    if not prev:
        return []
    op = v._op
    if op not in MICROGRAD_OPS and not POWER.fullmatch(op):
        ops = ", ".join(["**k", *MICROGRAD_OPS])
        raise ChainruleError(f"from_micrograd cannot show the op {op!r} yet; it shows {ops}")
    if op not in ("+", "*"):
        return prev[:1]
    cells = _closure(v)
    self_, other = cells.get("self"), cells.get("other")
    if any(self_ is p for p in prev) and any(other is p for p in prev):
        return [self_, other]
    if len(prev) == 1:   # x + x: the set holds x once
        return prev * 2
    # no closure to ask: a Value made of a Python number last, as micrograd's own ops place it
    return sorted(prev, key=lambda p: not p._prev and isinstance(p.data, int))


def _closure(v) -> dict:
    function = getattr(v, "_backward", None)
    code, cells = getattr(function, "__code__", None), getattr(function, "__closure__", None) or ()
    found = {}
    for name, cell in zip(code.co_freevars if code else (), cells):
        try:
            found[name] = cell.cell_contents
        except ValueError:   # an empty cell
            pass
    return found


def _named(v, given: dict) -> bool:
    return bool(given.get(id(v)) or getattr(v, "label", ""))


def _number(data) -> float:
    try:
        value = float(data)
    except (TypeError, ValueError, OverflowError):
        raise ChainruleError(f"a Value holds {str(data)[:40]}, not a number chainrule can show") from None
    if not math.isfinite(value):
        raise ChainruleError(f"the computation holds the number {value}; chainrule takes finite numbers only")
    return value


def by_identity(names: dict | None, accepts, what: str) -> dict[int, str]:
    """Returns id(object) -> name from a names= mapping of name -> object."""
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise ChainruleError(f"names must be a dict of name -> {what}, e.g. names={{'x': x}}")
    found = {}
    for name, thing in names.items():
        if not isinstance(name, str) or not accepts(thing):
            raise ChainruleError(f"names must map a name (text) to a {what}, e.g. names={{'x': x}}; "
                                 f"not {name!r}: {type(thing).__name__}")
        if not usable_name(name):
            raise ChainruleError(f"names: {name!r} cannot name a variable: a name is letters, digits and _, starts "
                                 "with a letter, and is not a function's, a constant's or an option's name")
        found[id(thing)] = name
    return found


def to_graph(program: Program, output: int, options: dict) -> Graph:
    """Returns the Graph of a recorded computation, its numbers computed now: an error belongs to this call."""
    expr, values = program.text(output)
    graph = Graph(expr, values, options)
    try:
        graph.lesson
    except LimitError as error:   # the engine's limits, said of the computation: the person typed no expression
        raise LimitError(f"the computation is too large for chainrule: {error.message}") from None
    except ParseError as error:
        if "limit" not in error.message:
            raise
        raise LimitError(f"the computation is too large for chainrule: {error.message}") from None
    return graph
