"""The renderer: deterministic DOT, real Graphviz output, lecture steps that show only what they revealed,
layout direction, big graphs."""
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from chainrule.engine import ChainruleError, Lesson, analyze
from chainrule.engine.render import FULL_LABEL_EDGES, View, render, to_dot
from chainrule.engine.tools import run_tool

GOLDEN = Path(__file__).parent / "golden"
ADD_MUL = ("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
NEURON_WRITTEN_OUT = ("1/(1+exp(-(w0*x0+w1*x1+w2)))", dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3"))
SVG = "{http://www.w3.org/2000/svg}"


def lesson(expr, values=None, **options):
    return Lesson(analyze(expr, values or {}, **options))


def test_add_mul_dot_is_the_golden_text():
    # Regenerate after a deliberate change: write to_dot(...) to golden/add_mul.dot.
    assert to_dot(lesson(*ADD_MUL)) == (GOLDEN / "add_mul.dot").read_text()


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_svg_has_stable_node_and_edge_ids_for_the_page_and_lecture_names_for_people():
    svg = render(lesson(*ADD_MUL), View(), "svg")
    root = ET.fromstring(svg)
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert {f"n{i}" for i in range(5)} <= ids and {f"e{i}" for i in range(4)} <= ids
    texts = "".join(svg_texts(svg))
    assert "−12" in texts and "−4 × 1 = " in texts and "local z = −4" in texts
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "q" in titles and "x → q" in titles and "q → f" in titles
    assert not [t for t in titles + svg_texts(svg) if re.search(r"\b[ne]\d+\b", t)]


def test_svg_text_names_a_generic_fallback_font():
    assert b'font-family="DejaVu Sans, Verdana, sans-serif"' in render(lesson(*ADD_MUL), View(), "svg")


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_png_and_pdf_are_drawn_from_the_svg(fmt, magic):
    assert render(lesson(*ADD_MUL), View(), fmt).startswith(magic)


def test_png_records_its_dpi_for_slide_tools():
    png = render(lesson(*ADD_MUL), View(), "png")
    at = png.index(b"pHYs")
    per_metre = int.from_bytes(png[at + 4: at + 8], "big")
    assert round(per_metre * 0.0254) == 150


def revealed_numbers(les: Lesson, step: int, digits: int = 3) -> set[str]:
    """The numbers a person has seen by `step`: the inputs, each gate's value from its forward step on,
    and the chain rule of each backward step (its numbers and the running sums that the drawing shows)."""
    from chainrule.engine.format import fmt
    reveal = les.reveal(step)
    p = les.numbers
    seen = set()
    for i in reveal.value_shown:
        seen.add(fmt(p.values[i], digits))
    for i in range(len(les.graph.nodes)):
        grad = reveal.grad(i)
        if grad is not None:
            seen.add(fmt(grad, digits))
    for e, edge in enumerate(les.graph.edges):
        if edge.target in reveal.fired:
            seen |= {fmt(p.upstream[e], digits), fmt(p.local[e], digits), fmt(p.downstream[e], digits)}
    return {s.replace("-", "−") for s in seen}


def numbers_in(texts) -> set[str]:
    return set(re.findall(r"−?\d+(?:\.\d+)?(?:e[−+]?\d+)?", " ".join(texts)))


@pytest.mark.parametrize("expr, values", [ADD_MUL, NEURON_WRITTEN_OUT,
                                          ("sigmoid(w0*x0 + w1*x1 + w2)", NEURON_WRITTEN_OUT[1]),
                                          ("x*x + max(x, y)", {"x": "3", "y": "3"})])
def test_a_step_image_holds_no_number_the_step_has_not_revealed(expr, values):
    les = lesson(expr, values)
    constants = {les.name(i) for i, n in enumerate(les.graph.nodes) if n.op == "const"} | {"2", "1", "0"}
    for step in range(len(les.steps)):
        svg = render(les, View(step=step, callouts=True), "svg")
        drawn = numbers_in(svg_texts(svg)) - constants
        unrevealed = drawn - revealed_numbers(les, step) - {"0"}
        # subscripts of names (q₁) are not digits; the legend has none
        assert not unrevealed, f"step {step} shows {unrevealed}"


def test_a_step_pdf_holds_no_number_the_step_has_not_revealed():
    les = lesson(*NEURON_WRITTEN_OUT)
    pdf = render(les, View(step=8), "pdf")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "−0.197" not in text and "0.393" not in text   # gradients, not reached at step 8
    assert "0.731" in text   # the output, computed at step 8


def test_every_step_lays_the_graph_out_in_the_same_place():
    les = lesson("sigmoid(w0*x0 + w1*x1 + w2)", dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3"))
    layouts = set()
    for step in range(len(les.steps)):
        layout = json.loads(run_tool(["dot", "-Tjson"], to_dot(les, View(step=step, callouts=True)).encode()))
        layouts.add(tuple((o["name"], o["pos"]) for o in layout["objects"]))
    assert len(layouts) == 1


def test_each_step_reveals_more_and_emphasises_what_changed():
    les = lesson(*ADD_MUL)
    dots = [to_dot(les, View(step=s)) for s in range(len(les.steps))]
    assert len(set(dots)) == len(dots) == 5
    assert 'class="gate op-add current"' in dots[-1] and "−4 × 1 = −4" in dots[-1]


def test_step_outside_the_lecture_is_refused():
    with pytest.raises(ChainruleError, match="step must be from 0 to 4"):
        to_dot(lesson(*ADD_MUL), View(step=9))


def test_callouts_name_each_gates_backward_role():
    dot = to_dot(lesson("max(x, y)*x", {"x": "1", "y": "2"}), View(callouts=True))
    assert "max routes" in dot and "mul swaps" in dot and "fan-out adds" in dot


def test_big_graphs_thin_their_edge_labels_to_stay_fast():
    text = "+".join(f"x{i % 40}*y{i % 30}" for i in range(60))  # 238 edges
    dot = to_dot(lesson(text), View(groups="none"))   # drawn whole, not as boxes of its sum
    assert len(lesson(text).graph.edges) > FULL_LABEL_EDGES
    assert "xlabel=<" in dot and ">local " not in dot


@pytest.mark.parametrize("bad", [View(labels="x"), View(theme="neon"), View(digits=0), View(rankdir="RL")])
def test_bad_view_options_are_refused(bad):
    with pytest.raises(ChainruleError):
        to_dot(lesson("x"), bad)


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_layout_direction_is_the_one_asked_for(rankdir):
    assert f"rankdir={rankdir}," in to_dot(lesson(*ADD_MUL), View(rankdir=rankdir))


def test_auto_direction_picks_the_layout_that_fills_a_wide_screen_better():
    def fit(les, rankdir):
        layout = json.loads(run_tool(["dot", "-Tjson"], to_dot(les, View(rankdir=rankdir)).encode()))
        x0, y0, x1, y1 = (float(v) for v in layout["bb"].split(","))
        return min(16 / 9 / (x1 - x0), 1 / (y1 - y0))

    for expr in ["(x+y)*z", "mse(W2 @ relu(W1 @ x), y) + lam*(sqnorm(W1) + sqnorm(W2))"]:
        les = lesson(expr, {"W1": "[[1,2],[3,4]]", "W2": "[[1,2]]", "x": "[1,2]", "y": "[1]"})
        chosen = re.search(r"rankdir=(\w+)", to_dot(les, View(rankdir="auto"))).group(1)
        other = {"LR": "TB", "TB": "LR"}[chosen]
        assert fit(les, chosen) >= fit(les, other) / 1.05


def test_lecture_labels_leave_edges_bare_and_keep_values_and_grads_on_nodes():
    dot = to_dot(lesson(*NEURON_WRITTEN_OUT), View(labels="lecture", step=12))
    assert "label=<<TABLE" in dot.split("->")[0] and ">local " not in dot and "∂ " in dot


def test_arrays_show_their_shape_values_inline_and_a_heat_map_when_large():
    small = to_dot(lesson("sqnorm(W @ x)", {"W": "[[0.1,0.5],[-0.3,0.8]]", "x": "[0.2,0.4]"}))
    assert "2×2" in small and "[0.1, 0.5]" in small and "local ·xᵀ" in small
    assert "↓ [−0.112, 0.636]" in small
    big = to_dot(lesson("sum(W)", {"W": str([[i - j for i in range(5)] for j in range(4)])}))
    assert "4×5 from −3 to 4" in big and big.count("BGCOLOR=") == 2 * 20  # value and grad
    assert render(lesson("sum(W)", {"W": "[[1,2],[3,4]]"}), View(), "svg").startswith(b"<?xml")
