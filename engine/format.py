"""Numbers as a person reads them on a slide."""
from __future__ import annotations

import math

import numpy as np

INLINE_ELEMENTS = 12   # arrays up to this size are written out; larger ones summarised
_G = [f".{digits}g" for digits in range(16)]   # "g" formats by digits, made once


def fmt(value, digits: int = 3) -> str:
    """Returns a number, or an array written out when small ("[1, -2, 3]") and summarised
    when large ("20×30 from -1.2 to 3.4")."""
    if isinstance(value, np.ndarray) and value.ndim:
        if value.size <= INLINE_ELEMENTS:
            return _nested(value.tolist(), value.ndim, digits)   # as Python floats: fmt_number's quick case
        return (f"{'×'.join(map(str, value.shape))} from {fmt_number(np.nanmin(value), digits)}"
                f" to {fmt_number(np.nanmax(value), digits)}")
    return fmt_number(value, digits)


def _nested(items: list, ndim: int, digits: int) -> str:
    if ndim == 1:
        return "[" + ", ".join([fmt_number(x, digits) for x in items]) + "]"
    return "[" + ", ".join([_nested(row, ndim - 1, digits) for row in items]) + "]"


def fmt_number(value, digits: int = 3) -> str:
    """Returns `value` to `digits` significant digits, with no trailing zeros.

    >>> fmt_number(715.0000000000001), fmt_number(-0.19661193), fmt_number(2.2), fmt_number(12345.0)
    ('715', '-0.197', '2.2', '12300')
    >>> fmt_number(1e-9), fmt_number(1e-4), fmt_number(-0.0), fmt_number(float("inf")), fmt_number(1e300, 1)
    ('1e-09', '0.0001', '0', 'inf', '1e+300')
    """
    if value.__class__ is float and 0 < digits <= 15 and value != 0:   # "g" writes -0.0 as "-0"
        # the common case, quickly, by one "g" format: where it writes no exponent (-4 <= exponent < digits)
        # it writes what _by_rule does (the same digits, trailing zeros dropped; inf and nan too)
        text = format(value, _G[digits])
        if "e" not in text:
            return text
        exponent = int(text[text.index("e") + 1:])
        if 0 <= exponent < 6:   # 12300, not 1.23e+04: _by_rule writes these whole
            return f"{float(text):.0f}"
        if -300 < exponent < 300:   # else its rounding may overflow, or lose digits (subnormals)
            return text
    return _by_rule(value, digits)


def _by_rule(value, digits: int) -> str:
    """Returns fmt_number's text by its rule, for any number: round to `digits`, then write it plainly from 1e-4
    up to 10^max(digits, 6) (12300 rather than 1.23e+04), else with an exponent."""
    value = float(value)
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if value == 0:
        return "0"
    rounded = float(f"{value:.{digits}g}")
    if 1e-4 <= abs(rounded) < 10 ** max(digits, 6):
        text = f"{rounded:.{max(0, digits - 1 - math.floor(math.log10(abs(rounded))))}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{rounded:.{digits}g}"
