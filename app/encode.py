"""Turn engine output into what HTTP can carry: JSON without bare NaN, and SVG ready to inline."""

import math

NONFINITE = {math.inf: "inf", -math.inf: "-inf"}


def json_safe(data):
    """Return data with every non-finite float replaced by "nan", "inf" or "-inf" (API.md: never a bare NaN).

    >>> json_safe({"value": float("nan"), "grads": [1.0, float("-inf")]})
    {'value': 'nan', 'grads': [1.0, '-inf']}
    """
    if isinstance(data, float):
        return data if math.isfinite(data) else NONFINITE.get(data, "nan")
    if isinstance(data, dict):
        return {key: json_safe(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_safe(item) for item in data]
    return data


def svg_element(svg: bytes) -> str:
    """Return Graphviz's SVG document as an inline <svg> element (no XML declaration or doctype)."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]
