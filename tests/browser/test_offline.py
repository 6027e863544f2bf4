"""The one-file offline HTML (`chainrule render -o graph.html`, `/graph.html`): opened from disk in Chromium with every
network request blocked, it asks for nothing, draws the graph, shows the same chain rule as the server's page on hover,
steps through the lecture, and switches light and dark; inside a notebook's sandboxed <iframe srcdoc> too."""

import re
from urllib.parse import parse_qsl

import httpx
import pytest
from playwright.sync_api import expect

from chainrule.app.cli import main
from chainrule.app.offline import TWINS, notebook_frame
from chainrule.app.presets import PRESETS
from chainrule.app.query import GraphQuery
from chainrule.engine.options import OPTIONS
from chainrule.engine.themes import THEMES

NEURON = next(preset for preset in PRESETS if preset.slug == "cs231n-neuron")
THEME_NAMES = ("light", "dark")


def cli_args(query, theme: str) -> list[str]:
    """Return `chainrule render`'s arguments for a preset's query in a theme."""
    args = [query.expr, *(f"--set={name}={value}" for name, value in query.values.items()), f"--theme={theme}"]
    for name, option in OPTIONS.items():
        value = getattr(query, name)
        if name != "theme" and value != option.default:
            args.append(f"--{name}" if option.kind == "boolean" else f"--{name}={value}")
    return args


@pytest.fixture
def offline(browser):
    """Return open(path) -> page: the file opened at 1024x768 in a context that aborts every request but the file's
    own; the page's `attempted` lists every request it tried, `problems` its console errors."""
    contexts = []

    def open_file(path, viewport=(1024, 768), ready="body.ready"):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        url = path.as_uri()
        attempted = []

        def guard(route):
            attempted.append(route.request.url)
            if route.request.url == url:
                route.continue_()
            else:
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.attempted = attempted
        page.problems = []
        page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.on("requestfailed", lambda request: page.problems.append(f"failed {request.url}"))
        page.goto(url)
        page.locator(ready).wait_for()
        return page

    yield open_file
    for context in contexts:
        context.close()


def server_graph(server, query) -> dict:
    return httpx.get(f"{server}/api/graph?{query.query_string()}", timeout=30).json()


ONLINE_PANELS = {}   # (query, node) -> text: the page is the same in both themes' cases


def online_panel(page, server, query, node_id: str) -> str:
    """Return the text of the server's page's chain-rule panel at a node (what the offline copy must also say)."""
    key = (query.query_string(), node_id)
    if key not in ONLINE_PANELS:
        ONLINE_PANELS[key] = _online_panel(page, query, node_id)
    return ONLINE_PANELS[key]


def _online_panel(page, query, node_id: str) -> str:
    page.goto(f"/?{query.query_string()}")
    page.locator("body.ready:not(.updating) #graph svg").wait_for()   # drawn in the labels that fit
    page.hover(f"#graph #{node_id}")
    expect(page.locator("#panel")).to_be_visible()
    return page.locator("#panel").inner_text()


def shows_the_lesson(offline_page, graph: dict, theme: str, online: str, node_id: str) -> None:
    """Assert what a student sees offline: the drawing of every node, the chain rule of the server's page at
    `node_id`, every lecture step with its sentence, the twin theme's inks; and that nothing was fetched."""
    page = offline_page
    drawing = page.locator("#graph svg")
    expect(drawing).to_be_visible()
    assert drawing.locator("g.node").count() == len(graph["nodes"])
    page.hover(f"#graph #{node_id}")
    panel = page.locator("#panel")
    expect(panel).to_be_visible()
    assert panel.locator(".math .katex").count() > 0   # typeset: KaTeX ran from the file
    assert panel.inner_text() == online

    last = len(graph["steps"]) - 1
    page.mouse.move(1, 1)
    page.keyboard.press("ArrowRight")
    expect(page.locator("#step-counter")).to_have_text(f"step 0 of {last}")
    expect(page.locator("#step-text")).to_have_text(graph["steps"][0]["text"])
    first = drawing.inner_html()
    page.click("#step-last")
    expect(page.locator("#step-counter")).to_have_text(f"step {last} of {last}")
    expect(page.locator("#step-text")).to_have_text(graph["steps"][last]["text"])
    assert drawing.inner_html() != first   # each step is its own drawing
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#step-counter")).to_have_text(f"step {max(last - 1, 0)} of {last}")
    page.click("#lecture-exit")
    expect(page.locator("#lecture-steppers")).to_be_hidden()

    background = "#graph svg g.graph > polygon"
    fill = lambda: page.eval_on_selector(background, "element => getComputedStyle(element).fill")  # noqa: E731
    assert fill() == rgb(THEMES[theme].background)
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == TWINS[theme]
    assert fill() == rgb(THEMES[TWINS[theme]].background)
    assert page.attempted == [page.url] and page.problems == []


def rgb(colour: str) -> str:
    """Return a #rrggbb colour as getComputedStyle writes it."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("preset", PRESETS, ids=[preset.slug for preset in PRESETS])
def test_rendered_html_teaches_the_preset_with_no_network(page, server, offline, tmp_path, preset, theme):
    out = tmp_path / "graph.html"
    assert main(["render", *cli_args(preset.query, theme), "-o", str(out)]) == 0
    graph = server_graph(server, preset.query)
    variable = next(node["id"] for node in graph["nodes"] if node["op"] == "var")
    online = online_panel(page, server, preset.query, variable)
    shows_the_lesson(offline(out), graph, theme, online, variable)


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("preset", [NEURON, PRESETS[-1]], ids=lambda preset: preset.slug)
def test_the_servers_graph_html_is_saved_and_works_offline(page, server, offline, tmp_path, preset, theme):
    query = preset.query.query_string() + f"&theme={theme}"
    response = httpx.get(f"{server}/graph.html?{query}", timeout=60)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="chainrule.html"'
    out = tmp_path / "chainrule.html"
    out.write_bytes(response.content)
    graph = server_graph(server, preset.query)
    output = graph["output"]["id"]
    online = online_panel(page, server, preset.query, output)
    opened = offline(out)
    edit = opened.get_attribute("#edit-link", "href")   # editing needs the server: the file links back to it
    assert edit == f"{server}/?{GraphQuery.from_params(parse_qsl(query)).query_string()}"
    shows_the_lesson(opened, graph, theme, online, output)


def test_the_page_downloads_the_offline_html_of_its_state(page):
    page.goto("/?expr=x*y&x=3&y=-4")
    page.locator("body.ready").wait_for()
    page.click("#downloads summary")
    with page.expect_download() as download:
        page.click("#download-html")
    assert download.value.suggested_filename == "chainrule.html"
    assert re.search(r"<svg[^>]*>", download.value.path().read_text())


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_the_neuron_reads_at_1024x768(offline, shoot, tmp_path, theme):
    out = tmp_path / "neuron.html"
    assert main(["render", *cli_args(NEURON.query, theme), "-o", str(out)]) == 0
    page = offline(out)
    page.hover("#graph #n0")
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('#graph svg text')]
        .filter((text) => text.textContent.trim()).map((text) => text.getBoundingClientRect().height))""")
    assert smallest >= 12   # CSS px of the smallest text's box: read from a laptop's screen
    for value in ("0.731", "−0.197", "0.393", "−0.393", "−0.59"):   # the seed's numbers (FACTS.md)
        assert value in page.locator("#graph svg").text_content()
    shoot(page, f"offline-neuron-{theme}")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    shoot(page, f"offline-neuron-{theme}-last-step")
    assert page.attempted == [page.url] and page.problems == []


def test_a_notebooks_sandboxed_frame_shows_the_graph_and_its_chain_rule(offline, tmp_path):
    out = tmp_path / "neuron.html"
    assert main(["render", *cli_args(NEURON.query, "light"), "-o", str(out)]) == 0
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!doctype html><title>notebook</title><link rel=icon href='data:,'><h1>Cell 3</h1>"
                        f"{notebook_frame(out.read_text())}")
    page = offline(notebook, ready="iframe")
    frame = page.frame_locator("iframe")
    frame.locator("body.ready #graph svg").wait_for()
    frame.locator("#graph #n0").hover()
    expect(frame.locator("#panel .math .katex").first).to_be_visible()
    frame.locator("#lecture-start").click()
    frame.locator("body").press("End")
    expect(frame.locator("#step-counter")).to_have_text(re.compile(r"step (\d+) of \1"))
    assert page.attempted == [page.url] and page.problems == []
