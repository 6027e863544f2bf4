"""Vectors and matrices on the page, in real chromium: grid editors, live redraws, the panel's Jacobians, shared links."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from chainrule.app.presets import PRESETS
from tests.browser.pages import settled_url

QUERIES = {preset.slug: preset.query.query_string() for preset in PRESETS}


def open_ready(page, url: str):
    page.goto(url)
    page.wait_for_selector("body.ready #graph svg")


def drawing_text(page) -> str:
    return page.locator("#graph svg").text_content()


def params(page) -> dict:
    return {name: values[0] for name, values in parse_qs(urlsplit(settled_url(page)).query).items()}


def test_cs231n_wx_grid_cell_edit_redraws_and_the_matmul_gate_shows_its_jacobians(page):
    open_ready(page, f"/?{QUERIES['cs231n-wx']}")
    assert page.locator('.variable[data-name="W"] .cell').count() == 4
    assert page.locator('.variable[data-name="x"] .cell').count() == 2
    assert page.locator('.variable[data-name="W"] .slider').count() == 0
    assert "0.116" in drawing_text(page)
    expect(page.locator('.variable[data-name="W"] .grad')).to_contain_text("[[0.088, 0.176], [0.104, 0.208]]")

    page.fill('.variable[data-name="x"] .cell >> nth=0', "0.3")  # Wx = [0.23, 0.23], f = 0.1058
    expect(page.locator("#graph svg")).to_contain_text("0.106")
    assert page.input_value('.variable[data-name="x"] .number') == "[0.3,0.4]"
    assert params(page)["x"] == "[0.3,0.4]"

    page.locator("#graph g.node.op-matmul").hover()
    page.wait_for_selector("#panel .katex")
    panel = page.inner_text("#panel")
    assert "described, never built" in panel and "shape 2" in panel
    annotations = " ".join(page.locator("#panel annotation").all_text_contents())
    assert "W^{T}\\cdot" in annotations and "\\cdot x^{T}" in annotations and "bmatrix" in annotations
    assert "upstream, 2" in annotations and "downstream, 2\u00d72" in annotations
    assert page.locator("#panel .katex-error").count() == 0
    assert page.console_problems == []


def test_every_array_presets_panel_typesets_at_every_node_without_errors(page):
    for slug in ("relu-vector", "relu-vector-written-out", "d2l-2xTx", "d2l-detach", "two-layer-net", "sigmoid-net"):
        open_ready(page, f"/?{QUERIES[slug]}")
        nodes = page.locator("#graph g.node")
        for index in range(nodes.count()):
            nodes.nth(index).click()
            page.wait_for_selector("#panel .katex")
            assert page.locator("#panel .katex-error").count() == 0, (slug, index)
            nodes.nth(index).click()  # unpin
    assert page.console_problems == []


def test_relu_upstream_is_edited_like_a_value_and_kept_in_the_url(page):
    open_ready(page, f"/?{QUERIES['relu-vector']}")
    expect(page.locator('.variable[data-name="x"] .grad')).to_have_text("∂f/∂x = [4, 0, 5, 0]")
    cells = page.locator('.variable[data-name="upstream"] .cell')
    assert cells.count() == 4 and cells.nth(3).input_value() == "9"
    cells.nth(2).fill("-5")
    expect(page.locator('.variable[data-name="x"] .grad')).to_have_text("∂f/∂x = [4, 0, −5, 0]")
    assert params(page)["upstream"] == "[4,-1,-5,9]"
    page.locator("#graph g.node.op-relu").click()
    annotations = " ".join(page.locator("#panel annotation").all_text_contents())
    assert "\\odot" in annotations and "\\operatorname{diag}" in annotations


def test_typing_an_array_into_a_number_field_gives_a_grid_and_a_number_gives_the_slider_back(page):
    open_ready(page, "/?expr=sum(x*x)&x=3")
    page.fill('.variable[data-name="x"] .number', "[1,2,3]")
    expect(page.locator('.variable[data-name="x"] .cell')).to_have_count(3)
    expect(page.locator('.variable[data-name="x"] .grad')).to_have_text("∂f/∂x = [2, 4, 6]")
    assert page.locator('.variable[data-name="x"] .slider').count() == 0
    page.fill('.variable[data-name="x"] .number', "2")
    expect(page.locator('.variable[data-name="x"] .slider')).to_have_count(1)
    assert page.locator('.variable[data-name="x"] .cell').count() == 0
    expect(page.locator('.variable[data-name="x"] .grad')).to_have_text("∂f/∂x = 4")


def test_a_large_array_gets_the_text_field_only_and_a_summary(page):
    values = "[" + ",".join(str(i) for i in range(40)) + "]"
    open_ready(page, f"/?expr=sum(x*x)&x={values}")
    assert page.locator('.variable[data-name="x"] .cell').count() == 0
    assert page.input_value('.variable[data-name="x"] .number') == values
    expect(page.locator('.variable[data-name="x"] .grad')).to_have_text("∂f/∂x = 40: 0 … 78")


def test_a_shape_error_shows_its_message_and_keeps_the_graph(page):
    open_ready(page, f"/?{QUERIES['cs231n-wx']}")
    page.fill('.variable[data-name="x"] .number', "[1,2,3]")
    page.wait_for_selector("#expr-error:not([hidden])")
    assert "inner dimensions differ" in page.inner_text("#expr-error")
    assert "stale" in page.get_attribute("#graph", "class")
    page.console_problems.clear()  # the 400 is the point


def test_links_embed_and_exports_carry_the_arrays(page, browser, server):
    open_ready(page, f"/?{QUERIES['relu-vector']}")
    state = params(page)
    assert state["x"] == "[1,-2,3,-1]" and state["upstream"] == "[4,-1,5,9]"
    for selector in ("#download-svg", "#download-png", "#download-pdf", "#download-tex", "#download-slides-pdf"):
        href = page.get_attribute(selector, "href")
        carried = parse_qs(urlsplit(href).query)
        assert carried["x"] == ["[1,-2,3,-1]"] and carried["upstream"] == ["[4,-1,5,9]"], href
        assert page.request.get(href).ok, href
    page.click("#show-embed")
    snippet = page.input_value("#embed-snippet")
    src = re.search(r'src="([^"]+)"', snippet).group(1).replace("&amp;", "&")
    embed = browser.new_page()
    embed.goto(src)
    embed.wait_for_selector("body.ready #graph svg")
    assert embed.locator("#graph svg").text_content() == drawing_text(page)  # the same query, the same drawing
    embed.close()
    other = browser.new_page()
    other.goto(settled_url(page))
    other.wait_for_selector("body.ready #graph svg")
    assert other.locator('.variable[data-name="upstream"] .cell').nth(3).input_value() == "9"
    other.close()


def test_screenshots_of_vector_presets_at_their_teaching_gate(page, shoot):
    for slug, gate in (("cs231n-wx", "op-matmul"), ("relu-vector", "op-relu"), ("two-layer-net", "op-matmul")):
        open_ready(page, f"/?{QUERIES[slug]}")
        page.locator(f"#graph g.node.{gate}").first.click()
        page.wait_for_selector("#panel .katex")
        assert shoot(page, f"1280x720-arrays-{slug}").stat().st_size > 10_000
