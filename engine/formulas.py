"""Local gradients as a teacher writes them: 2x for d/dx x², −1/x² for 1/x, eˣ for exp, σ(1 − σ) for a
sigmoid, ½ (tie) for max at a tie; typeset in LaTeX for the panel and plain on the edges.

Each formula comes from the op record's own local rule (a sympy expression of our own, never of user
text), with a literal number operand put in as a number so that sympy simplifies it (x^2: b·x^(b−1)
becomes 2x). Formulas are printed once per (op, operand, literal numbers) with placeholders, then the
operands' names are filled in.

>>> edge_formula("pow", 0, (("x", None), ("2", "2")), False, "q", latex=False)
'2x'
>>> edge_formula("sigmoid", 0, (("s", None),), False, "f", latex=False)
'σ(1 − σ)'
"""
from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from .ops import A, B, OPS, OUT

_HOLD = (sp.Symbol("XXPHA", real=True), sp.Symbol("XXPHB", real=True))
_HOLD_OUT = sp.Symbol("XXPHOUT", real=True)
_HOLD_NAMES, _HOLD_OUT_NAME = tuple(hold.name for hold in _HOLD), _HOLD_OUT.name
_CONSTANTS = {"pi": sp.pi, "E": sp.E, "e": sp.E}
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUPERSCRIPT_LETTERS = str.maketrans("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ")
TIE_TEXT, TIE_LATEX = "½ (tie: split)", r"\tfrac{1}{2}\ (\text{tie: split})"


class _Text(StrPrinter):
    """Plain text: x² not x**2, √x, e^x, [x > y] for an indicator."""

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.args
        shown = self._print(base) if base.is_Atom or base.is_Function else f"({self._print(base)})"
        if exponent == sp.S.Half:
            return f"√{shown}"
        if exponent == -sp.S.Half:
            return f"1/√{shown}"
        if exponent.is_negative:
            return f"1/{self._print(sp.Pow(base, -exponent))}"
        if exponent.is_Integer and 1 < exponent < 10:
            power = str(exponent).translate(_SUPERSCRIPT)
            if base.is_Function:   # tan²(x), as a teacher writes it
                return f"{self._print(base.func)}{power}({', '.join(map(self._print, base.args))})"
            return shown + power
        exponent_text = self._print(exponent)
        return f"{shown}^{exponent_text if exponent.is_Atom else '(' + exponent_text + ')'}"

    def _print_Mul(self, expr):
        factors = expr.as_ordered_factors()
        if expr.could_extract_minus_sign() or any(f.is_Pow and f.exp.is_negative for f in factors):
            return super()._print_Mul(expr)
        # numbers and names first: y·x^(y − 1), not x^(y − 1)·y
        factors.sort(key=lambda f: 0 if f.is_Number else 1 if f.is_Symbol else 2)
        return "*".join(self._print(f) if f.is_Atom or f.is_Function or f.is_Pow
                        else f"({self._print(f)})" for f in factors)

    def _print_Rational(self, expr):
        return _decimal(expr) or super()._print_Rational(expr)

    def _print_exp(self, expr):
        arg = expr.args[0]
        return f"e^{self._print(arg)}" if arg.is_Atom else f"e^({self._print(arg)})"

    def _print_Heaviside(self, expr):
        return f"[{_comparison(self, expr.args[0])}]"

    def _print_Piecewise(self, expr):
        return self._print(expr.args[-1].expr)


class _Latex(LatexPrinter):
    def _print_Rational(self, expr):
        return _decimal(expr) or super()._print_Rational(expr)

    def _print_Heaviside(self, expr, exp=None):
        return rf"\mathbb{{1}}[{_comparison(self, expr.args[0])}]"

    def _print_Piecewise(self, expr):
        return self._print(expr.args[-1].expr)


def _decimal(number: sp.Rational) -> str | None:
    """Returns 11/10 as 1.1 (a number typed as a decimal stays one); None unless the denominator is a power of 10."""
    q = int(number.q)
    digits = len(str(q)) - 1
    if q == 1 or q != 10 ** digits or digits > 12:
        return None
    p = abs(int(number.p))
    text = f"{p // q}.{p % q:0{digits}d}".rstrip("0")
    return ("-" if number < 0 else "") + text


def _comparison(printer, arg) -> str:
    """Returns `p > q` for the argument `p - q` of an indicator, `p > 0` otherwise."""
    if isinstance(arg, sp.Add) and len(arg.args) == 2:
        negative = [t for t in arg.args if t.could_extract_minus_sign()]
        if len(negative) == 1:
            positive = [t for t in arg.args if t is not negative[0]][0]
            return f"{printer._print(positive)} > {printer._print(-negative[0])}"
    return f"{printer._print(arg)} > 0"


def edge_formula(op_name: str, operand: int, operands: tuple, tie: bool, out_name: str,
                 latex: bool, diagonal: bool = False) -> str:
    """Returns d out / d operand of one gate, with the operands' names put in.

    `operands` holds (name, literal) per input, literal being the number's text for a literal number
    (put into the formula as a number), else None; `tie` says a max/min's inputs are equal;
    `diagonal` wraps an elementwise op's formula on arrays as diag(...).
    """
    literals = tuple(literal for _, literal in operands)
    formula = gate_formulas(op_name, literals, tie, diagonal)[latex][operand]
    if formula.__class__ is str:
        return formula
    return formula.named(range(len(operands)), [name for name, _ in operands], out_name)


@lru_cache(maxsize=4096)
def gate_formulas(op_name: str, literals: tuple, tie: bool, diagonal: bool) -> tuple[tuple, tuple]:
    """Returns the local formula of each operand of one gate, as text and as LaTeX: the finished formula where
    it names no operand (add's 1, sigmoid's σ(1 − σ)), else a Template to put the operands' names into.

    Worked out once per gate of its kind (op, literal numbers, tie, diagonal), so a big graph's many alike
    gates cost one look-up each."""
    return tuple(tuple(_prepared(op_name, operand, literals, tie, latex, diagonal)
                       for operand in range(len(literals))) for latex in (False, True))


class Template:
    """A local formula still to be given its operands' names, as a teacher writes them (2x, [x > 0], diag(y))."""

    __slots__ = ("text", "op_name", "latex", "diagonal", "elementwise")

    def __init__(self, text: str, op_name: str, latex: bool, diagonal: bool):
        self.text, self.op_name, self.latex, self.diagonal = text, op_name, latex, diagonal
        self.elementwise = OPS[op_name].elementwise

    def named(self, inputs, names: list, out_name: str) -> str:
        """Returns the formula with names[j] for each operand j in `inputs`, and `out_name` for the gate's output."""
        text, latex = self.text, self.latex
        if not self.elementwise:
            for mark, j in zip(("§a§", "§b§"), inputs):
                text = text.replace(mark, names[j])
            return text
        for hold, j in zip(_HOLD_NAMES, inputs):
            text = text.replace(hold, names[j])
        if _HOLD_OUT_NAME in text:
            text = text.replace(_HOLD_OUT_NAME, _out_symbol(self.op_name, latex) or out_name)
        if not latex and ("*" in text or "-" in text or "^" in text):   # else it changes nothing
            text = _teacher_text(text)
        if self.diagonal:
            return rf"\operatorname{{diag}}\left({text}\right)" if latex else f"diag({text})"
        return text


def _prepared(op_name: str, operand: int, literals: tuple, tie: bool, latex: bool, diagonal: bool) -> str | Template:
    """Returns one formula of gate_formulas."""
    template = Template(_template(op_name, operand, literals, tie, latex), op_name, latex, diagonal)
    marks = _HOLD_NAMES + (_HOLD_OUT_NAME,) if template.elementwise else ("§a§", "§b§")
    if any(mark in template.text for mark in marks):
        return template
    return template.named((), [], "")


@lru_cache(maxsize=1024)
def _template(op_name: str, operand: int, literals: tuple, tie: bool, latex: bool) -> str:
    """Returns the formula with placeholders for names; cached, since sympy prints slowly."""
    op = OPS[op_name]
    if not op.elementwise:
        return (op.local_latex if latex else op.local_text)[operand]
    if tie:
        return TIE_LATEX if latex else TIE_TEXT
    # A literal goes in as a number only when it is small and the other operand is not one too: sympy
    # simplifies 2·x^(2−1) to 2x, but would work out 0.004^0.1234567 exactly, without end.
    simplify = sum(literal is not None for literal in literals) == 1
    stand_in = {s: _number(literal) if literal is not None and simplify and _small(literal) else
                (sp.Symbol(literal) if literal is not None else hold)
                for s, hold, literal in zip((A, B), _HOLD, literals)}
    own_function = op.expr.args and op.expr.args[0] == A   # exp(a), tanh(a), a^b, √a: written out
    stand_in[OUT] = op.expr.xreplace(stand_in) if own_function else _HOLD_OUT
    expr = op.locals[operand].xreplace(stand_in)
    if isinstance(expr, sp.Piecewise):   # pow's conventions at 0; the formula is the rule itself
        expr = expr.args[-1].expr
    if latex:
        return _Latex().doprint(expr)
    return _Text().doprint(expr)


def _small(literal: str) -> bool:
    """True for a literal sympy can use as a number at no risk: pi, e, or at most 4 significant digits."""
    if literal in _CONSTANTS:
        return True
    digits = re.sub(r"e.*$", "", literal.lower()).replace(".", "").lstrip("0")
    return len(digits) <= 4 and "e" not in literal.lower()


def _number(literal: str) -> sp.Expr:
    """Returns a literal as sympy: integers exactly (so that 2·x^(2−1) becomes 2x), decimals as typed."""
    if literal in _CONSTANTS:
        return _CONSTANTS[literal]
    if re.fullmatch(r"\d+", literal):
        return sp.Integer(literal)
    # exactly as typed, so that x^0.5 simplifies like √x; printed back as 0.5 (_decimal)
    return sp.Rational(Fraction(literal))


@lru_cache(maxsize=None)
def _out_symbol(op_name: str, latex: bool) -> str | None:
    """Returns the symbol a gate's own output is written as in its local (σ), or None for its name."""
    op = OPS[op_name]
    if op.latex and op.latex.startswith("\\") and r"\left(" in op.latex:
        symbol = op.latex.split(r"\left(")[0]
        return symbol if latex else op.symbol
    return None


def _teacher_text(text: str) -> str:
    """Returns sympy's text with a number juxtaposed to a name (2x), · between factors, true minus signs."""
    text = re.sub(r"(?<![\w.])(\d+)\*(?=[A-Za-zα-ωσ][₀-₉0-9]*(?!\w))", r"\1", text)   # 2*x -> 2x
    text = re.sub(r"(?<=[\w)σ])\*\(", "(", text)                  # σ*(1 - σ) -> σ(1 - σ)
    text = text.replace("*", "·")
    text = re.sub(r"e\^([a-pr-z])(?!\w)", lambda m: "e" + m.group(1).translate(_SUPERSCRIPT_LETTERS), text)
    return text.replace("-", "−")
