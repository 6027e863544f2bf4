"""`chainrule render` draws without a server; `chainrule serve` is uvicorn on app.main:app."""

import pytest

from chainrule.app.cli import main, parser


@pytest.mark.parametrize(("suffix", "magic"), [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF-"), ("dot", b"digraph")])
def test_render_writes_the_graph(tmp_path, suffix, magic):
    out = tmp_path / f"graph.{suffix}"
    assert main(["render", "(x+y)*z", "--set", "x=-2", "--set", "y=5", "--set", "z=-4", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(magic)


def test_render_takes_the_view_options(tmp_path):
    out = tmp_path / "neuron.svg"
    assert main(["render", "sigmoid(w0*x0 + w2)", "--granularity", "primitive", "--labels", "grads",
                 "--theme", "projector", "--digits", "4", "-o", str(out)]) == 0
    assert b"<svg" in out.read_bytes()


def test_render_reports_a_bad_expression_and_exits_2(tmp_path, capsys):
    assert main(["render", "(x+", "-o", str(tmp_path / "g.svg")]) == 2
    assert "chainrule:" in capsys.readouterr().err


def test_render_needs_a_known_format(tmp_path, capsys):
    assert main(["render", "x", "-o", str(tmp_path / "g.gif")]) == 2


def test_render_refuses_a_set_without_equals(tmp_path, capsys):
    assert main(["render", "x", "--set", "x", "-o", str(tmp_path / "g.svg")]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_serve_defaults_to_loopback_port_8000():
    args = parser().parse_args(["serve"])
    assert (args.host, args.port, args.open) == ("127.0.0.1", 8000, False)


NEURON = ["sigmoid(w0*x0 + w1*x1 + w2)", "--set", "w0=2", "--set", "x0=-1", "--set", "w1=-3", "--set", "x1=-2",
          "--set", "w2=-3"]


def test_render_steps_writes_a_pdf_page_per_lecture_step(tmp_path):
    import io

    from pypdf import PdfReader

    out = tmp_path / "slides.pdf"
    assert main(["render", *NEURON, "--steps", "--callouts", "-o", str(out)]) == 0
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == 11


def test_render_steps_writes_a_zip_of_pngs(tmp_path):
    import zipfile

    out = tmp_path / "slides.zip"
    assert main(["render", "(x+y)*z", "--set", "x=-2", "--set", "y=5", "--set", "z=-4", "--steps", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [f"step-{index:02d}.png" for index in range(5)]


def test_render_tex_writes_a_tikzpicture(tmp_path):
    out = tmp_path / "graph.tex"
    assert main(["render", *NEURON, "-o", str(out)]) == 0
    assert r"\begin{tikzpicture}" in out.read_text() and "0.731" in out.read_text()


def test_render_one_step_differs_from_the_whole_pass(tmp_path):
    whole, first = tmp_path / "whole.svg", tmp_path / "first.svg"
    assert main(["render", *NEURON, "-o", str(whole)]) == 0
    assert main(["render", *NEURON, "--step", "0", "-o", str(first)]) == 0
    assert b"0.731" in whole.read_bytes() and b"0.731" not in first.read_bytes()


@pytest.mark.parametrize("output", ["slides.svg", "slides.png", "graph.zip"])
def test_steps_go_to_a_pdf_or_a_zip_and_a_zip_needs_steps(tmp_path, capsys, output):
    steps = ["--steps"] if output != "graph.zip" else []
    assert main(["render", "x*y", *steps, "-o", str(tmp_path / output)]) == 2
    assert "--steps" in capsys.readouterr().err


def test_render_draws_a_step_past_the_last_as_the_last(tmp_path):
    assert main(["render", "x*y", "--step", "9", "-o", str(tmp_path / "past.dot")]) == 0
    assert main(["render", "x*y", "--step", "end", "-o", str(tmp_path / "end.dot")]) == 0
    assert (tmp_path / "past.dot").read_text() == (tmp_path / "end.dot").read_text()


def test_render_takes_an_array_value_and_an_upstream(tmp_path):
    out = tmp_path / "relu.dot"
    assert main(["render", "relu(x)", "--set", "x=[1,-2,3,-1]", "--upstream", "[4,-1,5,9]",
                 "-o", str(out)]) == 0
    assert "[4, 0, 5, 0]" in out.read_text()  # the seed's downstream, drawn on x
