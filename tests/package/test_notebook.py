"""The teacher's notebook runs top to bottom in a real Jupyter kernel, and a graph it displays is the interactive
page: HTML holding the drawing and its numbers."""

import html
import re
import shutil
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "teacher.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook as a kernel ran it (cwd a fresh folder; this checkout's chainrule first on its path)."""
    folder = tmp_path_factory.mktemp("notebook")
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    notebook = nbformat.read(folder / NOTEBOOK.name, as_version=4)
    env = pytest.MonkeyPatch()
    env.setenv("PYTHONPATH", str(ROOT))   # the kernel imports this checkout's chainrule, as the tests do
    started = time.monotonic()
    try:
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        env.undo()
    return notebook, folder, time.monotonic() - started


def html_of(cell) -> str:
    """Returns the HTML a cell displayed, with the page inside its iframe's srcdoc unescaped."""
    shown = "".join(output.get("data", {}).get("text/html", "") for output in cell.outputs)
    return "".join(html.unescape(doc) for doc in re.findall(r'srcdoc="([^"]*)"', shown)) or shown


def cell_starting(notebook, start: str):
    return next(cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.startswith(start))


def test_the_notebook_runs_top_to_bottom_without_an_error(executed):
    notebook, _, seconds = executed
    errors = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
              if output.output_type == "error"]
    assert errors == []
    print(f"the notebook ran in {seconds:.1f} s")


@pytest.mark.parametrize("start, numbers", [
    ("neuron = dict", ("0.731", "0.197", "σ")),
    ("cs231n = chainrule.graph", ("−12", "−4", "(x + y)*z")),
    ("from micrograd.engine import Value", ("x1", "w1", "0.881")),
    ("import torch", ("tanh", "0.707", "−1.5")),
], ids=["sigmoid neuron", "cs231n", "micrograd", "torch"])
def test_a_displayed_graph_is_html_with_the_drawing_and_its_numbers(executed, start, numbers):
    page = html_of(cell_starting(executed[0], start))
    assert "<svg" in page
    for number in numbers:
        assert number in page, number


def test_the_importers_agree_with_micrograd_and_torch_in_the_notebook(executed):
    notebook = executed[0]
    for start in ("o.backward()\n{\"micrograd\"", "o.backward()\n{\"torch\""):
        result = cell_starting(notebook, start).outputs[0]["data"]["text/plain"]
        peer, ours = re.findall(r"\[([^\]]*)\]", result)
        assert [float(v) for v in peer.split(",")] == pytest.approx([float(v) for v in ours.split(",")])


def test_the_notebook_saves_the_drawing_and_the_page(executed):
    folder = executed[1]
    assert (folder / "cs231n.svg").read_text().lstrip().startswith("<?xml")
    page = (folder / "cs231n.html").read_text()
    assert page.lstrip().lower().startswith("<!doctype html") and "<svg" in page
