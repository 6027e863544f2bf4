"""Exports for slides: every lecture step as PNGs in a zip or as one multi-page PDF, and
the graph as TikZ for Beamer, laid out by Graphviz so it matches the other images."""
from __future__ import annotations

import io
import json
import zipfile

from pypdf import PdfReader, PdfWriter

from .analysis import Analysis
from .errors import LimitError
from .format import fmt
from .render import THEMES, View, render, run_dot, step_views, to_dot

MAX_SLIDE_STEPS = 200   # a deck of more steps than this is no lecture; refuse it


def _views(analysis: Analysis, view: View) -> list[View]:
    views = step_views(analysis, view)
    if len(views) > MAX_SLIDE_STEPS:
        raise LimitError(f"this graph has {len(views)} steps; slide exports stop at "
                         f"{MAX_SLIDE_STEPS}: export one step with step=N instead")
    return views


def steps_pdf(analysis: Analysis, view: View = View()) -> bytes:
    """Returns one PDF with a page per lecture step, in order."""
    writer = PdfWriter()
    for step_view in _views(analysis, view):
        for page in PdfReader(io.BytesIO(render(analysis, step_view, "pdf"))).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def steps_zip(analysis: Analysis, view: View = View()) -> bytes:
    """Returns a zip of step-00.png, step-01.png, ... one per lecture step."""
    views = _views(analysis, view)
    width = max(2, len(str(len(views) - 1)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PNGs are compressed
        for step_view in views:
            archive.writestr(f"step-{step_view.step:0{width}d}.png",
                             render(analysis, step_view, "png"))
    return out.getvalue()


def to_tikz(analysis: Analysis, view: View = View()) -> str:
    """Returns a standalone LaTeX document with the graph as a tikzpicture.

    Positions come from Graphviz's layout of the same DOT, so the slide matches the SVG;
    labels are the node's value and grad and each edge's upstream × local = downstream.
    """
    layout = json.loads(run_dot(to_dot(analysis, view), "json"))
    g, p = analysis.graph, analysis.numbers
    t = THEMES[view.theme]
    d = view.digits
    scale = 1 / 72  # Graphviz points to inches
    lines = [
        r"\documentclass[tikz,border=4pt]{standalone}",
        r"\usetikzlibrary{arrows.meta, shapes.geometric}",
        rf"\definecolor{{value}}{{HTML}}{{{t.value[1:]}}}",
        rf"\definecolor{{grad}}{{HTML}}{{{t.grad[1:]}}}",
        r"\begin{document}",
        r"\begin{tikzpicture}[x=1in, y=1in, >={Stealth}, every node/.style={font=\small},",
        r"  var/.style={draw, rounded corners, align=center, fill=blue!4},",
        r"  gate/.style={draw, ellipse, align=center}, const/.style={text=gray}]",
    ]
    for obj in layout.get("objects", []):
        index = int(obj["name"][1:])
        node = g.nodes[index]
        x, y = (float(v) * scale for v in obj["pos"].split(","))
        if node.op == "const":
            lines.append(rf"\node[const] ({obj['name']}) at ({x:.3f},{y:.3f}) {{${node.latex}$}};")
            continue
        title = rf"${node.latex}$" if node.op == "var" else rf"$\mathbf{{{_tex_symbol(node)}}}$"
        body = (rf"{title}\\ \textcolor{{value}}{{${_tex(p.values[index], d)}$}}\\ "
                rf"\textcolor{{grad}}{{$\partial\, {_tex(p.grads[index], d)}$}}")
        style = "var" if node.op == "var" else "gate"
        lines.append(rf"\node[{style}] ({obj['name']}) at ({x:.3f},{y:.3f}) {{{body}}};")
    for e, edge in enumerate(g.edges):
        if g.nodes[edge.source].op == "const":
            lines.append(rf"\draw[->, dashed, gray] (n{edge.source}) -- (n{edge.target});")
            continue
        label = (rf"\textcolor{{grad}}{{${_tex(p.upstream[e], d)} \times {_tex(p.local[e], d)}"
                 rf" = {_tex(p.downstream[e], d)}$}}")
        lines.append(rf"\draw[->] (n{edge.source}) -- node[above, sloped, font=\scriptsize] "
                     rf"{{{label}}} (n{edge.target});")
    lines += [r"\end{tikzpicture}", r"\end{document}", ""]
    return "\n".join(lines)


_TEX_SYMBOLS = {"add": "+", "sub": "-", "mul": r"\times", "div": r"\div", "neg": "-",
                "pow": r"\wedge", "sqrt": r"\surd", "sigmoid": r"\sigma", "abs": r"|\cdot|"}


def _tex_symbol(node) -> str:
    return _TEX_SYMBOLS.get(node.op, rf"\mathrm{{{node.op}}}")


def _tex(value, digits: int) -> str:
    text = fmt(value, digits)
    return {"inf": r"\infty", "-inf": r"-\infty", "nan": r"\mathrm{nan}"}.get(text, text)
