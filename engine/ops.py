"""OPS: the one place an op is defined.

Each op is one record: how it is typed, what its gate shows, its maths as a sympy
expression of its operands `a` (and `b`), its local gradients, and its backward role.
Everything else is derived from the record: the numpy forward and local functions
(lambdify of our own fixed expressions, never of user text), the formula text and
LaTeX shown on edges, the parser's whitelist, the renderer's labels and the docs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp

from . import arrays as ar

A, B, OUT = sp.symbols("a b out", real=True)

# Placeholders that survive sympy's printers untouched; formulas are printed once per
# op with these, and an edge's formula is the template with its operands' names put in.
_MARK = {A: sp.Symbol("§a§"), B: sp.Symbol("§b§"), OUT: sp.Symbol("§out§")}

# numpy has no Heaviside by that name in lambdify's default table at every version.
_NUMPY = [{"Heaviside": np.heaviside}, "numpy"]


def _heaviside(x, at_zero):
    return x if x != x else (1.0 if x > 0 else (0.0 if x < 0 else at_zero))


def _sign(x):
    return x if x != x else float((x > 0) - (x < 0))


# Python floats are several times faster than numpy scalars one at a time; where math
# raises instead of giving inf or nan (exp overflow, log 0, 1/0), the numpy rule answers.
_FLOATS = [{"Heaviside": _heaviside, "sign": _sign}, "math"]


@dataclass(frozen=True)
class Op:
    """One op. An elementwise op is its sympy `expr`, and everything numeric is derived
    from it; an array op (expr None: matmul, sum, softmax, ...) gives its numpy `array_forward`
    and one vector-Jacobian product per operand, with the Jacobian described, never built."""

    name: str                 # how it is typed as a function, or the operator's name
    symbol: str               # what the gate shows
    expr: sp.Expr | None      # the op in terms of its operands a, b; None for an array op
    role: str                 # the gate's backward role, in the lecture's words
    doc: str                  # how it is typed, and what its backward does
    locals: tuple | None = None   # d out / d operand, in a, b, out; None: sympy's derivative
    typed: str | None = None  # the operator as typed ("+"); None for a function
    precedence: int = 9       # for printing text with the parentheses it needs
    primitive: str | None = None  # the same function in primitive gates (our own syntax)
    latex: str | None = None  # LaTeX of the op with §a§, §b§ for operands; None: sympy's
    arity: int = 0            # array ops say it; elementwise ops derive it from expr
    array_forward: Callable | None = field(default=None, repr=False)
    vjps: tuple = field(default=(), repr=False)   # (upstream, a, b, out) -> downstream
    jacobian: tuple = ()      # array ops: the local Jacobian described, with §a§, §b§

    forward: Callable = field(init=False, repr=False)
    local_fns: tuple = field(init=False, repr=False)
    fast_forward: Callable = field(init=False, repr=False)    # floats; may raise
    fast_locals: Callable | tuple = field(init=False, repr=False)  # floats: (a, b, out) -> every
    #                                     local (may raise), or the locals when they are constants
    local_text: tuple = field(init=False, repr=False)    # array ops: the Jacobian described (text)
    local_latex: tuple = field(init=False, repr=False)   # and as LaTeX; elementwise: engine/formulas.py

    def __post_init__(self):
        set_ = object.__setattr__
        if self.expr is None:
            set_(self, "forward", self.array_forward)
            set_(self, "local_text", self.jacobian)
            set_(self, "local_latex", tuple(_latex_jacobian(j) for j in self.jacobian))
            return
        operands = (A, B)[: len(self.expr.free_symbols & {A, B})]
        locals_ = self.locals or tuple(sp.diff(self.expr, s) for s in operands)
        set_(self, "arity", len(operands))
        set_(self, "locals", tuple(sp.sympify(e) for e in locals_))
        set_(self, "forward", sp.lambdify(operands, self.expr, _NUMPY))
        set_(self, "local_fns", tuple(_broadcasting(sp.lambdify((A, B, OUT), e, _NUMPY))
                                      for e in self.locals))
        set_(self, "fast_forward", sp.lambdify(operands, self.expr, _FLOATS))
        set_(self, "fast_locals", tuple(map(float, self.locals))
             if all(e.is_number for e in self.locals)   # add, sub, neg: no call at all
             else sp.lambdify((A, B, OUT), tuple(self.locals), _FLOATS))
        # an elementwise op's formulas are printed per edge, in its inputs' names (engine/formulas.py)
        set_(self, "local_text", ())
        set_(self, "local_latex", ())
        if self.latex is None:
            set_(self, "latex", sp.latex(self.expr.xreplace(_MARK), mul_symbol="dot"))

    @property
    def elementwise(self) -> bool:
        return self.expr is not None

    @property
    def is_function(self) -> bool:
        return self.typed is None


def _broadcasting(rule):
    """Returns `rule` over arguments broadcast to one shape first: a Piecewise becomes numpy's
    select, which cannot mix a scalar condition with an array choice (pow's rules at s^x)."""
    def broadcast(*args):
        arrays = [x for x in args if x is not None]
        if any(x.__class__ is np.ndarray for x in arrays):
            shaped = iter(np.broadcast_arrays(*arrays))
            args = [None if x is None else next(shaped) for x in args]
        return rule(*args)
    return broadcast


def _where_zero(condition, rule):
    """Returns `rule`, but 0 where `condition` holds: PyTorch's pow conventions at 0 where
    0·inf would give nan. Formulas print the rule alone."""
    return sp.Piecewise((0, condition), (rule, True))


def _sigmoid(a):
    return 1 / (1 + sp.exp(-a))


OP_LIST = (
    Op("add", "+", A + B, "add distributes",
       "a + b: each input gets the upstream gradient unchanged", typed="+", precedence=1),
    Op("sub", "−", A - B, "sub distributes, negated",
       "a - b: a gets the upstream, b gets it negated", typed="-", precedence=1),
    Op("mul", "×", A * B, "mul swaps",
       "a * b: each input gets the upstream times the other input", typed="*", precedence=2),
    Op("div", "÷", A / B, "div scales",
       "a / b: a gets the upstream times 1/b, b gets it times -a/b²", typed="/", precedence=2),
    Op("neg", "−", -A, "neg flips", "-a: the gradient changes sign", typed="neg", precedence=3),
    Op("pow", "^", A**B, "pow scales",
       "a ^ b (also a ** b): b·a^(b-1) to the base, a^b·ln a to the exponent", locals=(_where_zero(sp.Eq(B, 0), B * A ** (B - 1)),
               _where_zero(sp.Eq(A, 0) & (B >= 0), OUT * sp.log(A))), typed="^",
       precedence=4),
    Op("exp", "exp", sp.exp(A), "exp scales by its output",
       "exp(a): the upstream times exp(a) itself", locals=(OUT,)),
    Op("log", "log", sp.log(A), "log scales by 1/a", "log(a), natural: the upstream times 1/a"),
    Op("sqrt", "√", sp.sqrt(A), "sqrt scales", "sqrt(a): the upstream times 1/(2·sqrt(a))",
       locals=(1 / (2 * OUT),)),
    Op("sin", "sin", sp.sin(A), "sin scales by cos", "sin(a): the upstream times cos(a)"),
    Op("cos", "cos", sp.cos(A), "cos scales by −sin", "cos(a): the upstream times -sin(a)"),
    Op("tan", "tan", sp.tan(A), "tan scales", "tan(a): the upstream times 1 + tan²(a)",
       locals=(1 + OUT**2,)),
    Op("tanh", "tanh", sp.tanh(A), "tanh scales by 1 − out²", "tanh(a): the upstream times 1 - tanh²(a)",
       locals=(1 - OUT**2,), primitive="2 / (1 + exp(-2*a)) - 1"),
    Op("sigmoid", "σ", _sigmoid(A), "sigmoid scales by (1 − σ)σ",
       "sigmoid(a) = 1/(1 + exp(-a)): the upstream times (1 - σ)σ", locals=((1 - OUT) * OUT,),
       primitive="1 / (1 + exp(-a))", latex=r"\sigma\left(§a§\right)"),
    # PyTorch's conventions where the derivative is undefined: relu'(0) = 0, abs'(0) = 0,
    # and a tie in max/min splits the gradient in halves, as torch.maximum does.
    Op("relu", "ReLU", sp.Max(A, 0), "relu gates",
       "relu(a) = max(a, 0): passes the upstream where a > 0, blocks it elsewhere; relu'(0) = 0", locals=(sp.Heaviside(A, 0),),
       latex=r"\operatorname{ReLU}\left(§a§\right)"),
    Op("abs", "|·|", sp.Abs(A), "abs passes with the sign",
       "abs(a): the upstream times sign(a); abs'(0) = 0", locals=(sp.sign(A),)),
    Op("max", "max", sp.Max(A, B), "max routes",
       "max(a, b): the upstream goes to the larger input; a tie gives each half", locals=(sp.Heaviside(A - B, sp.S.Half),
                                                   sp.Heaviside(B - A, sp.S.Half))),
    Op("min", "min", sp.Min(A, B), "min routes",
       "min(a, b): the upstream goes to the smaller input; a tie gives each half", locals=(sp.Heaviside(B - A, sp.S.Half),
                                                   sp.Heaviside(A - B, sp.S.Half))),
)

def _n(a):
    return ar.size(a)


def _latex_jacobian(text: str) -> str:
    """Returns a Jacobian description as LaTeX: W^T as W^{T}, words as \\text, diag as an
    operator."""
    text = re.sub(r"\(([a-z][a-z -]{2,})\)", r"\\ \\text{(\1)}", text)
    if text.isalpha():
        return rf"\text{{{text}}}"
    text = text.replace("[largest]", r"[\text{largest}]").replace("1[", r"\mathbb{1}[")
    for plain, tex in (("^T", "^{T}"), ("ᵀ", "^{T}"), ("−", "-"), ("‖", r"\|"),
                       ("·", r"\cdot "), ("diag(", r"\operatorname{diag}("),
                       ("log ", r"\log "), ("log(", r"\log(")):
        text = text.replace(plain, tex)
    return text


# Array ops: the Jacobian is described ("W^T", "x^T"), never built; each VJP maps the
# upstream (the output's shape) to the downstream (the operand's shape).
ARRAY_OPS = (
    Op("matmul", "@", None, "matmul: Wᵀ back to x, xᵀ back to W",
       "a @ b: matrix product; a vector is a row on the left, a column on the right",
       typed="@", precedence=2, arity=2, array_forward=ar.matmul,
       vjps=(ar.matmul_da, ar.matmul_db), jacobian=("·§b§^T", "§a§^T·"),
       latex=r"§a§ §b§"),
    Op("transpose", "ᵀ", None, "transpose transposes the gradient", "transpose(a): aᵀ",
       arity=1, array_forward=ar.transpose, vjps=(lambda up, a, b, out: ar.transpose(up),),
       jacobian=("transpose",), latex=r"§a§^{T}"),
    Op("sum", "Σ", None, "sum copies the gradient to every element",
       "sum(a): the sum of all elements", arity=1, array_forward=lambda a: float(np.sum(a)),
       vjps=(lambda up, a, b, out: np.full(np.shape(a), up) if np.ndim(a) else up,),
       jacobian=("1 (each element)",), latex=r"\sum §a§"),
    Op("mean", "mean", None, "mean shares the gradient equally",
       "mean(a): the mean of all elements", arity=1, array_forward=lambda a: float(np.mean(a)),
       vjps=(lambda up, a, b, out: np.full(np.shape(a), up / _n(a)) if np.ndim(a) else up,),
       jacobian=("1/n (each element)",), latex=r"\operatorname{mean}\left(§a§\right)"),
    Op("dot", "·", None, "dot swaps, like mul", "dot(a, b): the dot product of two vectors",
       arity=2, array_forward=ar.vector_dot,
       vjps=(lambda up, a, b, out: up * np.asarray(b), lambda up, a, b, out: up * np.asarray(a)),
       jacobian=("§b§^T", "§a§^T"), latex=r"§a§^{T} §b§"),
    Op("norm", "‖·‖", None, "norm sends back a / ‖a‖", "norm(a): the Euclidean norm",
       arity=1, array_forward=lambda a: float(np.sqrt(np.sum(np.square(a)))),
       vjps=(lambda up, a, b, out: up * np.asarray(a) / out,),
       jacobian=("§a§^T / ‖§a§‖",), latex=r"\left\|§a§\right\|"),
    Op("sqnorm", "‖·‖²", None, "squared norm sends back 2a", "sqnorm(a): ‖a‖², the squared norm",
       arity=1, array_forward=lambda a: float(np.sum(np.square(a))),
       vjps=(lambda up, a, b, out: up * 2 * np.asarray(a),),
       jacobian=("2§a§^T",), latex=r"\left\|§a§\right\|^{2}"),
    Op("amax", "max", None, "max routes to the largest element",
       "amax(a): the largest element; a tie shares the gradient evenly", arity=1,
       array_forward=lambda a: float(np.max(a)), vjps=(ar.amax_vjp,),
       jacobian=("1[largest]",), latex=r"\max §a§"),
    Op("softmax", "softmax", None, "softmax: s ⊙ (g − sᵀg)", "softmax(a): exp(a) / sum(exp(a))",
       arity=1, array_forward=ar.softmax, vjps=(ar.softmax_vjp,),
       jacobian=("diag(s) − s sᵀ",), latex=r"\operatorname{softmax}\left(§a§\right)"),
    Op("mse", "MSE", None, "mse sends back 2(y − t)/n", "mse(y, t): mean squared error",
       arity=2, array_forward=ar.mse,
       vjps=(lambda up, y, t, out: ar.unbroadcast(up * 2 * (y - t) / _n(y - t), np.shape(y)),
             lambda up, y, t, out: ar.unbroadcast(-up * 2 * (y - t) / _n(y - t), np.shape(t))),
       jacobian=("2(§a§ − §b§)^T/n", "−2(§a§ − §b§)^T/n"),
       latex=r"\operatorname{MSE}\left(§a§, §b§\right)"),
    Op("bce", "BCE", None, "bce sends back (p − t)/(p(1 − p))/n",
       "bce(p, t): binary cross-entropy of probabilities p and targets t", arity=2,
       array_forward=ar.bce,
       vjps=(lambda up, p, t, out: ar.unbroadcast(up * (p - t) / (p * (1 - p)) / _n(p - t),
                                                  np.shape(p)),
             lambda up, p, t, out: ar.unbroadcast(up * (np.log(1 - p) - np.log(p)) / _n(p - t),
                                                  np.shape(t))),
       jacobian=("((§a§ − §b§)/(§a§(1 − §a§)))^T/n", "(log(1 − §a§) − log §a§)^T/n"),
       latex=r"\operatorname{BCE}\left(§a§, §b§\right)"),
    Op("ce", "CE", None, "ce sends back −t/p", "ce(p, t): cross-entropy −Σ t·log p of "
       "probabilities p (e.g. a softmax) and a target distribution t", arity=2,
       array_forward=ar.ce,
       vjps=(lambda up, p, t, out: ar.unbroadcast(-up * t / p, np.shape(p)),
             lambda up, p, t, out: ar.unbroadcast(-up * np.log(p), np.shape(t))),
       jacobian=("−(§b§/§a§)^T", "−(log §a§)^T"), latex=r"\operatorname{CE}\left(§a§, §b§\right)"),
    Op("detach", "detach", None, "detach stops the gradient: nothing flows back",
       "detach(a): the value of a, treated as a constant by backward (stop-gradient)", arity=1,
       array_forward=lambda a: a, vjps=(lambda up, a, b, out: np.zeros(np.shape(a)) if np.ndim(a)
                                         else 0.0,),
       jacobian=("0 (stop-gradient)",), latex=r"\operatorname{detach}\left(§a§\right)"),
)
OP_LIST = OP_LIST + ARRAY_OPS

OPS: dict[str, Op] = {op.name: op for op in OP_LIST}
FUNCTIONS: dict[str, Op] = {op.name: op for op in OP_LIST if op.is_function}
BINARY: dict[str, Op] = {op.typed: op for op in OP_LIST if op.typed and op.arity == 2}
CONSTANTS: dict[str, tuple[float, sp.Expr, str]] = {
    "pi": (float(np.pi), sp.pi, "π"),
    "E": (float(np.e), sp.E, "e"),
}
