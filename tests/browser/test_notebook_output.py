"""What a notebook shows for a Graph (`_repr_html_`), opened in Chromium with every network request blocked: the
drawing, the chain-rule panel on hover and the lecture's steps, for a typed expression and for graphs imported
from micrograd and PyTorch."""

import re

import pytest
import torch
from micrograd.engine import Value
from playwright.sync_api import expect

import chainrule
from tests.package.test_micrograd import lecture_neuron


def typed():
    return chainrule.graph("sigmoid(w0*x0 + w1*x1 + w2)", w0=2, x0=-1, w1=-3, x1=-2, w2=-3)


def from_micrograd():
    a, b = Value(-4.0), Value(2.0)
    return chainrule.from_micrograd((a * b + b**3).relu() - a / b, names={"a": a, "b": b})


def from_lecture():
    return chainrule.from_micrograd(lecture_neuron()[0])


def from_torch():
    v = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    return chainrule.from_torch(torch.sigmoid((v * v).sum() - 1), names={"v": v})


@pytest.mark.parametrize("make", [typed, from_micrograd, from_lecture, from_torch], ids=lambda m: m.__name__)
def test_the_notebook_output_draws_hovers_and_steps_with_no_network(browser, tmp_path, make):
    graph = make()
    cell = tmp_path / "cell.html"   # the output cell as a notebook holds it: the frame in a page of its own
    cell.write_text(f"<!doctype html><meta charset='utf-8'><title>cell</title>{graph._repr_html_()}")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    attempted, problems = [], []

    def guard(route):
        attempted.append(route.request.url)
        route.continue_() if route.request.url == cell.as_uri() else route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(cell.as_uri())
        frame = page.frame_locator("iframe")
        frame.locator("body.ready #graph svg").wait_for(timeout=15_000)
        output = graph.to_dict()["output"]
        frame.locator(f"#graph #{output['id']}").hover()
        expect(frame.locator("#panel .math .katex").first).to_be_visible()
        frame.locator("#lecture-start").click()
        frame.locator("body").press("End")
        expect(frame.locator("#step-counter")).to_have_text(re.compile(rf"step {len(graph.steps) - 1} of"))
        assert attempted == [cell.as_uri()] and problems == []
    finally:
        context.close()
