"""`chainrule render` draws without a server; `chainrule serve` is uvicorn on app.main:app."""

import pytest

from app.cli import main, parser


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
