"""Slide exports: one PDF page per step, a PNG per step that differs from the last, TikZ."""
import io
import shutil
import subprocess
import zipfile

import pytest
from pypdf import PdfReader

from engine import analyze
from engine.render import View
from engine.slides import steps_pdf, steps_zip, to_tikz

NEURON = ("sigmoid(w0*x0 + w1*x1 + w2)", dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3"))


def test_steps_pdf_has_one_page_per_step():
    a = analyze(*NEURON)
    assert len(PdfReader(io.BytesIO(steps_pdf(a))).pages) == len(a.steps) == 11


def test_steps_zip_has_one_png_per_step_each_different_from_the_last():
    a = analyze("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
    with zipfile.ZipFile(io.BytesIO(steps_zip(a, View(theme="projector")))) as archive:
        names = archive.namelist()
        pngs = [archive.read(n) for n in names]
    assert names == [f"step-{i:02d}.png" for i in range(5)]
    assert all(png.startswith(b"\x89PNG") for png in pngs)
    assert all(a != b for a, b in zip(pngs, pngs[1:]))


def test_tikz_is_a_standalone_tikzpicture_with_the_numbers():
    tex = to_tikz(analyze(*NEURON))
    assert tex.count(r"\begin{tikzpicture}") == tex.count(r"\end{tikzpicture}") == 1
    assert tex.count("{") == tex.count("}")
    assert r"\mathbf{\sigma}" in tex and "0.731" in tex and "w_{2}" in tex
    assert tex.count(r"\draw[->]") == 9  # every edge that carries a gradient


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no LaTeX installed here")
def test_tikz_compiles(tmp_path):
    (tmp_path / "g.tex").write_text(to_tikz(analyze(*NEURON)))
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "g.tex"], cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)
    assert (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")


def test_a_deck_too_big_to_draw_in_the_budget_is_refused_within_it():
    import time
    from engine import ChainruleError
    a = analyze("+".join(f"x{i}" for i in range(45)))   # 89 steps
    start = time.perf_counter()
    with pytest.raises(ChainruleError, match="steps takes longer than 1.5 s"):
        steps_zip(a)
    assert time.perf_counter() - start < 2.0
