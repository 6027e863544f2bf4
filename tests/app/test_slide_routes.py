"""Slide routes for the same query as /graph.svg: a PDF page per step, a PNG per step, TikZ for Beamer."""

import io
import zipfile

import pytest
from pypdf import PdfReader

NEURON = {"expr": "sigmoid(w0*x0 + w1*x1 + w2)", "w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"}
CS231N = {"expr": "(x+y)*z", "x": "-2", "y": "5", "z": "-4"}


def test_slides_pdf_has_a_page_per_step_of_the_neuron(client):
    steps = client.get("/api/graph", params=NEURON).json()["steps"]
    response = client.get("/slides.pdf", params=NEURON)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == len(steps) == 11
    assert response.headers["content-disposition"] == 'attachment; filename="chainrule-steps.pdf"'


def test_slides_zip_holds_a_png_per_step_each_different_from_the_one_before(client):
    response = client.get("/slides.zip", params={**CS231N, "theme": "projector"})
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        pngs = [archive.read(name) for name in names]
    assert names == [f"step-{index:02d}.png" for index in range(5)]
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in pngs)
    assert all(before != after for before, after in zip(pngs, pngs[1:]))


def test_slides_ignore_the_step_on_screen_a_deck_is_every_step(client):
    pdf = client.get("/slides.pdf", params={**CS231N, "step": "3"}).content
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 5


def test_graph_tex_is_one_tikzpicture_with_the_neurons_numbers(client):
    response = client.get("/graph.tex", params=NEURON)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-tex")
    assert response.headers["content-disposition"] == 'attachment; filename="chainrule.tex"'
    tex = response.text
    assert tex.startswith(r"\documentclass") and tex.count(r"\begin{tikzpicture}") == 1
    assert "0.731" in tex and r"\end{document}" in tex


@pytest.mark.parametrize("path", ["/slides.pdf", "/slides.zip", "/graph.tex"])
def test_slides_may_be_framed_like_the_images(client, path):
    headers = client.get(path, params=CS231N).headers
    assert "frame-ancestors *" in headers["content-security-policy"]
    assert headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("path", ["/slides.pdf", "/slides.zip", "/graph.tex"])
def test_slides_of_a_bad_expression_are_a_400_with_the_offset(client, path):
    response = client.get(path, params={"expr": "(x +* y"})
    assert response.status_code == 400 and response.json()["offset"] == 4


def test_openapi_lists_the_slide_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/slides.pdf", "/slides.zip", "/graph.tex"} <= set(paths)
