"""A variable's value as a person types it (in a URL, a form, the CLI) -> a number."""
from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np

from .errors import ValueError_

DEFAULT_VALUE = 1.0   # a variable with no value: documented in README and LIMITS
MAX_VALUE_CHARS = 64
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")


def parse_value(name: str, text: object) -> np.float64:
    """Returns the value of `name` typed as `text` ("-2", "1.5e-3"), finite or refused."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = repr(float(text))
    if not isinstance(text, str):
        raise ValueError_(f"value of {name} must be a number")
    text = text.strip()
    if len(text) > MAX_VALUE_CHARS:
        raise ValueError_(f"value of {name} is longer than {MAX_VALUE_CHARS} characters")
    if text.startswith("["):
        raise ValueError_(f"value of {name} is an array; arrays are not supported yet, "
                          "only numbers such as -2 or 1.5e-3")
    if not _DECIMAL.fullmatch(text):
        raise ValueError_(f"value of {name} must be a number such as -2 or 1.5e-3, "
                          f"not {text[:20]!r}")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError_(f"value of {name} is too large: {text}")
    return np.float64(value)


def exact_value(text: object) -> Fraction:
    """Returns the exact rational a decimal stands for: "1.1" is 11/10, not 1.1000000000000000888."""
    return Fraction(text if isinstance(text, str) else repr(float(text)))
