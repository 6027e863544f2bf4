"""chainrule.graph(...): the public Python API is the engine's one path, with /api/graph's JSON and the
drawings of /graph.svg, /graph.png, /graph.pdf and /graph.tex."""

import html
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import chainrule
from chainrule.engine.options import OPTIONS

ROOT = Path(__file__).resolve().parents[2]
# (expression, values, options): the seeds' examples, statements, arrays, exact and primitive views, steps
QUERIES = [
    ("(x+y)*z", {"x": -2, "y": 5, "z": -4}, {}),
    ("sigmoid(w0*x0 + w1*x1 + w2)", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}, {}),
    ("sigmoid(w0*x0 + w1*x1 + w2)", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}, {"granularity": "primitive"}),
    ("apple*apple_num*tax", {"apple": 100, "apple_num": 2, "tax": "1.1"}, {"exact": True}),
    ("(apple*apple_num + orange*orange_num)*tax",
     {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}, {"digits": 5}),
    ("q = x + y; f = q*z", {"x": -2, "y": 5, "z": -4}, {"labels": "formulas", "step": 3}),
    ("(x*y) + (x*y)", {"x": 3, "y": 4}, {"share": True}),
    ("relu(x)", {"x": [1, -2, 3, -1]}, {"upstream": [4, -1, 5, 9]}),
    ("2*sqnorm(x)", {"x": [0, 1, 2, 3]}, {"theme": "dark", "rankdir": "TB"}),
    ("sqnorm(W @ x)", {"W": [[0.1, 0.5], [-0.3, 0.8]], "x": [0.2, 0.4]}, {"callouts": True}),
    ("log(x) + 1/y", {"x": 0, "y": 0}, {}),   # non-finite numbers: "inf" and "nan" as the API writes them
    ("max(x, y)*z", {"x": 2, "y": 2, "z": 3}, {"step": "end"}),
]


def url_text(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return json.dumps(value) if isinstance(value, list) else str(value)


@pytest.mark.parametrize("expr, values, options", QUERIES, ids=[q[0] + str(q[2]) for q in QUERIES])
def test_to_dict_is_the_json_of_api_graph_for_the_same_query(client, expr, values, options):
    params = {"expr": expr, **{k: url_text(v) for k, v in {**values, **options}.items()}}
    response = client.get("/api/graph", params=params)
    assert response.status_code == 200, response.text
    assert chainrule.graph(expr, **values, **options).to_dict() == response.json()


@pytest.mark.parametrize("expr, values, options", QUERIES[:6], ids=[q[0] + str(q[2]) for q in QUERIES[:6]])
def test_svg_is_the_drawing_of_graph_svg(client, expr, values, options):
    params = {"expr": expr, **{k: url_text(v) for k, v in {**values, **options}.items()}}
    served = client.get("/graph.svg", params=params).text
    assert chainrule.graph(expr, **values, **options).svg() == served[served.index("<svg"):]


def test_the_lecture_example_gives_minus4_minus4_3():
    g = chainrule.graph("(x+y)*z", x=-2, y=5, z=-4)
    assert (g.value, g.grads) == (-12.0, {"x": -4.0, "y": -4.0, "z": 3.0})
    assert g.steps[0] == "Inputs: x = −2, y = 5, z = −4"


def test_a_variable_named_like_an_option_is_given_in_values():
    assert chainrule.graph("step*digits", values={"step": 3, "digits": 2}, digits=4).grads == \
        {"step": 2.0, "digits": 3.0}


def test_step_k_draws_what_the_page_draws_at_step_k(client):
    g = chainrule.graph("(x+y)*z", x=-2, y=5, z=-4)
    for k in range(len(g.steps)):
        served = client.get("/graph.svg", params={"expr": "(x+y)*z", "x": "-2", "y": "5", "z": "-4", "step": k}).text
        assert g.step(k).svg() == served[served.index("<svg"):]
    assert g.step(1).svg() != g.svg()


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF"),
                                           (".tex", b"\\documentclass"), (".dot", b"digraph")])
def test_save_writes_the_format_its_extension_names(client, tmp_path, suffix, magic):
    g = chainrule.graph("(x+y)*z", x=-2, y=5, z=-4)
    path = g.save(tmp_path / f"graph{suffix}")
    data = path.read_bytes()
    assert data.startswith(magic)
    served = client.get(f"/graph{suffix}", params={"expr": "(x+y)*z", "x": "-2", "y": "5", "z": "-4"})
    if suffix != ".pdf":   # a PDF carries its creation time
        assert data == served.content


REFUSALS = [   # (call, the error's class, words of its message)
    (lambda: chainrule.graph("x*", x=1), chainrule.ParseError, "ends too soon"),
    (lambda: chainrule.graph("x**y**", x=1), chainrule.ParseError, "ends too soon"),
    (lambda: chainrule.graph(""), chainrule.ChainruleError, "empty"),
    (lambda: chainrule.graph("x*y", granularty="primitive"), chainrule.ChainruleError, "neither a variable"),
    (lambda: chainrule.graph("x", digits=40), chainrule.ChainruleError, "digits must be a whole number"),
    (lambda: chainrule.graph("x", labels="some"), chainrule.ChainruleError, "labels must be one of"),
    (lambda: chainrule.graph("x*y", x="two"), chainrule.ChainruleError, "must be a number"),
    (lambda: chainrule.graph("x*y", x=float("inf")), chainrule.ChainruleError, "must be a number"),
    (lambda: chainrule.graph("x*y", x=object()), chainrule.ChainruleError, "not a object"),
    (lambda: chainrule.graph("x*y", values={"x": 1}, x=2), chainrule.ChainruleError, "given twice"),
    (lambda: chainrule.graph("x*y", x=[1, 2], exact=True), chainrule.ChainruleError, "exact arithmetic"),
    (lambda: chainrule.graph("x", step=-1), chainrule.ChainruleError, "step must be a number"),
    (lambda: chainrule.graph("+".join(["x"] * 3000)), chainrule.ChainruleError, "that is the limit"),
    (lambda: chainrule.graph("+".join(f"x{i}" for i in range(1001))), chainrule.LimitError, "more than 1,000 variables"),
    (lambda: chainrule.graph("x").save("graph.docx"), ValueError, ".html, .svg, .png, .pdf, .tex"),
    (lambda: chainrule.graph("x").save("graph"), ValueError, "without an extension"),
]


@pytest.mark.parametrize("call, error, words", REFUSALS, ids=[str(i) for i in range(len(REFUSALS))])
def test_a_bad_call_raises_the_engines_error_with_its_plain_message(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words is None or words in str(raised.value)


def test_step_past_the_end_is_the_last_step_as_on_the_page():
    g = chainrule.graph("(x+y)*z")
    assert g.step(99).svg() == g.step("end").svg()


def test_import_chainrule_imports_no_torch_micrograd_engine_or_web_layer():
    code = ("import sys, chainrule; heavy = ('torch', 'micrograd', 'fastapi', 'uvicorn', 'sympy', 'chainrule.engine');"
            "print([m for m in heavy if m in sys.modules]); chainrule.graph('x*y');"
            "print([m for m in ('torch', 'micrograd', 'fastapi', 'uvicorn') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "[]"]


def test_the_public_names_are_listed():
    assert {"graph", "Graph", "from_micrograd", "from_torch", "ChainruleError"} <= set(dir(chainrule))
    with pytest.raises(AttributeError):
        chainrule.no_such_name


def test_the_signature_names_every_option_with_its_default():
    parameters = inspect.signature(chainrule.graph).parameters
    assert {name: parameters[name].default for name in OPTIONS} == {name: o.default for name, o in OPTIONS.items()}


def test_a_notebook_shows_the_offline_page_in_a_sandboxed_frame_and_save_writes_it(tmp_path):
    g = chainrule.graph("sigmoid(w0*x0 + w1*x1 + w2)", w0=2, x0=-1, w1=-3, x1=-2, w2=-3)
    frame = g._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts' in frame
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', frame)[1])
    assert page == g.html() and "<svg" in page and "0.731" in page
    assert g.save(tmp_path / "neuron.html").read_text() == page


def imported_graphs():
    """Graphs made by the importers: what they write is a query like any other."""
    import torch
    from micrograd.engine import Value

    a, b = Value(-4.0), Value(2.0)
    d = (a * b + b**3).relu() - a / b
    v = torch.tensor([0.1, -0.2, 0.3], requires_grad=True)
    return [chainrule.from_micrograd(d), chainrule.from_micrograd(d, names={"a": a}, digits=5, step=4),
            chainrule.from_torch(torch.sigmoid((v * 3).sum() - 1)), chainrule.from_torch((v.exp() + 2).log().mean())]


@pytest.mark.parametrize("index", range(4))
def test_an_imported_graph_is_the_api_graph_of_its_query_string(client, index):
    graph = imported_graphs()[index]
    response = client.get(f"/api/graph?{graph.query_string()}")
    assert response.status_code == 200, response.text
    assert graph.to_dict() == response.json()
