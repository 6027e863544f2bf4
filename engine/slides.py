"""Exports for slides: every lecture step as PNGs in a zip or as one multi-page PDF, and
the graph as TikZ for Beamer, laid out by Graphviz so it matches the other images."""
from __future__ import annotations

import io
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

from pypdf import PdfReader, PdfWriter

from .analysis import Analysis
from .errors import LimitError
from .format import fmt
from .render import RENDER_TIMEOUT_S, THEMES, View, run_dot, step_views, to_dot

MAX_SLIDE_STEPS = 100   # a deck of more steps than this is no lecture; refuse it
DECK_BUDGET_S = 1.5     # a whole deck, like any request, answers within the 2 s budget


def _views(analysis: Analysis, view: View) -> list[View]:
    views = step_views(analysis, view)
    if len(views) > MAX_SLIDE_STEPS:
        raise LimitError(f"this graph has {len(views)} steps; slide exports stop at "
                         f"{MAX_SLIDE_STEPS}: export one step with step=N instead")
    return views


def _render_steps(analysis: Analysis, views: list[View], fmt_: str) -> list[bytes]:
    """Returns every step drawn, two Graphviz runs at a time, within DECK_BUDGET_S."""
    deadline = time.monotonic() + DECK_BUDGET_S

    too_long = LimitError(f"drawing {len(views)} steps takes longer than {DECK_BUDGET_S:g} s: "
                          "export one step with step=N, or a smaller graph")

    def draw(step_view: View) -> bytes:
        left = deadline - time.monotonic()
        if left <= 0:
            raise too_long
        try:
            return run_dot(to_dot(analysis, step_view), fmt_, timeout=min(left, RENDER_TIMEOUT_S))
        except LimitError:
            if left < RENDER_TIMEOUT_S:  # the deck's budget ran out, not this step's
                raise too_long from None
            raise

    with ThreadPoolExecutor(max_workers=2) as pool:  # Graphviz runs as its own process
        return list(pool.map(draw, views))


def steps_pdf(analysis: Analysis, view: View = View()) -> bytes:
    """Returns one PDF with a page per lecture step, in order."""
    writer = PdfWriter()
    for pdf in _render_steps(analysis, _views(analysis, view), "pdf"):
        for page in PdfReader(io.BytesIO(pdf)).pages:
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
        for step_view, png in zip(views, _render_steps(analysis, views, "png")):
            archive.writestr(f"step-{step_view.step:0{width}d}.png", png)
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
