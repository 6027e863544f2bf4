"""Numbers as a person reads them on a slide."""
from __future__ import annotations

import math


def fmt(value, digits: int = 3) -> str:
    """Returns `value` to `digits` significant digits, with no trailing zeros.

    >>> fmt(715.0000000000001), fmt(-0.19661193), fmt(2.2), fmt(1e-9), fmt(float("inf"))
    ('715', '-0.197', '2.2', '1e-09', 'inf')
    """
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
