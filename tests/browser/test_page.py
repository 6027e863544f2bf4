"""The page in real headless chromium against a real uvicorn: typing, errors, sliders, hover, sharing, embedding, exports."""

import re
import xml.etree.ElementTree as ElementTree

from playwright.sync_api import expect

from tests.browser.pages import settled_url

CS231N = "/?expr=(x%2By)*z&x=-2&y=5&z=-4"


def open_ready(page, url: str):
    page.goto(url)
    page.wait_for_selector("body.ready #graph svg")


def drawing_text(page) -> str:
    return page.locator("#graph svg").text_content()


def test_typing_an_expression_redraws_the_graph(page):
    open_ready(page, CS231N)
    before = drawing_text(page)
    page.fill("#expr", "max(x, y)*2")
    expect(page.locator("#graph svg")).to_contain_text("max")
    assert drawing_text(page) != before
    assert page.locator(".variable").evaluate_all("rows => rows.map(row => row.dataset.name)") == ["x", "y"]
    assert "expr=max%28x%2C+y%29*2" in settled_url(page) or "expr=max" in page.url


def test_an_invalid_expression_shows_a_caret_and_keeps_the_last_graph_dimmed(page):
    open_ready(page, CS231N)
    before = drawing_text(page)
    page.fill("#expr", "(x + * y)")
    page.wait_for_selector("#expr-error:not([hidden])")
    snippet = page.text_content("#expr-error .snippet")
    caret = page.text_content("#expr-error .caret-line")
    assert snippet == "(x + * y)"
    assert caret == " " * 5 + "^" and snippet[len(caret) - 1] == "*"
    assert page.get_attribute("#expr", "aria-invalid") == "true"
    assert "stale" in page.get_attribute("#graph", "class")
    assert drawing_text(page) == before
    expect(page.locator("#graph")).to_have_css("opacity", "0.3")
    page.fill("#expr", "(x + y)*z*2")
    page.wait_for_selector("#expr-error", state="hidden")
    assert "stale" not in page.get_attribute("#graph", "class")


def test_moving_a_slider_changes_a_number_in_the_graph(page):
    open_ready(page, CS231N)
    assert "−12" in drawing_text(page)
    slider = page.locator('.variable[data-name="x"] .slider')
    slider.focus()
    slider.press("ArrowRight")  # x: -2 -> -1.9, so f = (x + y)z = -12.4
    expect(page.locator("#graph svg")).to_contain_text("−12.4")
    assert page.input_value('.variable[data-name="x"] .number') == "-1.9"
    assert "x=-1.9" in settled_url(page)


def test_hovering_a_node_lights_its_edges_and_typesets_the_chain_rule(page):
    open_ready(page, CS231N)
    add = page.locator("#graph g.node.op-add")
    add.hover()
    page.wait_for_selector("#panel .katex")
    lit = page.locator("#graph g.lit").evaluate_all("elements => elements.map(element => element.id).sort()")
    assert lit == ["e0", "e1", "e2", "n2"]
    panel = page.inner_text("#panel")
    assert "x + y" in panel and "upstream" in panel and "downstream" in panel and "local" in panel
    # the numbers of the lesson: upstream -4, local 1, downstream -4
    annotations = page.locator("#panel annotation").all_text_contents()
    assert any("(-4) \\times 1 = -4" in tex for tex in annotations), annotations


def test_a_variable_shows_its_gradient_check(page):
    open_ready(page, CS231N)
    page.locator("#graph g.node.var").first.click()
    page.wait_for_selector("#panel .gradcheck .katex")
    assert "Gradient check" in page.inner_text("#panel")


def test_the_copied_link_opens_the_same_graph(page, browser, server):
    open_ready(page, CS231N)
    page.fill("#expr", "sigmoid(w0*x0 + w2)")
    expect(page.locator("#graph svg")).to_contain_text("σ")
    page.check('input[name="theme"][value="dark"]', force=True)
    expect(page).to_have_url(re.compile("theme=dark"))
    expect(page.locator("#graph svg polygon").first).to_have_attribute("fill", "#15171c")
    page.click("#copy-link")
    page.wait_for_selector("#toast:not([hidden])")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(server) and "theme=dark" in link
    other = browser.new_page(viewport={"width": 1280, "height": 720})
    open_ready(other, link)
    assert other.locator("#graph svg").inner_html() == page.locator("#graph svg").inner_html()
    assert other.input_value("#expr") == "sigmoid(w0*x0 + w2)"
    assert other.evaluate("document.documentElement.dataset.theme") == "dark"
    other.close()


def test_presets_menu_opens_each_worked_example(page):
    open_ready(page, CS231N)
    page.select_option("#presets", label="Apples with tax")
    expect(page.locator("#graph svg")).to_contain_text("220")
    assert page.input_value("#expr") == "apple_price = apple*apple_num; price = apple_price*tax"


def test_granularity_toggle_expands_the_sigmoid(page):
    open_ready(page, "/?expr=sigmoid(x)&x=1")
    fused = page.locator("#graph g.node").count()
    page.check('input[name="granularity"][value="primitive"]', force=True)
    expect(page.locator("#graph svg")).to_contain_text("exp")
    assert page.locator("#graph g.node").count() > fused
    expect(page).to_have_url(re.compile("granularity=primitive"))


def test_qr_and_embed_dialogs(page, server):
    open_ready(page, CS231N)
    page.click("#show-qr")
    expect(page.locator("#qr-image")).to_have_js_property("complete", True)
    assert page.locator("#qr-image").evaluate("image => image.naturalWidth") > 0
    assert page.input_value("#qr-link").startswith(server)
    page.keyboard.press("Escape")
    page.click("#show-embed")
    snippet = page.input_value("#embed-snippet")
    assert snippet.startswith("<iframe src=") and "/embed?expr=" in snippet
    practice = page.input_value("#embed-practice-snippet")
    assert "/embed?expr=" in practice and "mode=practice" in practice and "step=" not in practice


def test_embed_renders_inside_an_iframe_of_another_origin(page, other_origin):
    page.goto(f"{other_origin}/slides.html")
    frame = page.frame_locator("#graph")
    frame.locator("body.ready #graph svg").wait_for()
    assert "−12" in frame.locator("#graph svg").text_content()
    box = frame.locator("#graph svg").bounding_box()
    assert box["width"] <= 800 and box["height"] <= 450


def test_the_page_itself_refuses_to_be_framed(page, server, other_origin):
    page.goto(f"{other_origin}/slides.html")
    page.evaluate(f"document.getElementById('graph').src = '{server}/'")
    page.wait_for_timeout(1000)
    frame = page.frame_locator("#graph")
    assert frame.locator("#expr").count() == 0
    refusals = [problem for problem in page.console_problems if "frame-ancestors 'none'" in problem]
    assert refusals
    for refusal in refusals:
        page.console_problems.remove(refusal)


def test_download_buttons_give_valid_images_of_the_current_state(page):
    open_ready(page, CS231N)
    page.fill("#expr", "x*y")
    expect(page).to_have_url(re.compile(r"\?expr=x\*y"))
    for fmt in ("svg", "png", "pdf"):
        href = page.get_attribute(f"#download-{fmt}", "href")
        assert href.startswith(f"/graph.{fmt}?expr=x*y")
        body = page.request.get(href).body()
        if fmt == "svg":
            ElementTree.fromstring(body)
        elif fmt == "png":
            assert body.startswith(b"\x89PNG\r\n\x1a\n")
        else:
            assert body.startswith(b"%PDF-")


def test_api_docs_render_offline_under_the_csp(page):
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert "/api/graph" in page.inner_text(".swagger-ui")


def test_keyboard_reaches_a_node_and_its_chain_rule(page):
    open_ready(page, CS231N)
    page.locator("#graph svg g.node#n2").focus()  # the + gate, as Tab would reach it
    panel = page.locator(".panel")
    expect(panel).to_contain_text("x + y")
    assert page.locator("#graph svg g.node#n2").get_attribute("tabindex") == "0"
