"""What a teacher shares and exports: readable links that round-trip, slide exports that say what they are doing
and why they failed, a QR code that warns when phones cannot reach it, the presets menu and the sidebar in step
with the link, and the theme in one row."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from chainrule.app.presets import PRESETS
from tests.browser.pages import settled_url

CS231N = "/?expr=(x%2By)*z&x=-2&y=5&z=-4"


def open_ready(page, url: str):
    page.goto(url)
    page.wait_for_selector("body.ready #graph svg")


def watch_export_status(page):
    """Record every text the export status line shows, from now on, in window.shown."""
    page.evaluate("""() => {
        window.shown = [];
        const status = document.getElementById('export-status');
        new MutationObserver(() => { if (!status.hidden) window.shown.push(status.textContent.trim()); })
            .observe(status, {subtree: true, childList: true, characterData: true, attributes: true});
    }""")


@pytest.mark.parametrize(("link", "name", "making"), [
    ("#download-slides-zip", "chainrule-steps.zip", "Making 5 slides"),
    ("#download-slides-pdf", "chainrule-steps.pdf", "Making 5 slides"),
    ("#download-png", "chainrule.png", "Making the PNG"),
])
def test_an_export_says_what_it_is_making_then_saves_the_file(page, link, name, making):
    open_ready(page, CS231N)
    watch_export_status(page)
    page.click("#downloads summary")
    with page.expect_download() as download:
        page.click(link)
    assert download.value.suggested_filename == name
    assert download.value.failure() is None
    assert any(text.startswith(making) for text in page.evaluate("window.shown")), page.evaluate("window.shown")
    expect(page.locator("#export-status")).to_contain_text(f"Saved {name}")


def test_a_refused_export_shows_the_servers_reason(page):
    # 99 terms: drawn on the page at once, but far more steps than a slide deck takes
    expr = "+".join(f"x{i}" for i in range(99))
    open_ready(page, f"/?expr={quote(expr)}&labels=none")
    page.click("#downloads summary")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.click("#download-slides-zip")
    status = page.locator("#export-status")
    expect(status).to_have_attribute("role", "alert")
    detail = page.request.get(page.get_attribute("#download-slides-zip", "href")).json()["detail"]
    expect(status).to_contain_text(f"Steps PNG failed: {detail}")
    assert downloads == []
    page.click("#export-status .close")
    expect(status).to_be_hidden()
    page.console_problems.clear()  # the refused fetch is logged by the browser


@pytest.mark.parametrize(("expr", "readable"), [
    ("(x + y)*z", "expr=(x+%2B+y)*z"),
    ("max(x, y)^2/z", "expr=max(x,+y)^2/z"),
    ("relu(x)", "expr=relu(x)&x=[1,-2,3]"),
])
def test_the_address_bar_reads_like_the_expression(page, expr, readable):
    query = f"expr={quote(expr)}" + ("&x=%5B1%2C-2%2C3%5D" if "[" in readable else "")
    open_ready(page, f"/?{query}")
    assert settled_url(page).split("?", 1)[1].startswith(readable), page.url


TYPED = ["(x + y)*z", "a&b", "x+y", "100%", "a#b", "σ(x) − 1", "q = x + y; f = q*z", "[1,2]", "'quoted' \"twice\"",
         "<b>", "back\\slash", "tab\there", "~^|{}", "a=b&c=d"]


def test_links_give_back_exactly_what_was_typed(page):
    open_ready(page, CS231N)
    back = page.evaluate("""async (texts) => {
        const { fromQuery, toQuery } = await import('/static/js/state.js');
        return texts.map((text) => {
            const state = fromQuery('');
            state.expr = text;
            state.values.set('x', text);
            const url = new URL('/?' + toQuery(state), location.href);  // what the browser keeps of the link
            const parsed = fromQuery(url.search);
            return [parsed.expr, parsed.values.get('x')];
        });
    }""", TYPED)
    assert back == [[text, text] for text in TYPED]


LOOPBACK = [("http://127.0.0.1:8000", True), ("http://localhost:8000", True), ("http://[::1]:8000", True),
            ("http://127.1.2.3", True), ("http://192.168.1.20:8000", False), ("https://chainrule.example.edu", False),
            ("http://localhost.example.com", False)]


def test_the_qr_code_warns_when_phones_cannot_reach_the_link(page):
    open_ready(page, CS231N)
    warned = page.evaluate("""async (bases) => {
        const { isLoopback } = await import('/static/js/share.js');
        return bases.map((base) => isLoopback(new URL(base).hostname));
    }""", [base for base, _ in LOOPBACK])
    assert warned == [warns for _, warns in LOOPBACK]


def test_the_qr_dialog_of_a_local_server_says_what_to_do(page, server):
    open_ready(page, CS231N)  # the test server listens on 127.0.0.1
    page.click("#show-qr")
    warning = page.locator("#qr-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("127.0.0.1")
    expect(warning).to_contain_text("--host 0.0.0.0")
    expect(warning).to_contain_text("CHAINRULE_PUBLIC_URL")
    port = server.rsplit(":", 1)[1]
    expect(page.locator("#qr-example")).to_have_text(f"http://192.168.1.20:{port}")  # an address of this server's form


def variables_listed(page) -> list[str]:
    return page.locator(".variable").evaluate_all("rows => rows.map(row => row.dataset.name)")


@pytest.mark.parametrize("preset", [preset for preset in PRESETS if len(preset.query.values) > 2],
                         ids=lambda preset: preset.slug)
def test_a_preset_and_its_link_list_the_variables_alike_and_the_menu_shows_it(page, preset):
    open_ready(page, CS231N)
    page.select_option("#presets", label=preset.title)
    expect(page.locator("#expr")).to_have_value(preset.query.expr)
    page.wait_for_function("expr => new URLSearchParams(location.search).get('expr') === expr", arg=preset.query.expr)
    expect(page.locator(".variable")).to_have_count(len(preset.query.values))
    from_menu = variables_listed(page)
    open_ready(page, page.url)
    assert variables_listed(page) == from_menu
    assert page.eval_on_selector("#presets", "menu => menu.selectedOptions[0].textContent") == preset.title
    page.fill('.variable .number >> nth=0', "7")
    expect(page.locator("#presets")).to_have_value("")  # a changed value is no longer the worked example


def test_the_theme_choices_fit_one_row_and_projector_is_a_twin(page):
    open_ready(page, CS231N)
    boxes = page.locator("#theme label").evaluate_all(
        "labels => labels.map(label => { const box = label.getBoundingClientRect(); return [box.top, box.bottom]; })")
    middles = [(top + bottom) / 2 for top, bottom in boxes]
    assert all(boxes[0][0] < middle < boxes[0][1] for middle in middles), boxes  # one row
    page.check("#projector")
    expect(page).to_have_url(re.compile("theme=projector(&|$)"))
    page.check('input[name="theme"][value="dark"]', force=True)
    expect(page).to_have_url(re.compile("theme=projector-dark"))
    page.uncheck("#projector")
    expect(page).to_have_url(re.compile("theme=dark(&|$)"))


def test_the_layout_choice_is_kept_in_the_url_and_sent_to_the_server(page):
    open_ready(page, CS231N)
    asked = []
    page.on("request", lambda request: "/api/view?" in request.url and asked.append(request.url))
    page.select_option("#rankdir", "TB")
    expect(page).to_have_url(re.compile("rankdir=TB"))
    assert asked and "rankdir=TB" in asked[-1]
    open_ready(page, page.url)
    expect(page.locator("#rankdir")).to_have_value("TB")
    assert "rankdir=TB" in page.get_attribute("#download-slides-pdf", "href")
    page.click("#show-embed")
    assert "rankdir=TB" in page.input_value("#embed-snippet")
