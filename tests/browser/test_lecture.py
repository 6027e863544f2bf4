"""Lecture mode in real chromium: buttons and keys move the step, step= opens on it, autoplay advances, the embed
steps with the keyboard inside another site's iframe, and the presentation view; screenshots of the neuron's steps."""

import re

import pytest
from playwright.sync_api import expect

NEURON = "expr=sigmoid(w0*x0+%2B+w1*x1+%2B+w2)&w0=2&x0=-1&w1=-3&x1=-2&w2=-3"
CS231N = "expr=(x%2By)*z&x=-2&y=5&z=-4"


def open_ready(page, url: str):
    page.goto(url)
    page.wait_for_selector("body.ready #graph svg")


def current(page) -> list[str]:
    """Return the ids the drawing marks as the current step: its gate and that gate's edges."""
    return page.locator("#graph g.current").evaluate_all("elements => elements.map(element => element.id).sort()")


def test_step_in_the_url_opens_the_page_on_that_step(page):
    open_ready(page, f"/?{NEURON}&step=7")
    expect(page.locator("#step-counter")).to_have_text("step 7 of 10")
    assert current(page) == ["e6", "e7", "n8"]  # the + gate that adds w2, backward
    expect(page.locator("#step-phase")).to_have_text("Backward pass · add distributes")
    expect(page.locator("#step-text")).to_contain_text("+ gate q₄ gets upstream ∂f/∂q₄ = 0.197")
    # a backward step puts that gate's chain rule in the panel without a hover
    expect(page.locator("#panel .node-name")).to_contain_text("q₄ = w0*x0 + w1*x1 + w2")


def test_lecture_keeps_the_answers_back_until_their_step(page):
    open_ready(page, f"/?{NEURON}&step=2")
    assert "0.731" not in page.inner_text("#formula")
    expect(page.locator('.variable[data-name="w0"] .grad')).to_be_hidden()
    page.goto(f"/?{NEURON}&step=5")
    page.wait_for_selector("body.ready #graph svg")
    expect(page.locator("#formula")).to_contain_text("0.731")
    page.keyboard.press("End")
    expect(page.locator('.variable[data-name="w0"] .grad')).to_be_visible()


def test_step_end_opens_on_the_last_step(page):
    open_ready(page, f"/?{CS231N}&step=end")
    expect(page.locator("#step-counter")).to_have_text("step 4 of 4")
    assert page.locator("#step-next").is_disabled()


def test_buttons_move_the_step_and_the_address_bar_follows(page):
    open_ready(page, f"/?{CS231N}")
    assert page.locator("#step-steppers, #lecture-steppers").first.is_hidden()
    page.click("#lecture-start")
    expect(page.locator("#step-counter")).to_have_text("step 0 of 4")
    expect(page).to_have_url(re.compile(r"step=0"))
    assert "0.731" not in page.locator("#graph svg").text_content()
    expect(page.locator("#step-text")).to_contain_text("Inputs")
    page.click("#step-next")
    expect(page.locator("#step-counter")).to_have_text("step 1 of 4")
    expect(page).to_have_url(re.compile(r"step=1"))
    expect(page.locator("#graph g.current.op-add")).to_have_count(1)
    page.click("#step-last")
    expect(page.locator("#step-counter")).to_have_text("step 4 of 4")
    page.click("#step-prev")
    expect(page.locator("#step-counter")).to_have_text("step 3 of 4")
    page.click("#step-first")
    expect(page.locator("#step-counter")).to_have_text("step 0 of 4")
    page.click("#lecture-exit")
    expect(page.locator("#lecture-start")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"step="))
    expect(page.locator("#graph svg")).to_contain_text("−12")


def test_keys_move_the_step_but_not_while_typing(page):
    open_ready(page, f"/?{CS231N}&step=0")
    page.locator("#graph").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    expect(page.locator("#step-counter")).to_have_text("step 1 of 4")
    page.keyboard.press("Space")
    expect(page.locator("#step-counter")).to_have_text("step 2 of 4")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#step-counter")).to_have_text("step 1 of 4")
    page.keyboard.press("End")
    expect(page.locator("#step-counter")).to_have_text("step 4 of 4")
    page.keyboard.press("Home")
    expect(page.locator("#step-counter")).to_have_text("step 0 of 4")
    # Space on a focused lecture button steps once, not twice (the key and the button's click)
    page.click("#step-next")
    expect(page.locator("#step-counter")).to_have_text("step 1 of 4")
    page.keyboard.press("Space")
    expect(page.locator("#step-counter")).to_have_text("step 2 of 4")
    page.wait_for_timeout(300)
    expect(page.locator("#step-counter")).to_have_text("step 2 of 4")
    # the expression box and the number fields keep their arrow keys
    page.focus("#expr")
    page.keyboard.press("ArrowLeft")
    page.focus('.variable[data-name="x"] .number')
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    expect(page.locator("#step-counter")).to_have_text("step 2 of 4")


def test_the_right_arrow_starts_lecture_mode_and_escape_leaves_it(page):
    open_ready(page, f"/?{CS231N}")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#step-counter")).to_have_text("step 0 of 4")
    page.keyboard.press("Escape")
    expect(page.locator("#lecture-start")).to_be_visible()


def test_autoplay_advances_and_stops_at_the_last_step(page):
    open_ready(page, f"/?{CS231N}&step=2")
    page.select_option("#step-speed", "750")
    page.click("#step-play")
    expect(page.locator("#step-play")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#step-counter")).to_have_text("step 3 of 4", timeout=5000)
    expect(page.locator("#step-counter")).to_have_text("step 4 of 4", timeout=5000)
    expect(page.locator("#step-play")).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("p")  # from the last step, play starts over
    expect(page.locator("#step-counter")).to_have_text("step 0 of 4")
    page.keyboard.press("p")
    expect(page.locator("#step-play")).to_have_attribute("aria-pressed", "false")


def test_the_callouts_toggle_labels_the_gates_roles(page):
    open_ready(page, f"/?{CS231N}")
    assert "add distributes" not in page.locator("#graph svg").text_content()
    page.check("#callouts")
    expect(page.locator("#graph svg")).to_contain_text("add distributes")
    expect(page.locator("#graph svg")).to_contain_text("mul swaps")
    expect(page).to_have_url(re.compile(r"callouts=true"))


def test_a_new_expression_in_lecture_mode_starts_from_step_0(page):
    open_ready(page, f"/?{CS231N}&step=3")
    page.fill("#expr", "x*y")
    expect(page.locator("#step-counter")).to_have_text("step 0 of 2")


def test_present_hides_the_chrome_and_esc_brings_it_back(page):
    open_ready(page, f"/?{NEURON}&step=5")
    page.click("#present")
    expect(page.locator(".sidebar")).to_be_hidden()
    expect(page.locator("#expr")).to_be_hidden()
    expect(page.locator("#panel")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"theme=projector.*#present$"))
    expect(page.locator("#graph svg polygon").first).to_have_attribute("fill", "#ffffff")
    box = page.locator("#graph svg").bounding_box()
    assert box["width"] > 1000  # the graph has the screen
    page.keyboard.press("ArrowRight")
    expect(page.locator("#step-counter")).to_have_text("step 6 of 10")
    page.keyboard.press("Escape")
    expect(page.locator(".sidebar")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"#present|theme=projector"))


def test_download_buttons_give_the_slides_of_the_current_state(page):
    open_ready(page, f"/?{CS231N}")
    for element, path in (("#download-slides-pdf", "/slides.pdf"), ("#download-slides-zip", "/slides.zip"),
                          ("#download-tex", "/graph.tex")):
        href = page.get_attribute(element, "href")
        assert href.startswith(f"{path}?expr=")
        assert page.request.get(href).ok


def test_embed_steps_with_the_keyboard_inside_another_sites_iframe(page, server, other_origin):
    page.goto(f"{other_origin}/slides.html")
    page.evaluate(f"document.getElementById('graph').src = '{server}/embed?{CS231N}&step=1'")
    frame = page.frame_locator("#graph")
    frame.locator("body.ready #graph svg").wait_for()
    expect(frame.locator("#step-counter")).to_have_text("1 / 4")
    assert frame.locator("#graph g.current.op-add").count() == 1
    frame.locator("#graph").click(position={"x": 5, "y": 5})  # the deck's viewer focuses the frame
    page.keyboard.press("ArrowRight")
    expect(frame.locator("#step-counter")).to_have_text("2 / 4")
    expect(frame.locator("#graph g.current.op-mul")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(frame.locator("#step-counter")).to_have_text("3 / 4")
    expect(frame.locator("#graph svg")).to_contain_text("∂")
    page.keyboard.press("ArrowLeft")
    expect(frame.locator("#step-counter")).to_have_text("2 / 4")
    frame.locator("#step-next").click()
    expect(frame.locator("#step-counter")).to_have_text("3 / 4")
    box = frame.locator("#graph svg").bounding_box()
    assert box["width"] <= 800 and box["height"] <= 450


def test_embed_without_a_step_has_no_step_controls(page):
    open_ready(page, f"/embed?{CS231N}")
    assert page.locator(".embed-steps").count() == 0
    page.keyboard.press("ArrowRight")
    assert page.locator("#graph g.current").count() == 0


SHOTS = [(0, "inputs"), (3, "forward"), (6, "backward-sigmoid"), (9, "backward-mul")]


@pytest.mark.parametrize(("step", "name"), SHOTS, ids=[name for _, name in SHOTS])
def test_neuron_step_screenshots(page, shoot, step, name):
    open_ready(page, f"/?{NEURON}&step={step}&callouts=true")
    shoot(page, f"lecture-1280x720-neuron-step{step:02d}-{name}")
    page.set_viewport_size({"width": 1024, "height": 768})
    open_ready(page, f"/?{NEURON}&step={step}&callouts=true#present")
    expect(page.locator("#graph svg polygon").first).to_have_attribute("fill", "#ffffff")
    page.wait_for_timeout(200)
    shoot(page, f"lecture-1024x768-present-neuron-step{step:02d}-{name}")
    box = page.locator("#graph svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1024  # the whole graph is on the projector
    open_ready(page, f"/embed?{NEURON}&step={step}&theme=projector")
    shoot(page, f"lecture-1024x768-embed-neuron-step{step:02d}-{name}")


def test_neuron_dark_presentation_screenshot(page, shoot):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_ready(page, f"/?{NEURON}&step=8&theme=dark#present")
    page.wait_for_timeout(200)
    shoot(page, "lecture-1024x768-present-dark-neuron-step08")


WRITTEN_OUT = "expr=1%2F%281+%2B+exp%28-%28w0%2Ax0+%2B+w1%2Ax1+%2B+w2%29%29%29&w0=2&x0=-1&w1=-3&x1=-2&w2=-3"


@pytest.mark.parametrize("step", [1, 8, 16])  # the first ×, the ÷ at the far right, back at the inputs
def test_the_current_gate_is_panned_into_view(page, step):
    # with the edges' numbers asked for, wider than the page at readable size: it scrolls
    open_ready(page, f"/?{WRITTEN_OUT}&labels=grads&step={step}")
    assert "scrolls" in page.get_attribute("#graph", "class")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    area = page.locator("#graph").bounding_box()
    for part in page.locator("#graph g.current").all():
        box = part.bounding_box()
        assert area["x"] <= box["x"] and box["x"] + box["width"] <= area["x"] + area["width"] + 0.5, (step, box, area)


def test_the_drawing_keeps_its_size_from_step_to_step_when_presenting(page):
    page.set_viewport_size({"width": 1024, "height": 768})
    sizes = set()
    open_ready(page, f"/?{NEURON}&step=0&theme=projector#present")
    for step in range(0, 11):  # captions of one and of two lines
        expect(page.locator("#step-counter")).to_have_text(f"step {step} of 10")
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        box = page.locator("#graph svg").bounding_box()
        sizes.add((round(box["width"]), round(box["height"])))
        page.keyboard.press("ArrowRight")
    assert len(sizes) == 1, sizes
