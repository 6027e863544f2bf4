"""Big graphs on the page, in real chromium: a 1,000-operation MLP appears with its neurons closed, a click opens
one, the search box finds a node (or the box it is in) and centres it, the wheel zooms and a drag pans. The
screenshot of the closed MLP at 1024x768 in the projector theme is for a person to read (screenshots/).
How long it takes is bench/big.py's business; here it must merely appear."""

from urllib.parse import urlencode

import pytest

from tests.browser.pages import IDLE
from tests.shapes import mlp

MLP_1000 = urlencode({"expr": mlp(1_000), "theme": "projector"})
VIEWBOX = "() => document.querySelector('#graph svg').getAttribute('viewBox')"


@pytest.fixture
def big_page(page):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"/?{MLP_1000}")
    page.wait_for_function(IDLE)
    return page


def test_a_1000_operation_mlp_appears_with_its_neurons_closed_and_the_tools_of_big_drawings(big_page, shoot):
    page = big_page
    assert page.locator("#graph svg g.graph.big").count() == 1
    assert page.locator("#graph g.node.group").count() >= 100       # 100 neurons and the boxes of L's sum
    assert page.locator("#graph g.node.gate").count() < 10
    assert page.locator("#bigtools").is_visible()
    # too tall to read whole: it opens at a readable size on its output, L
    assert page.locator("#graph g.node.group", has=page.locator("title", has_text="L")).first.is_visible()
    assert page.locator("#graph").evaluate("(box) => box.classList.contains('pannable')")
    shoot(page, "big-mlp-1000-closed")


def test_the_closed_mlp_of_a_lecture_reads_on_a_projector(page, shoot):
    # the 3-4-4-1 MLP of a lecture written out, its neurons closed (groups=all: it has fewer than 100 nodes),
    # presented at 1024x768: every box's value and gradient is as large as a lecture graph's text
    page.set_viewport_size({"width": 1024, "height": 768})
    expr = "; ".join([f"h1_{j} = tanh({' + '.join(f'0.{j + k}*x{k}' for k in range(1, 4))} + 0.1)" for j in range(1, 5)]
                     + [f"h2_{j} = tanh({' + '.join(f'0.{j + k}*h1_{k}' for k in range(1, 5))} - 0.2)" for j in range(1, 5)]
                     + ["y = " + " + ".join(f"0.{k}*h2_{k}" for k in range(1, 5)) + " + 0.3", "L = (y - 1)^2"])
    page.goto("/?" + urlencode({"expr": expr, "x1": "1", "x2": "-2", "x3": "0.5", "theme": "projector",
                                "groups": "all"}) + "#present")
    page.wait_for_function(IDLE)
    page.wait_for_timeout(300)   # presenting resizes the stage; the drawing refits
    shoot(page, "big-mlp-lecture-closed-1024x768")
    assert page.locator("#graph g.node.group").count() >= 9
    numbers = page.evaluate("""() => [...document.querySelectorAll('#graph svg g.node.group text')]
      .filter((text) => /^[−∂\\d]/.test(text.textContent.trim()))
      .map((text) => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)""")
    assert len(numbers) >= 18 and min(numbers) >= 12, f"the boxes' numbers are {min(numbers):.1f} px at least"


def test_a_click_on_a_box_opens_it_and_a_click_on_its_frame_closes_it(big_page, shoot):
    page = big_page
    page.fill("#find", "h7")   # brings it into view
    page.locator("#graph g.node.group.found").click()
    page.wait_for_selector("#graph g.cluster.open-group")
    page.wait_for_function(IDLE)
    assert "open=h7" in page.url
    assert page.locator("#graph g.node.gate.op-tanh").count() == 1   # h7's tanh, drawn as a gate of its own
    shoot(page, "big-mlp-1000-h7-open")
    page.locator("#graph g.cluster.open-group text").first.click()
    page.wait_for_function("() => !document.querySelector('#graph g.cluster.open-group')")
    page.wait_for_function(IDLE)   # the address bar is written just after the drawing is on screen
    assert "open=" not in page.url


def test_search_finds_a_node_by_name_or_the_box_it_is_inside(big_page):
    page = big_page
    page.fill("#find", "h42")
    assert page.locator("#graph g.node.found").count() == 1
    assert "h42 (1 of 1)" in page.text_content("#find-status")
    centre = page.evaluate("""() => {
      const found = document.querySelector('#graph g.found').getBoundingClientRect();
      const svg = document.querySelector('#graph svg').getBoundingClientRect();
      return [found.left + found.width / 2 - (svg.left + svg.width / 2), found.top + found.height / 2 - (svg.top + svg.height / 2)];
    }""")
    assert abs(centre[0]) < 5 and abs(centre[1]) < 5, centre
    page.fill("#find", "x8")   # an input: drawn near its first uses, and named inside the far boxes
    assert page.locator("#graph g.node.found").count() == 1
    page.fill("#find", "mul")   # by op: every product is inside a closed neuron
    assert page.locator("#graph g.node.group.found").count() == 1
    products = mlp(1_000).count("*")
    assert page.text_content("#find-status") == f"q₁ is inside h1: click the box to open it (1 of {products})"
    page.press("#find", "Enter")   # the next one
    assert f"(2 of {products})" in page.text_content("#find-status")
    page.fill("#find", "no such node")
    assert page.text_content("#find-status") == "no node by that name or op"


def test_the_wheel_zooms_around_the_pointer_and_a_drag_pans(big_page):
    page = big_page
    whole = [float(v) for v in page.evaluate(VIEWBOX).split()]
    area = page.locator("#graph svg").bounding_box()
    x, y = area["x"] + area["width"] / 2, area["y"] + area["height"] / 2
    page.mouse.move(x, y)
    page.mouse.wheel(0, -300)
    page.wait_for_function(f"() => document.querySelector('#graph svg').getAttribute('viewBox') !== '{' '.join(map(str, whole))}'")
    zoomed = [float(v) for v in page.evaluate(VIEWBOX).split()]
    assert zoomed[2] < whole[2] and zoomed[3] < whole[3]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 200, y - 50, steps=5)
    page.mouse.up()
    panned = [float(v) for v in page.evaluate(VIEWBOX).split()]
    assert panned[0] > zoomed[0] and panned[1] > zoomed[1] and panned[2:] == zoomed[2:]
    page.wait_for_function(IDLE)
    assert "open=" not in page.url   # the drag began on L's box: no click, so nothing opened
    page.click("#zoom-whole")   # Graphviz's own viewBox: the whole drawing
    drawn = page.evaluate("() => document.querySelector('#graph svg').dataset.whole").split()
    assert [float(v) for v in page.evaluate(VIEWBOX).split()] == pytest.approx([float(v) for v in drawn], abs=0.01)


def test_lecture_size_graphs_keep_the_page_s_fit_and_no_big_tools(page):
    page.goto("/?" + urlencode({"expr": "(x+y)*z", "x": "-2", "y": "5", "z": "-4"}))
    page.wait_for_function(IDLE)
    assert page.locator("#graph svg g.graph.big").count() == 0
    assert page.locator("#bigtools").is_hidden()
    assert not page.locator("#graph").evaluate("(box) => box.classList.contains('pannable')")


def test_a_big_graph_in_an_embed_pans_and_zooms_too(page):
    page.set_viewport_size({"width": 960, "height": 540})
    page.goto(f"/embed?{MLP_1000}")
    page.wait_for_selector("#graph svg g.graph.big")
    before = page.evaluate(VIEWBOX)
    area = page.locator("#graph svg").bounding_box()
    page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    page.mouse.wheel(0, -300)
    page.wait_for_function(f"() => document.querySelector('#graph svg').getAttribute('viewBox') !== '{before}'")


def test_a_lecture_step_in_a_big_graph_is_shown_at_its_gate_or_the_box_it_is_in(page):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"/?{MLP_1000}&step=0")
    page.wait_for_function(IDLE)
    for _ in range(3):   # three gates forward: the first products, inside h1's closed box
        page.click("#step-next")
        page.wait_for_function(IDLE)
    assert "step=3" in page.url
    current = page.locator("#graph g.node.current")
    assert current.count() == 1
    box, area = current.bounding_box(), page.locator("#graph svg").bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert area["x"] < middle[0] < area["x"] + area["width"] and area["y"] < middle[1] < area["y"] + area["height"]
