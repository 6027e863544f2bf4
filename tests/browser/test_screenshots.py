"""Screenshots of every preset, at 1280x720 and in the projector theme at 1024x768, written to screenshots/.

Look at them: a graph that is correct but unreadable on a projector is a bug.
"""

import pytest

from chainrule.app.presets import PRESETS


def open_ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body.ready #graph svg")


@pytest.mark.parametrize("preset", PRESETS, ids=lambda preset: preset.slug)
def test_preset_screenshot(page, shoot, preset):
    open_ready(page, f"/?{preset.query.query_string()}")
    page.locator("#graph g.node").last.hover()
    page.wait_for_selector("#panel .katex")
    path = shoot(page, f"1280x720-{preset.slug}")
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("preset", PRESETS, ids=lambda preset: preset.slug)
def test_preset_screenshot_projector(page, shoot, preset):
    page.set_viewport_size({"width": 1024, "height": 768})
    query = preset.query.query_string() + "&theme=projector"
    open_ready(page, f"/?{query}")
    assert page.evaluate("document.documentElement.dataset.theme") == "projector"
    shoot(page, f"1024x768-projector-{preset.slug}")
    # the graph is drawn no smaller than its natural size would allow on a projector
    box = page.locator("#graph svg").bounding_box()
    assert box["width"] > 300


@pytest.mark.parametrize("preset", PRESETS, ids=lambda preset: preset.slug)
def test_preset_screenshot_presenting(page, shoot, preset):
    """What a room sees on a 1024x768 projector: the whole graph, no chrome but the formula and the lecture bar."""
    page.set_viewport_size({"width": 1024, "height": 768})
    open_ready(page, f"/?{preset.query.query_string()}#present")
    page.wait_for_selector("body.presenting")
    page.wait_for_function("() => document.documentElement.dataset.theme.startsWith('projector')")
    page.wait_for_load_state("networkidle")  # the projector drawing has arrived
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    shoot(page, f"1024x768-present-{preset.slug}")
    box = page.locator("#graph svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1024 and box["y"] + box["height"] <= 768
