"""Text -> statements of Trees, by our own tokenizer (tokens.py) and a precedence-climbing
parser.

The text is never evaluated: not by eval, not by sympify or parse_expr (which call eval),
and not by Python's own grammar either. ast.parse refuses 3,000 chained additions with a
RecursionError and raises MemoryError on 20,000 unary minuses (measured, CPython 3.11);
a grammar of our own accepts exactly the language of the op table, with our messages,
our limits and character offsets in every error.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, NamedTuple

from .errors import ParseError
from .ops import BINARY, CONSTANTS, FUNCTIONS
from .tokens import MAX_CHARS, tokenize, unknown_function

MAX_OPS = 2_500
MAX_DEPTH = 128
MAX_NAME_CHARS = 32
MAX_NUMBER_CHARS = 40
MAX_EXPONENT_DIGITS = 3      # 1e-999 is fine; 1e-999999 would cost exact mode 10**999999

_PREFIX = ("-", "+", "√")  # operators that start an operand: -x, +x, √x
EULER = "e"                  # Euler's number, unless the person gives e a value
CONSTANT_SPELLINGS = {EULER: "E"}   # how a constant may be typed -> its name in CONSTANTS


class Tree(NamedTuple):
    """One parsed node: op is "var", "const", or a name from OPS.

    Immutable, like a frozen dataclass, and three times cheaper to build: a 1,000-gate
    expression builds some 2,000 of them."""

    op: str
    args: tuple["Tree", ...] = ()
    start: int = 0           # character offsets into the text, for messages
    end: int = 0
    name: str = ""           # a variable's name, a constant's text
    value: float = 0.0       # a constant's value


@dataclass(frozen=True)
class Statement:
    """One statement: `name = tree`, or a bare expression (name "") as the last one."""

    name: str
    tree: Tree
    start: int


class _Parser:
    def __init__(self, text: str, given: Iterable[str]):
        self.text = text
        tokens = tokenize(text)
        self.tokens = tokens + [tokens[-1]]  # a second end token: peek(1) needs no bounds check
        self.i = 0
        self.ops = 0
        self.given = frozenset(given)        # names that have values: e is then a variable
        self.defined: dict[str, int] = {}    # statement name -> where it is defined
        self.uses: dict[str, int] = {}       # statement name -> how often later ones use it
        self.first_use: dict[str, int] = {}  # free name or constant -> where first typed

    def peek(self, ahead: int = 0):
        return self.tokens[self.i + ahead]

    def take(self):
        token = self.tokens[self.i]
        self.i += 1
        return token

    def typed(self, start: int, end: int, limit: int = 24) -> str:
        text = self.text[start:end]
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def unexpected(self, token, expected: str):
        kind, _, pos, end = token
        if kind == "assign":
            raise ParseError(f"'=' at {pos} is inside an expression: '=' may only follow the "
                             "name that starts a statement, as in q = x + y", pos)
        what = {"end": "end of expression", "newline": "end of the line"}.get(
            kind, f"unexpected '{self.text[pos:end]}'")
        raise ParseError(f"{what} at {pos}: {expected}", pos)

    def count_op(self, pos: int):
        self.ops += 1
        if self.ops > MAX_OPS:
            raise ParseError(f"expression has more than {MAX_OPS} operations; that is the limit",
                             pos)

    # --- statements -------------------------------------------------------------------

    def program(self) -> list[Statement]:
        statements: list[Statement] = []
        while True:
            while self.peek()[0] == "newline":
                self.take()
            kind, _, pos, _ = self.peek()
            if kind == "end":
                break
            if kind == "sep":
                raise ParseError(f"empty statement at {pos}: remove the extra ';'", pos)
            if statements and not statements[-1].name:
                last = statements[-1]
                raise ParseError(
                    f"the statement at {last.start} has no name; only the last statement may "
                    f"be a bare expression: write q = {self.typed(last.start, last.tree.end)}",
                    last.start)
            statements.append(self.statement())
            kind, token, pos, _ = self.peek()
            if kind == "sep":
                self.take()
            elif kind not in ("newline", "end"):
                if token == ")":
                    raise ParseError(f"unexpected ')' at {pos}: no '(' to close", pos)
                self.unexpected(self.peek(), "expected an operator")
        if not statements:
            raise ParseError("expression is empty", 0)
        for name, count in self.uses.items():
            if count == 0 and name != statements[-1].name:
                at = self.defined[name]
                raise ParseError(f"{name} (defined at {at}) is not used by a later statement; "
                                 "the last statement is the output: use it or remove it", at)
        return statements

    def statement(self) -> Statement:
        kind, _, pos, _ = self.peek()
        if kind == "name" and self.peek(1)[0] == "assign":
            return self.assignment()
        tree = self.expression(0, 0)
        if self.peek()[0] == "assign":
            at = self.peek()[2]
            raise ParseError(f"'=' at {at}: only a name can be given a value, as in "
                             f"q = {self.typed(pos, tree.end)}", at)
        return Statement("", tree, pos)

    def assignment(self) -> Statement:
        _, name, pos, end = self.take()
        typed = self.text[pos:end]
        equals = self.take()[2]
        self.check_name(name, pos)
        if name in FUNCTIONS:
            raise ParseError(f"'{typed}' at {pos} is a function; name the statement something "
                             "else, e.g. q", pos)
        if name in CONSTANTS:
            raise ParseError(_constant_message(name, pos), pos)
        if name in self.defined:
            raise ParseError(f"{typed} at {pos} is already defined at {self.defined[name]}; "
                             "each name is defined once", pos)
        if self.peek()[0] in ("end", "sep", "newline"):
            raise ParseError(f"nothing after '=' at {equals}: write {typed} = an expression",
                             equals)
        tree = self.expression(0, 0)
        if self.peek()[0] == "assign":
            at = self.peek()[2]
            raise ParseError(f"'=' at {at}: one '=' per statement; separate statements with "
                             "';' or a new line", at)
        used = self.first_use.get(name)
        if used is not None:
            where = "before it is defined at" if used < pos else "in its own definition at"
            raise ParseError(f"{typed} is used at {used} {where} {pos}: define a name before "
                             "using it", used)
        right = self.typed(tree.start, tree.end)
        number = tree.args[0] if tree.op == "neg" else tree
        if number.op == "const" and number.name not in CONSTANTS and number.name != EULER:
            raise ParseError(f"'{typed} = {right}' at {pos} gives {typed} a number: make it a "
                             f"variable and set its value beside the expression ({typed}="
                             f"{right} in the link), not in it", pos)
        if tree.op in ("var", "const"):
            raise ParseError(f"'{typed} = {right}' at {pos} only gives {right} another name: "
                             f"a statement names a computation, as in {typed} = x + y", pos)
        self.defined[name] = pos
        self.uses[name] = 0
        return Statement(name, tree, pos)

    # --- expressions ------------------------------------------------------------------
    # Every token passes through expression, unary and primary, so these read the token
    # list directly (self.tokens[self.i] is peek(), self.i += 1 is take()).

    def expression(self, min_precedence: int, depth: int) -> Tree:
        """Precedence climbing: loops over left-associative chains, recurses only to nest."""
        if depth > MAX_DEPTH:
            raise ParseError(f"expression is nested more than {MAX_DEPTH} levels deep at "
                             f"{self.peek()[2]}", self.peek()[2])
        tokens = self.tokens
        kind, text, _, _ = tokens[self.i]
        left = self.unary(depth) if kind == "op" and text in _PREFIX else self.primary(depth)
        while True:
            kind, text, pos, _ = tokens[self.i]
            op = BINARY.get(text) if kind == "op" else None
            if op is None or op.precedence < min_precedence:
                return left
            self.i += 1
            self.count_op(pos)
            right_assoc = op.name == "pow"
            right = self.expression(op.precedence + (0 if right_assoc else 1), depth + 1)
            left = Tree(op.name, (left, right), left.start, right.end)

    def unary(self, depth: int) -> Tree:
        """Returns -x, +x or √x; the next token is the operator."""
        _, text, pos, _ = self.take()
        # -x^2 is -(x^2) and √x² is √(x²), while -x*y is (-x)*y: the operand binds
        # tighter than * but looser than ^.
        operand = self.expression(BINARY["^"].precedence, depth + 1)
        if text == "+":
            return operand
        self.count_op(pos)
        return Tree("neg" if text == "-" else "sqrt", (operand,), pos, operand.end)

    def primary(self, depth: int) -> Tree:
        tokens = self.tokens
        token = tokens[self.i]
        self.i += 1
        kind, text, pos, end = token
        if kind == "name":
            tree = self.name(text, pos, end, depth)
        elif kind == "number":
            tree = self.number(text, pos, end)
        elif text == "(":
            tree = self.expression(0, depth + 1)
            close = tokens[self.i]
            if close[1] != ")":
                self.unexpected(close, f"expected ')' to close the '(' at {pos}")
            self.i += 1
        elif kind == "end":
            raise ParseError(f"expression ends too soon at {pos}: expected a number, "
                             "a name or '('", pos)
        else:
            self.unexpected(token, "expected a number, a name or '('")
        kind, text, next_pos, next_end = tokens[self.i]
        while kind == "sup":                 # x², x⁻¹: a power of what comes just before
            self.i += 1
            self.count_op(next_pos)
            exponent = self.number(text, next_pos, next_end)
            tree = Tree("pow", (tree, exponent), tree.start, next_end)
            kind, text, next_pos, next_end = tokens[self.i]
        if kind in ("number", "name") or text in ("(", "√"):
            raise ParseError(f"missing operator between '{self.typed(pos, tokens[self.i - 1][3])}'"
                             f" and '{self.text[next_pos:next_end]}' at {next_pos} (write '*' to "
                             "multiply)", next_pos)
        return tree

    def number(self, text: str, pos: int, end: int) -> Tree:
        if len(text) > MAX_NUMBER_CHARS:
            raise ParseError(f"number at {pos} has more than {MAX_NUMBER_CHARS} characters", pos)
        mantissa, e, exponent = text.lower().partition("e")
        if e and len(exponent.lstrip("+-").lstrip("0")) > MAX_EXPONENT_DIGITS:
            at = pos + len(mantissa)
            raise ParseError(f"the exponent of the number at {pos} has more than "
                             f"{MAX_EXPONENT_DIGITS} digits (at {at}); numbers are limited to "
                             f"1e-999 .. 1e308", at)
        value = float(text)
        if value == float("inf"):
            raise ParseError(f"number at {pos} is too large", pos)
        return Tree("const", (), pos, end, name=text, value=value)

    def check_name(self, name: str, pos: int):
        if len(name) > MAX_NAME_CHARS:
            raise ParseError(f"name at {pos} has more than {MAX_NAME_CHARS} characters", pos)
        if name.startswith("_"):
            raise ParseError(f"names may not start with '_' (at {pos})", pos)

    def name(self, name: str, pos: int, end: int, depth: int) -> Tree:
        self.check_name(name, pos)
        kind, text, _, _ = self.tokens[self.i]
        if text == "(":
            op = FUNCTIONS.get(name)
            if op is None:
                raise ParseError(unknown_function(self.text[pos:end], pos), pos)
            return self.call(op, pos, depth)
        if name in FUNCTIONS:
            typed = self.text[pos:end]
            if kind == "sup" and self.peek(1)[1] == "(":
                return self.powered_call(FUNCTIONS[name], typed, pos, depth)
            raise ParseError(f"function '{typed}' at {pos} needs its argument in parentheses: "
                             f"{typed}(...)", pos)
        if name in self.defined:
            self.uses[name] += 1
            return Tree("var", (), pos, end, name=name)
        self.first_use.setdefault(name, pos)
        constant = CONSTANT_SPELLINGS.get(name, name)
        if constant in CONSTANTS and not (name == EULER and name in self.given):
            return Tree("const", (), pos, end, name=name, value=CONSTANTS[constant][0])
        return Tree("var", (), pos, end, name=name)

    def powered_call(self, op, typed: str, pos: int, depth: int) -> Tree:
        """sin²(x) is sin(x)², as written in trigonometry; sin⁻¹(x) would be arcsin."""
        _, digits, at, end = self.take()
        if digits.startswith("-"):
            raise ParseError(f"{typed}{self.text[at:end]} at {pos} reads as an inverse "
                             f"function, which we do not have; for a power write {typed}(x)^-1",
                             pos)
        call = self.call(op, pos, depth)
        self.count_op(at)
        return Tree("pow", (call, self.number(digits, at, end)), pos, call.end)

    def call(self, op, pos: int, depth: int) -> Tree:
        open_pos = self.take()[2]
        args = [self.expression(0, depth + 1)]
        while self.peek()[1] == ",":
            self.take()
            args.append(self.expression(0, depth + 1))
        close = self.peek()
        if close[1] != ")":
            self.unexpected(close, f"expected ',' or ')' to close the '(' at {open_pos}")
        self.take()
        if len(args) != op.arity:
            raise ParseError(f"{op.name} takes {op.arity} argument{'s' * (op.arity > 1)}, "
                             f"got {len(args)} (at {pos})", pos)
        self.count_op(pos)
        return Tree(op.name, tuple(args), pos, close[3])

    def refuse_values_of_constants(self):
        """A value given for pi or E would be silently ignored: say so instead."""
        valued = sorted(self.given & CONSTANTS.keys())
        if valued:
            pos = self.first_use.get(valued[0])
            raise ParseError(_constant_message(valued[0], pos), pos)


def _constant_message(name: str, pos: int | None) -> str:
    value, _, symbol = CONSTANTS[name]
    where = f" (at {pos})" if pos is not None else ""
    what = "Euler's number" if name == "E" else "the constant"
    return (f"{name}{where} is {what} {symbol} = {value:.5f}…; it cannot be given a value: "
            "give the variable another name")


def parse_program(text: str, given: Iterable[str] = ()) -> tuple[Statement, ...]:
    """Returns the statements of `text` (`q = x + y; f = q*z`, or one expression), the last
    one the output; raises ParseError(message, offset). `given` names the variables that
    have values: `e` is Euler's number unless it is one of them.

    >>> [s.name for s in parse_program("q = x + y; f = q*z")]
    ['q', 'f']
    """
    parser = _Parser(text, given)
    statements = parser.program()
    parser.refuse_values_of_constants()
    return tuple(statements)


def parse(text: str, given: Iterable[str] = ()) -> Tree:
    """Returns the tree of one expression, or raises ParseError(message, offset).

    >>> parse("(x+y)*z").op
    'mul'
    """
    statements = parse_program(text, given)
    if len(statements) > 1 or statements[0].name:
        second = statements[-1] if len(statements) > 1 else statements[0]
        raise ParseError(f"one expression is expected here, not statements (at {second.start})",
                         second.start)
    return statements[0].tree
