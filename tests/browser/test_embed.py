"""The embed inside a deck on another site: it steps with the keys while focused, and gives them back to the deck past
its last step, before its first, and on Esc (asking a Reveal.js deck to move on through Reveal's postMessage API), so a
presenter's clicker can run a whole talk. Its controls read from the back of the room."""

import json

import pytest
from playwright.sync_api import expect

CS231N = "expr=(x%2By)*z&x=-2&y=5&z=-4"  # 5 steps: 0 to 4


def open_in_deck(page, server, other_origin, query: str):
    """Open the recording deck of the other site with /embed?query in its 960x540 frame; return the frame."""
    page.goto(f"{other_origin}/deck.html")
    page.evaluate("src => { document.getElementById('graph').src = src; }", f"{server}/embed?{query}")
    frame = page.frame_locator("#graph")
    frame.locator("body.ready #graph svg").wait_for()
    return frame


def reveal_calls(page) -> list[str]:
    """Return the Reveal.js methods the deck was asked to call, in order (messages as Reveal reads them)."""
    calls = []
    for message in page.evaluate("window.received"):
        if isinstance(message, str) and message.startswith("{") and message.endswith("}"):
            calls.append(json.loads(message).get("method"))
    return calls


def deck_keys(page) -> list[str]:
    return page.evaluate("window.keys")


KEYS_PAST_THE_END = [("ArrowRight", "step=3", "4 / 4", "next"), ("PageDown", "step=3", "4 / 4", "next"),
                     ("ArrowLeft", "step=1", "0 / 4", "prev"), ("PageUp", "step=1", "0 / 4", "prev")]


@pytest.mark.parametrize(("key", "start", "edge", "method"), KEYS_PAST_THE_END, ids=[key for key, *_ in KEYS_PAST_THE_END])
def test_a_clicker_steps_to_the_edge_then_moves_the_deck_on(page, server, other_origin, key, start, edge, method):
    frame = open_in_deck(page, server, other_origin, f"{CS231N}&{start}")
    frame.locator("#graph").click(position={"x": 5, "y": 5})  # the presenter clicks into the graph
    page.keyboard.press(key)
    expect(frame.locator("#step-counter")).to_have_text(edge)
    assert reveal_calls(page) == [] and deck_keys(page) == []  # stepping inside: the deck does not move
    page.keyboard.press(key)  # past the edge: the deck's turn
    page.wait_for_function("() => window.received.length > 0")
    assert reveal_calls(page) == [method]
    expect(frame.locator("#step-counter")).to_have_text(edge)
    page.keyboard.press(key)  # and the keys are the deck's again
    assert deck_keys(page) == [key]
    assert reveal_calls(page) == [method]


def test_escape_gives_the_keys_back_without_moving_the_deck(page, server, other_origin):
    frame = open_in_deck(page, server, other_origin, f"{CS231N}&step=2")
    frame.locator("#graph").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    expect(frame.locator("#step-counter")).to_have_text("3 / 4")
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.keys.length > 0")
    assert deck_keys(page) == ["ArrowRight"] and reveal_calls(page) == []
    expect(frame.locator("#step-counter")).to_have_text("3 / 4")


def test_an_embed_without_steps_never_keeps_the_keys(page, server, other_origin):
    frame = open_in_deck(page, server, other_origin, CS231N)
    frame.locator("#graph").click(position={"x": 5, "y": 5})
    page.keyboard.press("PageDown")
    page.wait_for_function("() => window.received.length > 0")
    assert reveal_calls(page) == ["next"]
    page.keyboard.press("PageDown")
    assert deck_keys(page) == ["PageDown"]


def test_the_step_controls_read_from_the_back_row(page, server, other_origin):
    frame = open_in_deck(page, server, other_origin, f"{CS231N}&step=2")
    for button in ("#step-prev", "#step-next"):
        box = frame.locator(button).bounding_box()
        assert box["width"] >= 40 and box["height"] >= 36, (button, box)
    sizes = frame.locator(".embed-steps").evaluate("""bar => {
        const px = (element) => parseFloat(getComputedStyle(element).fontSize);
        let opacity = 1;
        for (let element = bar; element; element = element.parentElement) opacity *= Number(getComputedStyle(element).opacity);
        return {opacity, caption: px(bar.querySelector('#step-caption')), counter: px(bar.querySelector('#step-counter'))};
    }""")
    assert sizes["opacity"] == 1
    assert sizes["caption"] >= 18 and sizes["counter"] >= 18, sizes
    # the caption never covers the drawing: the graph ends where the step bar begins
    graph = frame.locator("#graph").bounding_box()
    bar = frame.locator(".embed-steps").bounding_box()
    assert graph["y"] + graph["height"] <= bar["y"] + 0.5
