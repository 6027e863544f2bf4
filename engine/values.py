"""A variable's value as a person types it (in a URL, a form, the CLI) -> a number."""
from __future__ import annotations

import json
import math
import re
from fractions import Fraction

import numpy as np

from .errors import ValueError_

DEFAULT_VALUE = 1.0   # a variable with no value: documented in README and LIMITS
MAX_VALUE_CHARS = 64
MAX_ARRAY_CHARS = 20_000
MAX_ARRAY_ELEMENTS = 10_000
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")  # ASCII only


def parse_value(name: str, text: object):
    """Returns the value of `name` typed as `text`: a float ("-2", "1.5e-3") or a numpy
    array ("[1,-2,3]", "[[1,2],[3,4]]"), finite, or refused with a message naming it."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = repr(float(text))
    if not isinstance(text, str):
        raise ValueError_(f"value of {name} must be a number")
    text = text.strip()
    if len(text) > MAX_VALUE_CHARS and not text.startswith("["):
        raise ValueError_(f"value of {name} is longer than {MAX_VALUE_CHARS} characters")
    if text.startswith("["):
        return parse_array(name, text)
    if not _DECIMAL.fullmatch(text):
        raise ValueError_(f"value of {name} must be a number such as -2 or 1.5e-3, "
                          f"not {text[:20]!r}")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError_(f"value of {name} is too large: {text}")
    return value


def parse_array(name: str, text: str) -> np.ndarray:
    """Returns a JSON array of numbers as a float array: a vector or a matrix."""
    if len(text) > MAX_ARRAY_CHARS:
        raise ValueError_(f"value of {name} is longer than {MAX_ARRAY_CHARS} characters")
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as e:  # json says where; NaN, Infinity refused too
        raise ValueError_(f"value of {name} is not a JSON array of numbers: {e}") from None
    rows = data if data and isinstance(data[0], list) else [data]
    width = len(rows[0]) if rows else 0
    if not data or width == 0 or any(not isinstance(r, list) or len(r) != width for r in rows):
        raise ValueError_(f"value of {name} must be a non-empty vector [1, 2] or a matrix "
                          "[[1, 2], [3, 4]] with rows of equal length")
    if any(isinstance(x, bool) or not isinstance(x, (int, float)) for r in rows for x in r):
        raise ValueError_(f"value of {name} must hold numbers only")
    array = np.array(data, dtype=float)
    if array.size > MAX_ARRAY_ELEMENTS:
        raise ValueError_(f"value of {name} has {array.size} elements; the limit is "
                          f"{MAX_ARRAY_ELEMENTS}")
    if not np.all(np.isfinite(array)):
        raise ValueError_(f"value of {name} has a number too large")
    return array


def _refuse_constant(token: str):
    raise ValueError(f"{token} is not a finite number")


def exact_value(text: object) -> Fraction:
    """Returns the exact rational a decimal stands for: "1.1" is 11/10, not 1.1000000000000000888."""
    if isinstance(text, str) and text.strip().startswith("["):
        raise ValueError_("exact arithmetic works on numbers only, not arrays: turn exact off")
    return Fraction(text if isinstance(text, str) else repr(float(text)))
