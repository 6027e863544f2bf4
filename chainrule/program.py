"""A computation recorded node by node (by an importer) -> chainrule's own expression text and values.

The importers (chainrule/importers.py) walk another library's graph and record it here; `Program.text` writes
it as statements the engine parses (`n = x1*w1 + x2*w2 + b; o = tanh(n)`), so the engine's one path computes
every number. A node used twice becomes a named statement, so it stays one node, as in the graph it came from.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from chainrule.engine.errors import ChainruleError
from chainrule.engine.ops import CONSTANTS, FUNCTIONS, OPS
from chainrule.engine.options import OPTIONS
from chainrule.engine.parse import MAX_NAME_CHARS

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")   # the tokenizer's names, less the leading _ it refuses
# names a leaf or statement may not take: functions, constants, the options (a URL could not carry them)
RESERVED = set(FUNCTIONS) | set(CONSTANTS) | set(OPTIONS) | {"expr"}
# what unnamed leaves are called first: not e (Euler's number when it has no value), f (the output), q (the
# intermediates), l and o (read as 1 and 0)
LETTERS = [c for c in "abcdghkmnprstuvwxyz" if c not in RESERVED]
# the binary ops written between their operands, with the parser's own symbols and precedences
INFIX = {name: (op.typed, op.precedence) for name, op in OPS.items() if op.typed and op.arity == 2}
NEG_PRECEDENCE = 3
MAX_INLINE_DEPTH = 32   # a deeper subexpression is named, well inside the parser's nesting limit
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def usable_name(name: object) -> bool:
    """True when `name` can name a variable or a statement: x1, w_0, n (not 'x1*w1', not exp, not step)."""
    return (isinstance(name, str) and len(name) <= MAX_NAME_CHARS and NAME.fullmatch(name) is not None
            and name not in RESERVED)


def number_text(value: float) -> str:
    """Returns a non-negative finite number as the parser reads it back exactly: 2, 0.5, 6.881373587019543."""
    if not math.isfinite(value):
        raise ChainruleError(f"the computation holds the number {value}, which an expression cannot: "
                             "only finite numbers")
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


@dataclass
class Node:
    op: str                      # "var", "const" or an engine op
    args: tuple[int, ...] = ()
    value: object = None         # a leaf's value: a float or nested lists of floats
    name: str = ""               # a leaf's or a statement's name, "" for none yet


class Program:
    """Nodes recorded children first; `text()` turns them into (expression, values)."""

    def __init__(self):
        self.nodes: list[Node] = []
        self.taken: set[str] = set()

    def add(self, op: str, args=(), value=None, name: str = "") -> int:
        if name and (not usable_name(name) or name in self.taken):
            name = ""   # a label that is not a name (karpathy's 'x1*w1'), or given twice: named as unnamed ones are
        self.taken.add(name)
        self.nodes.append(Node(op, tuple(args), value, name))
        return len(self.nodes) - 1

    def leaf(self, value, name: str = "") -> int:
        return self.add("var", value=value, name=name)

    def const(self, value: float) -> int:
        return self.add("const", value=float(value))

    def op(self, op: str, *args: int, name: str = "") -> int:
        return self.add(op, args, name=name)

    def lecture_op(self, op: str, inputs: list[int], foldable: set[int], name: str = "") -> int:
        """Records `op` over `inputs` as the lecture writes it: x*(-1) as -x, a*b⁻¹ as a/b, a + (-b) as a - b,
        a + (-2) as a - 2 and x*2 as 2*x. Only an operand used here alone and unnamed (`foldable`) is rewritten."""
        nodes = self.nodes

        def constant(i, value=None):
            return nodes[i].op == "const" and (value is None or nodes[i].value == value)

        a, b = inputs
        if op == "mul":
            for x, y in ((a, b), (b, a)):
                if constant(y, -1.0):
                    return self.op("neg", x, name=name)
                if y in foldable and nodes[y].op == "pow" and constant(nodes[y].args[1], -1.0):
                    return self.op("div", x, nodes[y].args[0], name=name)
                if y in foldable and nodes[y].op == "div" and constant(nodes[y].args[0], 1.0):   # torch's 2/x
                    return self.op("div", x, nodes[y].args[1], name=name)
            if constant(b) and not constant(a):
                return self.op("mul", b, a, name=name)
        if op == "add":
            for x, y in ((a, b), (b, a)):
                if y in foldable and nodes[y].op == "neg":
                    return self.op("sub", x, nodes[y].args[0], name=name)
                if constant(y) and nodes[y].value < 0 and not constant(x):
                    return self.op("sub", x, self.const(-nodes[y].value), name=name)
        return self.op(op, a, b, name=name)

    def text(self, output: int) -> tuple[str, dict]:
        """Returns the expression text of the node `output` and the values of its variables."""
        reachable = self._reachable(output)   # an operand the lecture's reading folded away is not drawn
        uses = [0] * len(self.nodes)
        for i in reachable:
            for a in self.nodes[i].args:
                uses[a] += 1
        self._name_leaves(output)
        depth = [0] * len(self.nodes)
        statement = [False] * len(self.nodes)
        for i in reachable:
            node = self.nodes[i]
            if node.op in ("var", "const"):
                continue
            depth[i] = 1 + max(depth[a] for a in node.args)
            if i != output and (uses[i] > 1 or node.name or depth[i] > MAX_INLINE_DEPTH):
                statement[i], depth[i] = True, 0
        unnamed = [i for i, s in enumerate(statement) if s and not self.nodes[i].name]
        if unnamed:   # then every unnamed gate is a statement: q1, q2, ... throughout, never mixed with q₁
            for i in reachable:
                if self.nodes[i].op not in ("var", "const") and i != output and not self.nodes[i].name:
                    statement[i] = True
            numbers = (f"q{k}" for k in range(1, 2 * len(self.nodes) + 2) if f"q{k}" not in self.taken)
            for i in (i for i, s in enumerate(statement) if s and not self.nodes[i].name):
                self.nodes[i].name = next(numbers)
        texts: dict[int, tuple[str, int]] = {}   # node -> (text as an operand, its precedence)
        lines = []
        for i in reachable:
            texts[i] = self._write(i, texts)
            if statement[i]:
                lines.append(f"{self.nodes[i].name} = {texts[i][0]}")
                texts[i] = (self.nodes[i].name, 9)
        out = self.nodes[output]
        named = out.name and out.op not in ("var", "const")
        lines.append(f"{out.name} = {texts[output][0]}" if named else texts[output][0])
        values = {self.nodes[i].name: value_text(self.nodes[i].value) for i in texts if self.nodes[i].op == "var"}
        return "; ".join(lines), values

    def _reachable(self, output: int) -> list[int]:
        seen, stack = set(), [output]
        while stack:
            i = stack.pop()
            if i not in seen:
                seen.add(i)
                stack.extend(self.nodes[i].args)
        return sorted(seen)   # children were recorded first: index order is a topological order

    def _name_leaves(self, output: int):
        """Names unnamed leaves a, b, c, ... in the order they are first reached, left to right."""
        order, seen, stack = [], set(), [output]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            if self.nodes[i].op == "var" and not self.nodes[i].name:
                order.append(i)
            stack.extend(reversed(self.nodes[i].args))
        letters = [c for c in LETTERS if c not in self.taken]
        pool = letters if len(order) <= len(letters) else \
            [f"x{k}" for k in range(1, 2 * len(order) + len(self.taken) + 2) if f"x{k}" not in self.taken]
        for i, name in zip(order, pool):
            self.nodes[i].name = name
            self.taken.add(name)

    def _write(self, i: int, texts: dict) -> tuple[str, int]:
        node = self.nodes[i]
        if node.op == "var":
            return node.name, 9
        if node.op == "const":
            if node.value < 0:
                return f"(-{number_text(-node.value)})", 9
            return number_text(node.value), 9
        args = [texts[a] for a in node.args]
        if node.op == "neg":
            (text, precedence), = args
            return f"-{_wrap(text, precedence <= NEG_PRECEDENCE)}", NEG_PRECEDENCE
        if node.op in INFIX:
            symbol, precedence = INFIX[node.op]
            (left, lp), (right, rp) = args
            exponent = self.nodes[node.args[1]]
            if node.op == "pow" and exponent.op == "const" and exponent.value < 0 and exponent.value.is_integer() \
                    and abs(exponent.value) < 1e6:
                # x⁻¹ is one constant, -1; x^(-1) would be a neg gate on the constant 1
                return _wrap(left, lp <= precedence) + str(int(exponent.value)).translate(SUPERSCRIPT), precedence
            wrap_left = lp < precedence or (node.op == "pow" and lp <= precedence)
            wrap_right = rp < precedence or (rp == precedence and node.op in ("sub", "div"))
            spaced = f" {symbol} " if precedence == 1 else symbol
            return _wrap(left, wrap_left) + spaced + _wrap(right, wrap_right), precedence
        if OPS[node.op].is_function:
            return f"{node.op}({', '.join(text for text, _ in args)})", 9
        raise ValueError(f"no way to write the op {node.op}")


def _wrap(text: str, wrap: bool) -> str:
    return f"({text})" if wrap else text


def value_text(value) -> object:
    """Returns a leaf's value as the engine takes it: a float, or a JSON array's text for a vector or matrix."""
    return value if isinstance(value, float) else json.dumps(value)
