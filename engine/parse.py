"""Text -> Tree, by our own tokenizer and precedence-climbing parser.

The text is never evaluated: not by eval, not by sympify or parse_expr (which call eval),
and not by Python's own grammar either. ast.parse refuses 3,000 chained additions with a
RecursionError and raises MemoryError on 20,000 unary minuses (measured, CPython 3.11);
a grammar of our own accepts exactly the language of the op table, with our messages,
our limits and character offsets in every error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ParseError
from .ops import BINARY, CONSTANTS, FUNCTIONS

MAX_CHARS = 20_000
MAX_OPS = 2_500
MAX_DEPTH = 128
MAX_NAME_CHARS = 32
MAX_NUMBER_CHARS = 40


@dataclass(frozen=True)
class Tree:
    """One parsed node: op is "var", "const", or a name from OPS."""

    op: str
    args: tuple["Tree", ...] = ()
    start: int = 0           # character offsets into the text, for messages
    end: int = 0
    name: str = ""           # a variable's name, a constant's text
    value: float = 0.0       # a constant's value


_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"  # ASCII digits only
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^(),@])"
)
# Characters people try that are not ours, with what to say about them.
_REFUSED = {
    ".": "attribute access is not allowed",
    "[": "indexing and lists are not allowed in an expression",
    "]": "indexing and lists are not allowed in an expression",
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    "=": "assignment and comparison are not allowed",
    ":": "':' is not allowed (no lambdas, slices or statements)",
    ";": "only one expression is allowed",
}


def tokenize(text: str) -> list[tuple[str, str, int]]:
    """Returns (kind, text, offset) tokens, ending with ("end", "", len(text))."""
    if len(text) > MAX_CHARS:
        raise ParseError(f"expression is {len(text)} characters long; the limit is {MAX_CHARS}",
                         MAX_CHARS)
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            ch = text[pos]
            why = _REFUSED.get(ch, f"unexpected character {ch!r}")
            raise ParseError(f"{why} at {pos}", pos)
        kind = m.lastgroup
        if kind != "space":
            tokens.append((kind, m.group(), pos))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.ops = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self):
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, want: str, context: str):
        kind, text, pos = self.take()
        if text != want:
            raise ParseError(f"{_describe(kind, text)} at {pos}: expected '{want}' {context}", pos)

    def count_op(self, pos: int):
        self.ops += 1
        if self.ops > MAX_OPS:
            raise ParseError(f"expression has more than {MAX_OPS} operations; that is the limit",
                             pos)

    def expression(self, min_precedence: int, depth: int) -> Tree:
        """Precedence climbing: loops over left-associative chains, recurses only to nest."""
        if depth > MAX_DEPTH:
            raise ParseError(f"expression is nested more than {MAX_DEPTH} levels deep at "
                             f"{self.peek()[2]}", self.peek()[2])
        left = self.unary(depth)
        while True:
            kind, text, pos = self.peek()
            op = BINARY.get("^" if text == "**" else text) if kind == "op" else None
            if op is None or op.precedence < min_precedence:
                return left
            self.take()
            self.count_op(pos)
            right_assoc = op.name == "pow"
            right = self.expression(op.precedence + (0 if right_assoc else 1), depth + 1)
            left = Tree(op.name, (left, right), left.start, right.end)

    def unary(self, depth: int) -> Tree:
        kind, text, pos = self.peek()
        if text in ("-", "+"):
            self.take()
            # -x^2 is -(x^2), and -x*y is (-x)*y: the operand binds tighter than * but
            # looser than ^.
            operand = self.expression(BINARY["^"].precedence, depth + 1)
            if text == "+":
                return operand
            self.count_op(pos)
            return Tree("neg", (operand,), pos, operand.end)
        return self.primary(depth)

    def primary(self, depth: int) -> Tree:
        kind, text, pos = self.take()
        if kind == "number":
            return self.number(text, pos)
        if kind == "name":
            return self.name(text, pos, depth)
        if text == "(":
            inner = self.expression(0, depth + 1)
            self.expect(")", f"to close the '(' at {pos}")
            return inner
        if kind == "end":
            raise ParseError(f"expression ends too soon at {pos}: expected a number, "
                             "a name or '('", pos)
        raise ParseError(f"{_describe(kind, text)} at {pos}: expected a number, a name or '('",
                         pos)

    def number(self, text: str, pos: int) -> Tree:
        if len(text) > MAX_NUMBER_CHARS:
            raise ParseError(f"number at {pos} has more than {MAX_NUMBER_CHARS} characters", pos)
        value = float(text)
        if value == float("inf"):
            raise ParseError(f"number at {pos} is too large", pos)
        self.no_juxtaposition(pos + len(text), text)
        return Tree("const", (), pos, pos + len(text), name=text, value=value)

    def name(self, text: str, pos: int, depth: int) -> Tree:
        end = pos + len(text)
        if len(text) > MAX_NAME_CHARS:
            raise ParseError(f"name at {pos} has more than {MAX_NAME_CHARS} characters", pos)
        if text.startswith("_"):
            raise ParseError(f"names may not start with '_' (at {pos})", pos)
        if self.peek()[1] == "(":
            op = FUNCTIONS.get(text)
            if op is None:
                raise ParseError(f"unknown function '{text}' at {pos}", pos)
            return self.call(op, pos, depth)
        if text in FUNCTIONS:
            raise ParseError(f"function '{text}' at {pos} needs its argument in parentheses: "
                             f"{text}(...)", pos)
        self.no_juxtaposition(end, text)
        if text in CONSTANTS:
            return Tree("const", (), pos, end, name=text, value=CONSTANTS[text][0])
        return Tree("var", (), pos, end, name=text)

    def call(self, op, pos: int, depth: int) -> Tree:
        open_pos = self.take()[2]
        args = [self.expression(0, depth + 1)]
        while self.peek()[1] == ",":
            self.take()
            args.append(self.expression(0, depth + 1))
        kind, text, close_pos = self.take()
        if text != ")":
            raise ParseError(f"{_describe(kind, text)} at {close_pos}: expected ',' or ')' to "
                             f"close the '(' at {open_pos}", close_pos)
        if len(args) != op.arity:
            raise ParseError(f"{op.name} takes {op.arity} argument{'s' * (op.arity > 1)}, "
                             f"got {len(args)} (at {pos})", pos)
        self.count_op(pos)
        return Tree(op.name, tuple(args), pos, close_pos + 1)

    def no_juxtaposition(self, end: int, what: str):
        kind, text, pos = self.peek()
        if kind in ("number", "name") or text == "(":
            raise ParseError(f"missing operator between '{what}' and '{text}' at {pos} "
                             "(write '*' to multiply)", pos)


def _describe(kind: str, text: str) -> str:
    return "end of expression" if kind == "end" else f"unexpected '{text}'"


def parse(text: str) -> Tree:
    """Returns the tree of `text`, or raises ParseError(message, offset).

    >>> parse("(x+y)*z").op
    'mul'
    """
    parser = _Parser(text)
    if parser.peek()[0] == "end":
        raise ParseError("expression is empty", 0)
    tree = parser.expression(0, 0)
    kind, token, pos = parser.peek()
    if kind != "end":
        if token == ")":
            raise ParseError(f"unexpected ')' at {pos}: no '(' to close", pos)
        raise ParseError(f"{_describe(kind, token)} at {pos}: expected an operator", pos)
    return tree
