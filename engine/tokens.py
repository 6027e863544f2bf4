"""Text -> tokens, read as students type maths; and what we say when it is not ours.

The spellings a student reaches for (− · × ÷ ² √ σ π) are tokens of their own with their
meaning attached, never a rewrite of the text, so every offset points at the character the
person typed. Unknown function names get the nearest one we have, or how to write them.
"""
from __future__ import annotations

import difflib
import re
import unicodedata

from .errors import ParseError
from .ops import FUNCTIONS

MAX_CHARS = 20_000

# What a typed spelling means: the token carries this, the offsets stay the typed ones.
MEANS = {"\u2212": "-", "\u2013": "-", "·": "*", "⋅": "*", "×": "*", "÷": "/", "**": "^",
         "σ": "sigmoid", "π": "pi"}
SUPERSCRIPT = str.maketrans("⁺⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "+-0123456789")
# The alternatives start with different characters (but == before =), so their order only
# sets the speed: the most frequent first. `refused` is any other character, so that every
# position matches and finditer scans the whole text.
_TOKEN = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*|[σπ])"
    r"|(?P<space>[^\S\n]+)"
    r"|(?P<op>\*\*|[-+*/^(),@\u2212\u2013·⋅×÷√])"
    r"|(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+\u2212]?[0-9]+)?)"  # ASCII digits only
    r"|(?P<newline>\n)"
    r"|(?P<sup>[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|(?P<compare>==|!=|<=|>=|[<>≤≥≠])"
    r"|(?P<assign>=)"
    r"|(?P<sep>;)"
    r"|(?P<refused>.)"
)
# Tokens after which a new line continues the statement, and tokens before which it does.
_CONTINUES_AFTER = {"+", "-", "*", "/", "^", "@", "(", ",", "√"}
_CONTINUES_BEFORE = {"*", "/", "^", "@", ")", ","}
# Characters people try that are not ours, with what to say about them.
_REFUSED = {
    ".": "attribute access is not allowed",
    "[": "indexing and lists are not allowed in an expression",
    "]": "indexing and lists are not allowed in an expression",
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    ":": "':' is not allowed (no lambdas, slices or statements)",
}


def tokenize(text: str) -> list[tuple[str, str, int, int]]:
    """Returns (kind, meaning, start, end) tokens, ending with ("end", "", n, n).

    A new line separates statements, except inside parentheses, after an operator or
    before one that cannot start an expression (x +⏎ y and x⏎ * y are one statement).
    """
    if len(text) > MAX_CHARS:
        raise ParseError(f"expression is {len(text)} characters long; the limit is {MAX_CHARS}",
                         MAX_CHARS)
    tokens: list[tuple[str, str, int, int]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "space":
            continue
        typed = m.group()
        start, end = m.span()
        if kind == "name" or kind == "op":
            meaning = MEANS.get(typed, typed)
        elif kind == "number":
            meaning = typed.replace("\u2212", "-")
        elif kind == "sup":
            meaning = typed.translate(SUPERSCRIPT).lstrip("+")
        elif kind == "refused":
            raise ParseError(unexpected_character(typed, start), start)
        elif kind == "compare":
            raise ParseError(f"comparisons are not allowed ('{typed}' at {start}): an "
                             "expression computes a number", start)
        else:            # newline, assign, sep
            meaning = typed
        tokens.append((kind, meaning, start, end))
    if "\n" in text:
        tokens = _statement_lines(tokens)
    tokens.append(("end", "", len(text), len(text)))
    return tokens


def _statement_lines(tokens: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int, int]]:
    """Returns the tokens with the new lines that separate statements, and only those."""
    kept: list[tuple[str, str, int, int]] = []
    depth = 0            # open parentheses
    for token in tokens:
        kind, meaning = token[0], token[1]
        if kind == "op" and meaning == "(":
            depth += 1
        elif kind == "op" and meaning == ")" and depth:
            depth -= 1
        if kind == "newline":
            last = kept[-1] if kept else None
            if depth or last is None or last[0] in ("newline", "sep", "assign") \
                    or last[1] in _CONTINUES_AFTER and last[0] == "op":
                continue
        elif kept and kept[-1][0] == "newline" and (
                kind in ("sup", "assign") or kind == "op" and meaning in _CONTINUES_BEFORE):
            kept.pop()
        kept.append(token)
    if kept and kept[-1][0] == "newline":
        kept.pop()
    return kept


def unexpected_character(ch: str, pos: int) -> str:
    """Returns the message for a character that is not ours, with a hint where one helps."""
    if ch in _REFUSED:
        return f"{_REFUSED[ch]} at {pos}"
    name = unicodedata.name(ch, "")
    hint = ""
    if "SUPERSCRIPT" in name or name.startswith("MODIFIER LETTER SMALL"):
        hint = ": write a power with ^, as in e^x or x^2"
    elif name.startswith("FULLWIDTH"):
        hint = ": type it with an ASCII (half-width) keyboard"
    return f"unexpected character {ch!r} at {pos}{hint}"


# Names people type for our functions, and functions we do not have, with how to write them
# in ours: difflib alone would offer tan for atan and relu for elu, a different function.
_ALIASES = {"ln": "log", "logistic": "sigmoid", "expit": "sigmoid", "sig": "sigmoid",
            "sigma": "sigmoid", "maximum": "max", "minimum": "min", "fabs": "abs",
            "absolute": "abs", "mul": "*", "multiply": "*", "matmul": "@"}
_WRITE_AS = {
    "pow": "a^b", "power": "a^b", "sqr": "x^2", "square": "x^2", "cbrt": "x^(1/3)",
    "exp2": "2^x", "expm1": "exp(x) - 1", "log1p": "log(1 + x)",
    "log10": "log(x)/log(10) (log is the natural logarithm)", "log2": "log(x)/log(2)",
    "sinh": "(exp(x) - exp(-x))/2", "cosh": "(exp(x) + exp(-x))/2",
    "cot": "1/tan(x)", "sec": "1/cos(x)", "csc": "1/sin(x)",
    "softplus": "log(1 + exp(x))", "swish": "x*sigmoid(x)", "silu": "x*sigmoid(x)",
    "leaky_relu": "max(x, 0.01*x)", "relu6": "min(relu(x), 6)",
}
_NOT_OURS = {"asin", "acos", "atan", "arcsin", "arccos", "arctan", "atan2", "asinh",
             "acosh", "atanh", "arctanh", "floor", "ceil", "round", "sign", "sgn", "gelu",
             "elu", "selu", "erf", "gamma", "factorial"}


def unknown_function(typed: str, pos: int) -> str:
    """Returns the message for an unknown function, with the nearest name we have.

    >>> unknown_function("ln", 0)
    "unknown function 'ln' at 0: did you mean log?"
    """
    head = f"unknown function '{typed}' at {pos}"
    name = typed.lower()
    if name in _WRITE_AS:
        return f"{head}: write it as {_WRITE_AS[name]}"
    alias = _ALIASES.get(name)
    if alias in ("*", "@"):
        return f"{head}: write a {alias} b"
    # a swap of two letters (tahn) first: difflib would offer tan
    near = [f for f in FUNCTIONS if sorted(f) == sorted(name)] \
        or difflib.get_close_matches(name, FUNCTIONS, 1, 0.7)
    if alias or near and name not in _NOT_OURS:
        return f"{head}: did you mean {alias or near[0]}?"
    ours = ", ".join(FUNCTIONS)
    if name in _NOT_OURS:
        return f"{head}: it is not one of ours ({ours})"
    return f"{head}; the functions are {ours} (to multiply, write {typed}*(...))"
