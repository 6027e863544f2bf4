"""Turn engine output into what HTTP can carry: JSON without bare NaN, and SVG ready to inline."""

import math
import re

import numpy as np
import orjson

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


def json_bytes(data, finite: bool = False) -> bytes:
    """Returns data as compact JSON (orjson: a 1 MB answer in ~3 ms, where json takes ~15).

    orjson writes a non-finite float as null, so unless the caller knows every float is finite (the
    engine's Analysis.finite) the data goes through json_safe first.
    """
    return orjson.dumps(data if finite else json_safe(data), default=_plain)


def _plain(x):
    """numpy's numbers and arrays as Python's (nan and inf as strings), for what orjson does not know."""
    if isinstance(x, (np.generic, np.ndarray)):
        return json_safe(x.tolist())
    raise TypeError(f"{type(x).__name__} is not JSON")


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
