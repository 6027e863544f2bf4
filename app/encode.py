"""Turn engine output into what HTTP can carry: JSON without bare NaN, and SVG ready to inline."""

import math
import re

from chainrule.engine.themes import THEMES

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


def smallest_text_px(svg: bytes, theme: str, box: tuple[int, int]) -> float:
    """Return the smallest text (CSS px) of a drawing fitted into `box` (CSS px, scaled up to 1.8 at most),
    from its size in points and the theme's edge-label size."""
    size = re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', svg[:2000])
    if not size:
        return float("inf")
    width, height = (float(v) * 4 / 3 for v in size.groups())
    return THEMES[theme].edge_size * 4 / 3 * min(1.8, box[0] / width, box[1] / height)
