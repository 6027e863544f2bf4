"""THEMES: the drawing's colours and sizes, one record per theme.

The page's CSS custom properties --value and --grad repeat the value and grad colours; a test
(tests/test_facts_once.py) keeps them equal to these.
"""
from __future__ import annotations

from dataclasses import dataclass

from .options import THEME_NAMES


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    muted: str
    value: str        # forward values
    grad: str         # gradients
    fill: str         # variables' boxes
    gate: str         # gates' fill
    edge: str
    node_size: int
    edge_size: int
    pen: float


# Okabe-Ito blue and vermillion stay apart for colour-blind eyes.
THEMES = {
    "light": Theme("#ffffff", "#1f2328", "#6e7781", "#0072B2", "#D55E00", "#eef3f8", "#ffffff",
                   "#8c959f", 14, 11, 1.2),
    "dark": Theme("#15171c", "#e6edf3", "#9aa4b2", "#56B4E9", "#E69F00", "#1f2a36", "#22262e",
                  "#6e7781", 14, 11, 1.2),
    "projector": Theme("#ffffff", "#000000", "#444444", "#005A9C", "#C04000", "#e8f0f8",
                       "#ffffff", "#555555", 22, 17, 2.2),
    "projector-dark": Theme("#000000", "#ffffff", "#c8ccd2", "#56B4E9", "#E69F00", "#10233a",
                            "#111111", "#9aa4b2", 22, 17, 2.2),
}
assert tuple(THEMES) == THEME_NAMES  # the option's choices are these themes
