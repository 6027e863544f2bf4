"""The offline document's parts, checked against what they stand for: the line table rebuilds every step's drawing,
the twin theme's ink table paints a drawing exactly as Graphviz draws it in the twin theme, the bundled modules run
as the modules did, and the route and the command write it. (tests/browser/test_offline.py opens it in Chromium.)"""

import re
import subprocess
from dataclasses import replace

import pytest

from chainrule.app.cli import main
from chainrule.app.offline import TWINS, bundle, line_table, step_drawings, twin_inks
from chainrule.app.presets import PRESETS
from chainrule.engine.render import svg_of

NEURON = {"expr": "sigmoid(w0*x0 + w1*x1 + w2)", "w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"}
SOME_PRESETS = [preset for preset in PRESETS if preset.slug in ("cs231n-neuron", "fan-out", "cs231n-wx", "two-layer-net")]


@pytest.mark.parametrize("preset", SOME_PRESETS, ids=lambda preset: preset.slug)
def test_the_line_table_rebuilds_the_whole_drawing_and_every_step(preset):
    lesson = preset.query.lesson()
    drawings = step_drawings(lesson, preset.query.view(lesson), len(lesson.steps))
    lines, runs = line_table(drawings)
    rebuilt = ["\n".join(line for start, count in each for line in lines[start:start + count]) for each in runs]
    assert rebuilt == drawings and len(drawings) == len(lesson.steps) + 1
    assert len(set(drawings)) == len(drawings)   # every step is a drawing of its own
    assert sum(map(len, lines)) < 2 * len(drawings[0])   # the steps cost little beyond the whole drawing


INK = re.compile(r'<(\w+)[^>]*?\b(fill|stroke)="([^"]+)"')


@pytest.mark.parametrize("theme", TWINS)
@pytest.mark.parametrize("preset", SOME_PRESETS, ids=lambda preset: preset.slug)
def test_the_twin_inks_paint_a_drawing_as_graphviz_draws_it_in_the_twin_theme(preset, theme):
    lesson = preset.query.lesson()
    view = replace(preset.query.view(lesson), theme=theme, rankdir="LR", step=1)
    mine = INK.findall(svg_of(lesson, view).decode())
    twin = INK.findall(svg_of(lesson, replace(view, theme=TWINS[theme])).decode())
    inks = twin_inks(theme)
    background = next(i for i, (element, attribute, _) in enumerate(mine) if element == "polygon")
    painted = [(element, attribute, colour if i == background else inks.get(colour.lower(), colour))
               for i, (element, attribute, colour) in enumerate(mine)]
    assert painted[background][2] != twin[background][2]   # the background is repainted by its place (twin_css)
    del painted[background], twin[background]
    assert [(e, a, c.lower()) for e, a, c in painted] == [(e, a, c.lower()) for e, a, c in twin]


def test_the_bundle_runs_modules_with_renamed_imports_in_order(tmp_path):
    (tmp_path / "numbers.js").write_text('export const ONE = 1;\nexport function twice(n) { return 2 * n; }\n')
    (tmp_path / "sum.js").write_text('import { ONE, twice as double } from "./numbers.js";\n'
                                     'export const three = () => ONE + double(ONE);\n')
    (tmp_path / "main.js").write_text('import { three } from "./sum.js";\nimport { ONE } from "./numbers.js";\n'
                                      'console.log(three() * 10 + ONE);\n')
    script = bundle("main.js", tmp_path)
    assert subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout == "31\n"


@pytest.mark.parametrize("line", ['export default function main() {}', 'export { ONE };', 'import "./side.js";'])
def test_the_bundle_refuses_an_import_or_export_it_cannot_rewrite(tmp_path, line):
    (tmp_path / "main.js").write_text(f"const ONE = 1;\n{line}\n")
    with pytest.raises(ValueError, match="cannot bundle"):
        bundle("main.js", tmp_path)


def test_the_pages_modules_bundle_into_a_script_that_parses():
    script = bundle("offline.js")
    assert "import " not in re.sub(r"//.*|\"[^\"]*\"", "", script).split("\n")[0]
    subprocess.run(["node", "--check", "-"], input=script, text=True, check=True)


def test_graph_html_is_an_attachment_whose_scripts_never_run_on_the_servers_origin(client):
    response = client.get("/graph.html", params=NEURON)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-disposition"] == 'attachment; filename="chainrule.html"'
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert "<script>" in response.text and not re.search(r'(?:src|href)="/', response.text)
    assert client.get("/graph.html", params={"expr": "(x"}).json()["offset"] is not None


def test_render_writes_the_html_and_refuses_it_as_steps(tmp_path, capsys):
    out = tmp_path / "graph.html"
    args = ["render", NEURON["expr"], *(f"--set={name}={value}" for name, value in NEURON.items() if name != "expr")]
    assert main([*args, "-o", str(out)]) == 0
    assert out.read_text().startswith("<!doctype html>") and "0.731" in out.read_text()
    assert main([*args, "--steps", "-o", str(tmp_path / "steps.html")]) == 2
