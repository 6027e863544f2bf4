"""Slide exports: 16:9 slides per step (PDF pages, PNGs, a GIF) with the step's number and sentence, refused by
size and never by time; TikZ that fits a Beamer frame, and a Beamer frame whose overlays are the steps."""
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from pypdf import PdfReader

from chainrule.engine import ChainruleError, LimitError, Lesson, analyze, explain
from chainrule.engine.groups import GROUP_NODES
from chainrule.engine.render import View
from chainrule.engine.slides import MAX_SLIDE_NODES, MAX_TIKZ_NODES, steps_gif, steps_pdf, steps_zip, to_tikz

NEURON = ("sigmoid(w0*x0 + w1*x1 + w2)", dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3"))
WRITTEN_OUT = ("1/(1+exp(-(w0*x0+w1*x1+w2)))", NEURON[1])


def lesson(expr, values=None):
    return Lesson(analyze(expr, values or {}))


def test_steps_pdf_has_a_16_by_9_page_per_step_with_its_number_and_sentence():
    les = lesson(*NEURON)
    pages = PdfReader(io.BytesIO(steps_pdf(les))).pages
    assert len(pages) == len(les.steps) == 11
    box = pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(16 / 9)
    text = pages[10].extract_text()
    assert "Step 10 of 10" in text and "to w0" in text


def test_steps_zip_has_a_16_by_9_png_per_step_each_different_from_the_last():
    les = lesson("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
    with zipfile.ZipFile(io.BytesIO(steps_zip(les, View(theme="projector")))) as archive:
        names = archive.namelist()
        pngs = [archive.read(n) for n in names]
    assert names == [f"step-{i:02d}.png" for i in range(5)]
    assert all(png.startswith(b"\x89PNG") and b"pHYs" in png[:100] for png in pngs)
    width, height = int.from_bytes(pngs[0][16:20], "big"), int.from_bytes(pngs[0][20:24], "big")
    assert width / height == pytest.approx(16 / 9)
    assert all(a != b for a, b in zip(pngs, pngs[1:]))


def test_steps_gif_animates_every_step():
    from PIL import Image
    les = lesson("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
    gif = Image.open(io.BytesIO(steps_gif(les)))
    assert gif.format == "GIF" and gif.n_frames == len(les.steps)


def test_a_40_node_deck_is_made_and_a_bigger_one_refused_by_size_before_any_drawing():
    chain = "+".join(f"x{i}*w{i}" for i in range(7)) + "+b"     # 7·3 + 7 + 1 = 29 nodes... and more below
    forty = lesson(f"sigmoid({chain}) * sigmoid({chain[:20]})")
    assert 30 <= len(forty.graph.nodes) <= 45
    assert len(PdfReader(io.BytesIO(steps_pdf(forty))).pages) == len(forty.steps)
    too_big = lesson("+".join(f"x{i}" for i in range(MAX_SLIDE_NODES)))
    with pytest.raises(ChainruleError, match="slide exports stop at"):
        steps_zip(too_big)


def test_tikz_is_a_standalone_tikzpicture_with_the_drawings_content():
    tex = to_tikz(lesson("max(x, y)*2", {"x": "4", "y": "2"}))
    assert tex.count(r"\begin{tikzpicture}") == tex.count(r"\end{tikzpicture}") == 1
    assert tex.count("{") == tex.count("}")
    assert r"\mathbb{1}[x > y]" in tex and "local" in tex        # the local formulas, as on the SVG
    assert r"\partial f/\partial x = 2" in tex                    # a gradient never reads as a subtraction
    assert "upstream $\\times$ local" in tex                        # the legend
    assert tex.count(r"\draw[->]") == tex.count(r"\node[lab]") == 3   # the constant 2's edge is dashed, bare


def test_tikz_of_a_wide_graph_keeps_its_text_size_with_the_lectures_labels():
    tex = to_tikz(lesson(*NEURON))      # its edge labels would shrink the text to a third: nodes only
    assert r"\node[lab]" not in tex and r"\sigma" in tex and "0.731" in tex and "w_{2}" in tex
    assert r"\partial f/\partial w_{0} = -0.197" in tex
    assert tex.count(r"\draw[->]") == 9  # every edge that carries a gradient


def test_tikz_of_arrays_has_no_missing_numbers():
    tex = to_tikz(lesson("sum(x)", {"x": "[1,-2,3]"}))
    assert "None" not in tex and r"\downarrow" in tex


def compile_tex(tmp_path, tex: str) -> bytes:
    (tmp_path / "g.tex").write_text(tex)
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "g.tex"], cwd=tmp_path,
                   check=True, capture_output=True, timeout=120)
    return (tmp_path / "g.pdf").read_bytes()


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no LaTeX installed here")
@pytest.mark.parametrize("expr, values", [NEURON, WRITTEN_OUT])
def test_tikz_compiles_and_fits_a_16_by_9_beamer_frames_text_width(tmp_path, expr, values):
    pdf = compile_tex(tmp_path, to_tikz(lesson(expr, values)))
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert float(box.width) <= 398 + 2 * 4 + 1      # \textwidth, plus the standalone border


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no LaTeX installed here")
def test_tikz_of_a_big_graph_draws_far_variables_from_copies_beside_their_gates(tmp_path):
    # past 100 nodes a drawing collapses groups and names a far use of x again beside its gate: TikZ shows
    # every node, and draws x's far uses from those copies
    expr = "x"
    for i in range(40):
        expr = f"({expr})*w{i} + x"
    les = lesson(expr)
    assert len(les.graph.nodes) > GROUP_NODES
    tex = to_tikz(les)
    defined = set(re.findall(r"\\node\[[^]]*\] \(([^)]+)\)", tex))
    drawn = re.findall(r"\\draw\[[^]]*\] \(([^)]+)\) -- \(([^)]+)\)", tex)
    assert any("-at-" in name for name in defined), "no far use in this graph: the test needs one"
    assert drawn and all(a in defined and b in defined for a, b in drawn)
    assert len(drawn) + tex.count(r"\draw[->, dashed") == len(les.graph.edges)
    compile_tex(tmp_path, tex)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no LaTeX installed here")
def test_the_largest_tikz_allowed_compiles_though_its_layout_passes_texs_largest_dimension(tmp_path):
    variables = (MAX_TIKZ_NODES + 1) // 2   # a sum of n variables: 2n - 1 nodes, in a line 16,000 pt long and more
    tex = to_tikz(explain(" + ".join(f"x{i}" for i in range(variables)), {}))
    box = PdfReader(io.BytesIO(compile_tex(tmp_path, tex))).pages[0].mediabox
    assert float(box.width) <= 398 + 2 * 4 + 1


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no LaTeX installed here")
def test_beamer_export_is_one_frame_whose_overlays_are_the_steps(tmp_path):
    les = lesson(*NEURON)
    tex = to_tikz(les, beamer=True)
    assert r"\documentclass[aspectratio=169]{beamer}" in tex and tex.count(r"\begin{frame}") == 1
    assert r"\only<11->" in tex
    pages = PdfReader(io.BytesIO(compile_tex(tmp_path, tex))).pages
    assert len(pages) == len(les.steps)
    assert "0.393" not in pages[0].extract_text() and "0.393" in pages[-1].extract_text()


@pytest.mark.parametrize("variables, refused", [(300, False), (301, True)])  # n variables summed: 2n - 1 nodes
def test_tikz_is_refused_by_its_node_count_before_any_layout(variables, refused):
    lesson = explain(" + ".join(f"x{i}" for i in range(variables)), {})
    assert len(lesson.graph.nodes) == 2 * variables - 1
    if refused:
        with pytest.raises(LimitError, match=f"TikZ stops at {MAX_TIKZ_NODES}"):
            to_tikz(lesson)
    else:
        assert r"\begin{tikzpicture}" in to_tikz(lesson)
