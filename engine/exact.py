"""Exact arithmetic: the same ops on Python fractions, where the answer is rational.

The apple example then shows 715 and 2.2, not 715.0000000000001. Every operation is
bounded before it runs: + − × ÷ by the bits of their operands, an integer power by
|exponent| × bits of the base, a number by its digits and its decimal exponent, a root by
its index. A node whose value is not a fraction (exp of 2/5, 2^(1/3), π) or would grow
past MAX_BITS becomes a float, and everything computed from it is a float too; the node
carries a short reason for the person reading. sympy is used only to read an op's own
formula (never the person's text), and never for arithmetic on their numbers.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from .autodiff import Floats, Pass, backward, forward, numpy_rule
from .errors import LimitError
from .graph import Graph
from .ops import A, B, CONSTANTS, OUT
from .values import exact_value

MAX_EXACT_NODES = 500
MAX_BITS = 4_096                      # of a fraction's numerator and denominator together
MAX_DIGITS = int(MAX_BITS * math.log10(2))   # of a number typed exactly: 1,233
MAX_ROOT_INDEX = 64                   # a fractional power p/q is tried exactly for q ≤ this
_DECIMAL = re.compile(r"[+-]?([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?")


@dataclass
class ExactPass:
    """An exact pass: its numbers as floats (for the JSON), the exact ones per node (a
    Fraction, or a float from where exactness ended), and why each such node left them."""

    floats: Pass
    values: list
    grads: list
    reasons: dict[int, str]   # node index -> "exp of 2/5 is not a fraction: floats from here"


class NotExact(Exception):
    """The result is not a fraction, or would be too large a one; the message says which."""


def exact_pass(graph: Graph, texts: dict[str, object]) -> ExactPass:
    """Returns the pass in fractions where they stay exact and small, floats from there."""
    if len(graph.nodes) > MAX_EXACT_NODES:
        raise LimitError(f"exact arithmetic is limited to {MAX_EXACT_NODES} nodes; this graph "
                         f"has {len(graph.nodes)}: turn exact off")
    numbers = Fractions(graph)
    values = forward(graph, texts, numbers)
    exact = backward(graph, values, numbers, seed=Fraction(1))
    floats = Pass(*([to_float(x) for x in column] for column in
                    (exact.values, exact.grads, exact.upstream, exact.local, exact.downstream)))
    return ExactPass(floats, exact.values, exact.grads, numbers.reasons)


class Fractions:
    """The number strategy of autodiff's loops for exact mode."""

    def __init__(self, graph: Graph):
        self.reasons: dict[int, str] = {}
        self.floats = Floats()
        self._index = {id(node): index for index, node in enumerate(graph.nodes)}

    def context(self):
        return self.floats.context()

    def leaf(self, node, texts):
        if node.op == "var":
            text = texts[node.text]
            return self._number(node, text if isinstance(text, str) else repr(float(text)),
                                node.text)
        if node.exact in CONSTANTS:
            self._note(node, f"{CONSTANTS[node.exact][2]} is not a fraction: floats from here")
            return node.const
        return self._number(node, node.exact, node.exact)

    def _number(self, node, text: str, name: str):
        """Returns the fraction a decimal stands for, counting its digits before making it."""
        match = _DECIMAL.fullmatch(text.strip())
        if match is not None:
            whole, part, exponent = match.groups()
            if len(whole) + len(part) + abs(int(exponent or 0)) > MAX_DIGITS:
                self._note(node, f"{name} has more digits than exact arithmetic keeps "
                                 f"({MAX_DIGITS:,}): floats from here")
                return float(text)
        return exact_value(text)

    def gate(self, node, op, args):
        if all(x.__class__ is Fraction for x in args) and op.expr is not None:
            try:
                return evaluate(op.expr, dict(zip((A, B), args)))
            except NotExact as e:
                self._note(node, f"{e}: floats from here")
        return self.floats.gate(node, op, tuple(map(to_float, args)))

    def start_backward(self, values: list) -> None:
        pass

    def shares(self, inputs, op, values, index, up):
        args = (values[inputs[0]], values[inputs[1]] if len(inputs) > 1 else None, values[index])
        shares = ()
        for operand, local in enumerate(op.locals):
            if all(x is None or x.__class__ is Fraction for x in args):
                try:
                    loc = evaluate(local, {A: args[0], B: args[1], OUT: args[2]})
                except NotExact as e:
                    self.reasons.setdefault(index, f"{e}: its local gradient is a float")
                    loc = None
            else:
                loc = None
            if loc is None:
                loc = numpy_rule(op.local_fns[operand], *map(to_float, args))
            shares += (loc, self.multiply(up, loc))
        return shares

    def multiply(self, a, b):
        try:
            return _times(a, b) if a.__class__ is b.__class__ is Fraction else \
                to_float(a) * to_float(b)
        except NotExact:
            return to_float(a) * to_float(b)

    def add(self, so_far, share):
        try:
            return _plus(so_far, share) if so_far.__class__ is share.__class__ is Fraction \
                else to_float(so_far) + to_float(share)
        except NotExact:
            return to_float(so_far) + to_float(share)

    @staticmethod
    def zero(value):
        return Fraction(0)

    def _note(self, node, reason: str) -> None:
        self.reasons.setdefault(self._index[id(node)], reason)


# --- one op's formula evaluated on fractions, each step bounded before it runs ----------

def evaluate(expr, env: dict) -> Fraction:
    """Returns the op's sympy formula at fractions, or raises NotExact saying why not."""
    if expr in env:
        return env[expr]
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    args = expr.args
    if isinstance(expr, sp.Add):
        total = evaluate(args[0], env)
        for term in args[1:]:
            total = _plus(total, evaluate(term, env))
        return total
    if isinstance(expr, sp.Mul):
        product = evaluate(args[0], env)
        for factor in args[1:]:
            product = _times(product, evaluate(factor, env))
        return product
    if isinstance(expr, sp.Pow):
        return power(evaluate(args[0], env), evaluate(args[1], env))
    if isinstance(expr, (sp.Max, sp.Min)):
        pick = max if isinstance(expr, sp.Max) else min
        return pick(evaluate(a, env) for a in args)
    if isinstance(expr, sp.Abs):
        return abs(evaluate(args[0], env))
    if isinstance(expr, sp.sign):
        x = evaluate(args[0], env)
        return Fraction((x > 0) - (x < 0))
    if isinstance(expr, sp.Heaviside):
        x = evaluate(args[0], env)
        return Fraction(1) if x > 0 else Fraction(0) if x < 0 else evaluate(args[1], env)
    if isinstance(expr, sp.Piecewise):
        for value, condition in args:
            if _holds(condition, env):
                return evaluate(value, env)
    if isinstance(expr, sp.Function) and len(args) == 1:
        return _function(expr.func, evaluate(args[0], env))
    raise NotExact(f"{expr.func.__name__} is not computed exactly")


def _function(func, x: Fraction) -> Fraction:
    """exp(0), log(1), sin(0), cos(0), ... are fractions; any other value of them is not."""
    if x in (0, 1):
        result = func(sp.Integer(int(x)))
        if result.is_Rational:
            return Fraction(int(result.p), int(result.q))
    raise NotExact(f"{func.__name__} of {x} is not a fraction")


def _holds(condition, env: dict) -> bool:
    if condition is sp.true:
        return True
    if isinstance(condition, sp.And):
        return all(_holds(c, env) for c in condition.args)
    compare = {sp.Eq: lambda a, b: a == b, sp.Ne: lambda a, b: a != b,
               sp.Ge: lambda a, b: a >= b, sp.Gt: lambda a, b: a > b,
               sp.Le: lambda a, b: a <= b, sp.Lt: lambda a, b: a < b}[type(condition)]
    return compare(evaluate(condition.lhs, env), evaluate(condition.rhs, env))


def bits(x: Fraction) -> int:
    return x.numerator.bit_length() + x.denominator.bit_length()


def _plus(a: Fraction, b: Fraction) -> Fraction:
    if bits(a) + bits(b) > MAX_BITS:
        raise NotExact(f"the sum would need more than {MAX_BITS:,} bits")
    return a + b


def _times(a: Fraction, b: Fraction) -> Fraction:
    if bits(a) + bits(b) > MAX_BITS:
        raise NotExact(f"the product would need more than {MAX_BITS:,} bits")
    return a * b


def power(base: Fraction, exponent: Fraction) -> Fraction:
    """Returns base^exponent where it is a fraction of at most MAX_BITS: an integer power, or
    a root of a perfect power (8^(2/3) = 4) with an index up to MAX_ROOT_INDEX."""
    p, q = exponent.numerator, exponent.denominator
    if base == 0 and p < 0:
        raise NotExact("a division by 0 is not a number")
    if q > 1:
        if base < 0:
            raise NotExact(f"{base} to the power {exponent} is not a real number")
        if q > MAX_ROOT_INDEX:
            raise NotExact(f"{base} to the power {exponent} is not a fraction")
        if abs(p) * bits(base) > q * MAX_BITS:
            raise NotExact(f"{base} to the power {exponent} would need more than "
                           f"{MAX_BITS:,} bits")
        num, num_exact = sp.integer_nthroot(base.numerator, q)   # integers of ≤ MAX_BITS
        den, den_exact = sp.integer_nthroot(base.denominator, q)
        if not (num_exact and den_exact):
            raise NotExact(f"{base} to the power {exponent} is not a fraction")
        base = Fraction(int(num), int(den))
    if abs(p) * max(bits(base), 1) > MAX_BITS:
        raise NotExact(f"{base} to the power {p} would need more than {MAX_BITS:,} bits")
    return base ** p


def to_float(x) -> float:
    """Returns a fraction (or a float) as a float; past the float range, ±inf."""
    if x is None or x.__class__ is float:
        return x
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def exact_text(x) -> str | None:
    """Returns "11/5" or "715" for a fraction, None for a float."""
    return str(x) if x.__class__ is Fraction else None
