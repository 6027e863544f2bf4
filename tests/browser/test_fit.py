"""Lecture-size graphs fill the screen and read from the back row, measured in real chromium.

Every scalar preset and a few 10-15 node graphs, presented at 1024x768 and 1280x720, on the page at 1280x720,
and in a 960x540 /embed iframe on another site: the drawing is whole on screen, and every visible SVG text is at
least MIN_TEXT px high (its font size times the drawing's on-screen scale). The table of the smallest text per graph
is printed (run with -s to see it).
"""

from urllib.parse import urlencode

import pytest

from chainrule.app.presets import PRESETS
from tests.browser.pages import settled_url

MIN_TEXT = {"present": 12.0, "page": 10.0, "embed": 12.0}
VIEWS = [("present", 1024, 768), ("present", 1280, 720), ("page", 1280, 720), ("embed", 960, 540)]

NEURON = {"w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"}
SCALAR_PRESETS = [preset for preset in PRESETS if not any(value.startswith("[") for value in preset.query.values.values())]
GRAPHS = [(preset.slug, preset.query.query_string()) for preset in SCALAR_PRESETS] + [
    ("relu-neuron", urlencode({"expr": "relu(w0*x0 + w1*x1 + b)", "w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "b": "1"})),
    ("tanh-two-layers", urlencode({"expr": "tanh(w1*tanh(w0*x + b0) + b1)", "x": "0.5", "w0": "2", "b0": "-1", "w1": "1.5", "b1": "0.2"})),
    ("neuron-primitive", urlencode({"expr": "sigmoid(w0*x0 + w1*x1 + w2)", **NEURON, "granularity": "primitive"})),
    # the seeds' names for the intermediates, once the parser reads statements (skipped until it does)
    ("cs231n-statements", urlencode({"expr": "q = x + y; f = q*z", "x": "-2", "y": "5", "z": "-4"})),
]
NEEDS_STATEMENTS = {"cs231n-statements"}

# Measures the drawing in the page it runs in: the drawing's box, the viewport, and the smallest text on screen.
MEASURE = r"""() => {
  const svg = document.querySelector('#graph svg');
  const box = svg.getBoundingClientRect();
  const area = document.getElementById('graph').getBoundingClientRect();
  let smallest = Infinity, count = 0;
  for (const text of svg.querySelectorAll('text')) {
    const style = getComputedStyle(text);
    if (!text.textContent.trim() || style.visibility === 'hidden' || style.display === 'none') continue;
    const matrix = text.getScreenCTM();
    const size = parseFloat(style.fontSize) * Math.hypot(matrix.a, matrix.b);
    smallest = Math.min(smallest, size);
    count += 1;
  }
  const inside = (inner, outer) => inner.left >= outer.left - 0.5 && inner.top >= outer.top - 0.5 &&
    inner.right <= outer.right + 0.5 && inner.bottom <= outer.bottom + 0.5;
  const screen = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  // The best any page could do with this drawing: its smallest font, scaled to fill the whole viewport.
  const [, , width, height] = svg.getAttribute('viewBox').split(/[\s,]+/).map(Number);
  const fonts = [...svg.querySelectorAll('text')].filter((text) => text.textContent.trim())
    .map((text) => parseFloat(text.getAttribute('font-size') || getComputedStyle(text).fontSize));
  const bound = Math.min(...fonts) * Math.min(innerWidth / width, innerHeight / height);
  return {smallest, count, bound, whole: inside(box, area) && inside(area, screen),
          box: [box.left, box.top, box.width, box.height].map(Math.round)};
}"""

RESULTS: dict[tuple[str, str], dict] = {}


@pytest.fixture(scope="module")
def page(browser, server):
    """One page for the whole table (a context per measurement would double its time); no console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, problems


def wait_drawn(target) -> None:
    target.wait_for_selector("body.ready #graph svg")
    target.wait_for_function("() => !document.querySelector('#graph.stale')")


def settled(target) -> None:
    """Wait until no drawing is on its way (a graph too large for its labels is drawn again with the lecture's),
    then two animation frames: the box's new size is observed and the drawing refitted."""
    target.wait_for_selector("body:not(.updating)")
    target.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def measure_present(page, query: str, width: int, height: int) -> dict:
    page.goto("about:blank")  # the same address with #present again would not reload the page
    page.set_viewport_size({"width": width, "height": height})
    # presenting draws in the projector theme (a light page switches to it); asking for it saves a second drawing
    page.goto(f"/?{query}&theme=projector&step=end#present")
    page.wait_for_selector("body.ready.presenting #graph svg")
    settled(page)
    return page.evaluate(MEASURE)


def measure_page(page, query: str) -> dict:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"/?{query}")
    wait_drawn(page)
    settled(page)
    return page.evaluate(MEASURE)


def measure_embed(page, query: str, other_origin: str, server: str) -> dict:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{other_origin}/deck.html")
    page.evaluate("([src]) => { const f = document.getElementById('graph'); f.width = 960; f.height = 540; f.src = src; }",
                  [f"{server}/embed?{query}&step=end"])
    frame = page.frame(url=lambda url: "/embed?" in url)
    while frame is None:
        page.wait_for_timeout(50)
        frame = page.frame(url=lambda url: "/embed?" in url)
    frame.wait_for_selector("body.ready #graph svg")
    settled(frame)
    return frame.evaluate(MEASURE)


@pytest.mark.parametrize(("kind", "width", "height"), VIEWS, ids=[f"{kind}-{width}x{height}" for kind, width, height in VIEWS])
@pytest.mark.parametrize(("slug", "query"), GRAPHS, ids=[slug for slug, _ in GRAPHS])
def test_lecture_graphs_are_whole_and_readable(page, server, other_origin, slug, query, kind, width, height):
    if slug in NEEDS_STATEMENTS and page.request.get(f"{server}/api/graph?{query}").status == 400:
        pytest.skip("the parser does not read statements (q = x + y; f = q*z) yet")
    if kind == "present":
        result = measure_present(page, query, width, height)
    elif kind == "page":
        result = measure_page(page, query)
    else:
        result = measure_embed(page, query, other_origin, server)
    RESULTS[(slug, f"{kind} {width}x{height}")] = result
    least = MIN_TEXT[kind]
    assert result["count"] > 0
    if result["bound"] < least:
        # Even filling the whole screen, this drawing's text stays under the minimum: its layout (the engine's
        # rankdir, narrower edge labels) has to change, not the page. Counted in the table, reported as xfail.
        pytest.xfail(f"the drawing itself is too large: its text is at most {result['bound']:.1f} px on this screen")
    assert result["whole"], f"not whole on screen: drawing at {result['box']}"
    assert result["smallest"] >= least, f"smallest text {result['smallest']:.1f} px < {least} px"


def test_print_the_table_of_smallest_text(capsys):
    """Prints the smallest text (px) per graph and view measured above (run with -s)."""
    if not RESULTS:
        pytest.skip("run together with test_lecture_graphs_are_whole_and_readable")
    views = [f"{kind} {width}x{height}" for kind, width, height in VIEWS]
    lines = [f"{'graph':28}" + "".join(f"{view:>18}" for view in views)]
    for slug, _ in GRAPHS:
        cells = []
        for view in views:
            result = RESULTS.get((slug, view))
            cells.append("—" if result is None else
                         f"{result['smallest']:.1f}{'' if result['whole'] else ' cut'}{'*' if result['bound'] < MIN_TEXT[view.split()[0]] else ''}")
        lines.append(f"{slug:28}" + "".join(f"{cell:>18}" for cell in cells))
    with capsys.disabled():
        print("\nsmallest SVG text on screen, px (cut: the drawing is not whole on screen; *: no page could reach the "
              "minimum with this drawing)\n" + "\n".join(lines))


FORMULA_VIEWS = [("page", 1024, 768), ("present", 1024, 768)]


@pytest.mark.parametrize(("kind", "width", "height"), FORMULA_VIEWS, ids=[f"{kind}-{width}x{height}" for kind, width, height in FORMULA_VIEWS])
def test_the_formula_is_never_cut_by_the_toolbar(page, kind, width, height):
    page.set_viewport_size({"width": width, "height": height})
    for slug, query in GRAPHS:
        if slug in NEEDS_STATEMENTS and page.request.get(f"/api/graph?{query}").status == 400:
            continue
        page.goto("about:blank")
        page.goto(f"/?{query}" + ("&theme=projector#present" if kind == "present" else ""))
        wait_drawn(page)
        settled(page)
        cut = page.evaluate("""() => {
            const formula = document.getElementById('formula');
            const box = formula.getBoundingClientRect();
            const share = document.querySelector('.share');
            const other = share.offsetParent ? share.getBoundingClientRect() : null;
            const overlaps = other && box.right > other.left + 0.5 && box.bottom > other.top + 0.5 && other.bottom > box.top + 0.5;
            return {overflow: formula.scrollWidth - formula.clientWidth, overlaps, right: box.right};
        }""")
        assert cut["overflow"] <= 1 and not cut["overlaps"] and cut["right"] <= width, (slug, cut)


MLP_3_4_1 = urlencode({"expr": "; ".join(
    [f"h1_{j} = tanh({' + '.join(f'0.{j + k}*x{k}' for k in range(1, 4))} + 0.1)" for j in range(1, 5)]
    + ["y = " + " + ".join(f"0.{k}*h1_{k}" for k in range(1, 5)), "L = (y - 1)^2"]), "x1": "1", "x2": "-2", "x3": "0.5"})


@pytest.mark.parametrize(("kind", "width", "height"), [("present", 1024, 768), ("page", 1280, 720)])
def test_an_mlp_written_out_too_small_whole_is_drawn_with_its_neurons_as_boxes(page, kind, width, height):
    """~75 nodes: even in the lecture's labels its text would be ~7 px whole, so the page closes its groups."""
    result = measure_present(page, MLP_3_4_1, width, height) if kind == "present" else measure_page(page, MLP_3_4_1)
    assert "groups=all" in settled_url(page) and page.locator("#graph g.node.group").count() == 5   # four neurons and y
    assert result["whole"] and result["smallest"] >= MIN_TEXT[kind], result
