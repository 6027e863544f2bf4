"""The renderer: deterministic DOT, real Graphviz output, lecture steps, big graphs."""
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from engine import ChainruleError, analyze
from engine.render import FULL_LABEL_EDGES, View, render, to_dot

GOLDEN = Path(__file__).parent / "golden"
ADD_MUL = ("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
SVG = "{http://www.w3.org/2000/svg}"


def test_add_mul_dot_is_the_golden_text():
    # Regenerate after a deliberate change: write to_dot(...) to golden/add_mul.dot.
    assert to_dot(analyze(*ADD_MUL)) == (GOLDEN / "add_mul.dot").read_text()


def test_svg_has_stable_node_and_edge_ids_for_the_page():
    a = analyze(*ADD_MUL)
    root = ET.fromstring(render(a, View(), "svg"))
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert {f"n{i}" for i in range(5)} <= ids and {f"e{i}" for i in range(4)} <= ids
    texts = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "−12" in texts and "−4 × 1 = " in texts


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_png_and_pdf_come_from_graphviz(fmt, magic):
    assert render(analyze(*ADD_MUL), View(), fmt).startswith(magic)


def test_step_zero_shows_the_inputs_and_no_gradient():
    a = analyze(*ADD_MUL)
    dot = to_dot(a, View(step=0))
    x_box = dot.split("label=<")[2]
    assert '<FONT COLOR="#0072B2">−2</FONT>' in x_box           # x's value, in value blue
    assert '<FONT COLOR="#eef3f8">∂ −0</FONT>' in x_box         # its grad's place, unseen
    assert "#D55E00" not in dot.split("edge [")[1].replace('fontcolor="#1f2328"', "")  # no gradient shown
    assert "current" not in dot


def test_every_step_lays_the_graph_out_in_the_same_place():
    import json
    a = analyze("sigmoid(w0*x0 + w1*x1 + w2)", dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3"))
    layouts = set()
    for step in range(len(a.steps)):
        layout = json.loads(render_json(a, View(step=step, callouts=True)))
        layouts.add(tuple((o["name"], o["pos"]) for o in layout["objects"]))
    assert len(layouts) == 1


def render_json(analysis, view):
    from engine.render import run_dot
    return run_dot(to_dot(analysis, view), "json")


def test_each_step_reveals_more_and_emphasises_what_changed():
    a = analyze(*ADD_MUL)
    dots = [to_dot(a, View(step=s)) for s in range(len(a.steps))]
    assert len(set(dots)) == len(dots) == 5
    last = to_dot(a, View(step=len(a.steps) - 1))
    assert 'class="gate op-add current"' in last and "−4 × 1 = <B>−4</B>" in last


def test_step_outside_the_lecture_is_refused():
    a = analyze(*ADD_MUL)
    with pytest.raises(ChainruleError, match="step must be from 0 to 4"):
        to_dot(a, View(step=9))


def test_callouts_name_each_gates_backward_role():
    dot = to_dot(analyze("max(x, y)*x", {"x": "1", "y": "2"}), View(callouts=True))
    assert "max routes" in dot and "mul swaps" in dot and "fan-out adds" in dot


def test_big_graphs_thin_their_edge_labels_to_stay_fast():
    text = "+".join(f"x{i % 40}*y{i % 30}" for i in range(60))  # 238 edges
    dot = to_dot(analyze(text))
    assert "xlabel=<" in dot and ">local " not in dot


@pytest.mark.parametrize("bad", [View(labels="x"), View(theme="neon"), View(digits=0)])
def test_bad_view_options_are_refused(bad):
    with pytest.raises(ChainruleError):
        to_dot(analyze("x"), bad)


def test_arrays_show_their_shape_values_inline_and_a_heat_map_when_large():
    small = to_dot(analyze("sqnorm(W @ x)", {"W": "[[0.1,0.5],[-0.3,0.8]]", "x": "[0.2,0.4]"}))
    assert "2×2" in small and "[0.1, 0.5]" in small and "local ·xᵀ" in small
    assert "↓ <B>[−0.112, 0.636]</B>" in small
    big = to_dot(analyze("sum(W)", {"W": str([[i - j for i in range(5)] for j in range(4)])}))
    assert "4×5 from −3 to 4" in big and big.count("BGCOLOR=") == 2 * 20  # value and grad
    assert render(analyze("sum(W)", {"W": "[[1,2],[3,4]]"}), View(), "svg").startswith(b"<?xml")
