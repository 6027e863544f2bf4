"""Exports for slides: every lecture step as a 16:9 slide (a PDF page each, a PNG each in a zip, or the
frames of an animated GIF), each with its step number and sentence; and the graph as TikZ for Beamer.

A deck is refused by its size (steps, nodes), counted before any drawing, never by how long the machine
happened to take: every step is laid out by one Graphviz process (the steps differ only in ink, so
they lay out alike), and each tool runs under a CPU-time limit of its own (engine.tools).
"""
from __future__ import annotations

import html
import io
import json
import re
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from .errors import LimitError
from .format import fmt
from .groups import is_big
from .lesson import Lesson
from .ops import OPS
from .render import FONT_FAMILY, View, convert, step_views, svg_of, to_dot, with_dpi
from .themes import THEMES
from .tools import run_tool

MAX_SLIDE_STEPS = 120   # a deck of more steps than this is no lecture
MAX_SLIDE_NODES = 60    # nodes per drawing in a deck: 40-node lecture graphs fit with room to spare
MAX_TIKZ_NODES = 600    # a TikZ picture's nodes: it is laid out up to four ways, and past this no slide reads it
SLIDE_W, SLIDE_H = 1600, 900     # a 16:9 slide, in CSS pixels
CAPTION_H = 150                  # the step number and sentence, under the graph
GIF_WIDTH = 960
GIF_FRAME_MS = 1800


def _views(lesson: Lesson, view: View) -> list[View]:
    steps, nodes = len(lesson.steps), len(lesson.graph.nodes)
    if steps > MAX_SLIDE_STEPS or nodes > MAX_SLIDE_NODES:
        raise LimitError(f"this graph has {nodes} nodes and {steps} steps; slide exports stop at "
                         f"{MAX_SLIDE_NODES} nodes and {MAX_SLIDE_STEPS} steps: export one step with "
                         "step=N instead")
    return step_views(lesson, view)


def step_slides(lesson: Lesson, view: View = View()) -> list[bytes]:
    """Returns one 16:9 SVG slide per lecture step: the step's drawing, its number and its sentence."""
    views = _views(lesson, view)
    t = THEMES[view.theme]
    drawings = [svg_of(lesson, v) for v in views]
    slides = []
    for v, drawing in zip(views, drawings):
        step = lesson.steps[v.step]
        caption = lesson.caption(step, view.digits)
        slides.append(_slide(drawing, f"Step {v.step} of {len(views) - 1}", caption, t).encode())
    return slides


def _slide(drawing: bytes, heading: str, caption: str, t) -> str:
    """Returns a 16:9 SVG page holding `drawing` (fitted, centred) above a heading and a caption."""
    inner = drawing.decode()
    inner = inner[inner.index("<svg"):]
    inner = re.sub(r'<svg width="[^"]*" height="[^"]*"',
                   f'<svg x="40" y="30" width="{SLIDE_W - 80}" height="{SLIDE_H - CAPTION_H - 40}" '
                   'preserveAspectRatio="xMidYMid meet"', inner, count=1)
    lines = _wrap(caption, 95)[:3]
    text = "".join(f'<tspan x="{SLIDE_W / 2:g}" dy="{0 if k == 0 else 34}">{html.escape(line)}</tspan>'
                   for k, line in enumerate(lines))
    top = SLIDE_H - CAPTION_H + 20
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{SLIDE_W}" height="{SLIDE_H}" viewBox="0 0 {SLIDE_W} {SLIDE_H}">'
            f'<rect width="100%" height="100%" fill="{t.background}"/>{inner}'
            f'<text x="{SLIDE_W / 2:g}" y="{top}" text-anchor="middle" font-family="{FONT_FAMILY}" '
            f'font-size="26" font-weight="bold" fill="{t.muted}">{html.escape(heading)}</text>'
            f'<text x="{SLIDE_W / 2:g}" y="{top + 40}" text-anchor="middle" font-family="{FONT_FAMILY}" '
            f'font-size="28" fill="{t.text}">{text}</text></svg>')


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


def steps_pdf(lesson: Lesson, view: View = View()) -> bytes:
    """Returns one PDF with a 16:9 page per lecture step, in order."""
    slides = step_slides(lesson, view)
    with tempfile.TemporaryDirectory() as folder:
        names = []
        for k, slide in enumerate(slides):
            path = Path(folder) / f"{k:03d}.svg"
            path.write_bytes(slide)
            names.append(str(path))
        return run_tool(["rsvg-convert", "-f", "pdf", *names], b"")


def steps_zip(lesson: Lesson, view: View = View()) -> bytes:
    """Returns a zip of step-00.png, step-01.png, ...: a 16:9 PNG per lecture step."""
    slides = step_slides(lesson, view)
    width = max(2, len(str(len(slides) - 1)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PNGs are compressed
        for k, slide in enumerate(slides):
            archive.writestr(f"step-{k:0{width}d}.png", with_dpi(convert(slide, "png", SLIDE_W), 144))
    return out.getvalue()


def steps_gif(lesson: Lesson, view: View = View()) -> bytes:
    """Returns an animated GIF of the steps (PowerPoint, Keynote and Google Slides play GIFs)."""
    from PIL import Image

    frames = [Image.open(io.BytesIO(convert(slide, "png", GIF_WIDTH))).convert("RGB")
              for slide in step_slides(lesson, view)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=GIF_FRAME_MS, loop=0,
                   optimize=False)
    return out.getvalue()


# --- TikZ ----------------------------------------------------------------------------------------

BEAMER_TEXTWIDTH_PT = 398     # \textwidth of a 16:9 Beamer frame (aspectratio=169)
BEAMER_HEIGHT_PT = 210        # what a frame's body holds under a title
TIKZ_NODE_PT, TIKZ_EDGE_PT = 9, 7
TEX_MAX_PT = 16_000           # TeX's dimensions stop at 16383.99 pt: a larger layout is drawn smaller


def to_tikz(lesson: Lesson, view: View = View(), beamer: bool = False) -> str:
    """Returns a standalone LaTeX document with the graph as a tikzpicture no wider than a 16:9 Beamer
    frame's \\textwidth; with `beamer`, a Beamer document with one frame whose overlays are the lecture's
    steps (\\only<k->).

    Nodes and labels are placed where Graphviz puts them when it lays the same text out at the TikZ's
    own font sizes (9 pt nodes, 7 pt labels), in the direction that needs the least shrinking; a graph
    too large for the frame at those sizes is scaled down as a whole (adjustbox), so it never overflows.
    """
    nodes = len(lesson.graph.nodes)
    if nodes > MAX_TIKZ_NODES:
        raise LimitError(f"this graph has {nodes:,} nodes; TikZ stops at {MAX_TIKZ_NODES} (no slide could show "
                         "more): export it as SVG or PDF instead")
    t = THEMES[view.theme]
    small = replace(t, node_size=TIKZ_NODE_PT, edge_size=TIKZ_EDGE_PT)
    # Edge labels widen every rank: where they would shrink the text below three quarters of its size, the
    # lecture's labels (values and gradients on the nodes, bare edges) are used if they shrink it less.
    candidates = []
    # A graph past GROUP_NODES never fits at those sizes: the lecture's labels at once (two layouts, not four).
    tries = (view.labels,) if view.labels != "all" else ("lecture",) if is_big(lesson) else ("all", "lecture")
    for labels in tries:
        for rankdir in ("LR", "TB") if view.rankdir not in ("LR", "TB") else (view.rankdir,):
            # every node drawn (a TikZ node per graph node, an edge per edge): no group collapsed into a box
            tikz_view = View(labels=labels, digits=view.digits, theme=view.theme, rankdir=rankdir, groups="none")
            layout = json.loads(run_tool(["dot", "-Tjson"], to_dot(lesson, tikz_view, theme=small,
                                                                   full_grads=True).encode()))
            fit = min(1.0, BEAMER_TEXTWIDTH_PT / _size(layout)[0], BEAMER_HEIGHT_PT / _size(layout)[1])
            candidates.append((fit, labels, layout))
        if max(fit for fit, _, _ in candidates) >= 0.75:
            break
    fit, labels, layout = max(candidates, key=lambda c: c[0])
    # sizes, not a TikZ scale (pgf's ellipse borders overflow under one); adjustbox fits the frame in the end
    shrink = min(1.0, TEX_MAX_PT / max(_size(layout)))
    node_pt, edge_pt = round(TIKZ_NODE_PT * shrink, 2), round(TIKZ_EDGE_PT * shrink, 2)
    view = replace(view, labels=labels)
    g, p = lesson.graph, lesson.numbers
    d = view.digits
    out = lesson.latex_name(g.output)
    steps = lesson.steps
    forward_at = {s.node: s.index for s in steps if s.kind == "forward"}
    backward_at = {s.node: s.index for s in steps if s.kind == "backward"}
    last = len(steps) - 1

    def after(k: int | None, body: str) -> str:
        return body if not beamer or k is None else rf"\only<{k + 1}->{{{body}}}"

    lines = [rf"\begin{{adjustbox}}{{max width={BEAMER_TEXTWIDTH_PT}pt, max totalheight={BEAMER_HEIGHT_PT}pt}}",
             r"\begin{tikzpicture}[x=1pt, y=1pt, >={Stealth},",
             rf"  every node/.style={{font=\fontsize{{{node_pt:g}}}{{{node_pt * 10 / 9:g}}}\selectfont, inner sep={shrink:g}pt}},",
             r"  var/.style={draw, rounded corners, align=center, fill=blue!4},",
             r"  gate/.style={draw, ellipse, align=center, inner sep=0pt}, const/.style={text=gray},",
             rf"  lab/.style={{font=\fontsize{{{edge_pt:g}}}{{{edge_pt * 8 / 7:g}}}\selectfont, align=center}}]"]
    copies = set()   # a far use of a variable is drawn from a copy of its name beside the gate (engine.render)
    for obj in layout.get("objects", []):
        x, y = (float(v) * shrink for v in obj["pos"].split(","))
        if "-at-" in obj["name"]:
            copies.add(obj["name"])
            source = int(obj["name"].split("-at-")[0][1:])
            lines.append(rf"\node[const] ({obj['name']}) at ({x:.1f},{y:.1f}) {{${lesson.latex_name(source)}$}};")
            continue
        index = int(obj["name"][1:])
        node = g.nodes[index]
        size = (rf"minimum width={float(obj['width']) * 72 * shrink:.1f}pt, "
                rf"minimum height={float(obj['height']) * 72 * shrink:.1f}pt")
        name = lesson.latex_name(index)
        if node.op == "const":
            lines.append(rf"\node[const] ({obj['name']}) at ({x:.1f},{y:.1f}) {{${name}$}};")
            continue
        title = rf"${name}$" if node.op == "var" else rf"${_tex_symbol(node)}$\ \textcolor{{gray}}{{${name}$}}"
        value = after(None if node.is_leaf else forward_at.get(index),
                      rf"\textcolor{{value}}{{${_tex(p.values[index], d)}$}}")
        grad = after(backward_at.get(index, last) if not node.is_leaf else last,
                     rf"\textcolor{{grad}}{{$\partial {out}/\partial {name} = {_tex(p.grads[index], d)}$}}")
        style = "var" if node.op == "var" else "gate"
        lines.append(rf"\node[{style}, {size}] ({obj['name']}) at ({x:.1f},{y:.1f}) {{{title}\\ {value}\\ {grad}}};")
    edge_points = {(int(e["tail"]), int(e["head"]), k): e for k, e in enumerate(layout.get("edges", []))}
    label_at = {}
    for (_, _, k), e in edge_points.items():
        if "lp" in e:
            label_at[k] = tuple(float(v) * shrink for v in e["lp"].split(","))
    for e, edge in enumerate(g.edges):
        if g.nodes[edge.source].op == "const":
            lines.append(rf"\draw[->, dashed, gray] (n{edge.source}) -- (n{edge.target});")
            continue
        local = lesson.local_formula(e, latex=True)
        numbers = (rf"{_tex(p.upstream[e], d)} \times {_tex(p.local[e], d)} = {_tex(p.downstream[e], d)}"
                   if p.local[e] is not None and getattr(p.upstream[e], "ndim", 0) == 0
                   else rf"\downarrow {_tex(p.downstream[e], d)}")
        start = f"n{edge.source}-at-n{edge.target}"
        start = start if start in copies else f"n{edge.source}"
        lines.append(rf"\draw[->] ({start}) -- (n{edge.target});")
        if e in label_at and view.labels in ("all", "formulas", "grads"):
            x, y = label_at[e]
            at = backward_at.get(edge.target)   # each line on its own: \\ may not sit inside a group
            label = (after(at, rf"$\textcolor{{gray}}{{\mathrm{{local}}\ {local}}}$") + r"\\ "
                     + after(at, rf"\textcolor{{grad}}{{${numbers}$}}"))
            lines.append(rf"\node[lab] at ({x:.1f},{y:.1f}) {{{label}}};")
    lines += [r"\end{tikzpicture}", r"\end{adjustbox}"]
    legend = (rf"\textcolor{{value}}{{$\blacksquare$ forward value}}\quad \textcolor{{grad}}{{$\blacksquare$ "
              rf"gradient $\partial {out}/\partial\cdot$" + (r"; edges: local, then upstream $\times$ local $=$ "
              "downstream" if view.labels in ("all", "formulas", "grads") else "") + "}")
    colours = [rf"\definecolor{{value}}{{HTML}}{{{t.value[1:]}}}", rf"\definecolor{{grad}}{{HTML}}{{{t.grad[1:]}}}"]
    packages = [r"\usepackage{tikz}", r"\usetikzlibrary{arrows.meta, shapes.geometric}", r"\usepackage{amssymb}",
                r"\usepackage{adjustbox}"]
    picture = "\n".join(lines)
    if beamer:
        return "\n".join([r"\documentclass[aspectratio=169]{beamer}", *packages, *colours,
                          r"\setbeamertemplate{navigation symbols}{}", r"\begin{document}",
                          rf"\begin{{frame}}{{${g.nodes[g.output].latex}$}}",
                          r"\centering", picture, "", r"\vfill{\tiny " + legend + "}",
                          r"\end{frame}", r"\end{document}", ""])
    return "\n".join([r"\documentclass[border=4pt]{standalone}", *packages, *colours, r"\begin{document}",
                      r"\begin{tabular}{@{}c@{}}", picture, r"\\[2pt] {\tiny " + legend + "}",
                      r"\end{tabular}", r"\end{document}", ""])


def _size(layout: dict) -> tuple[float, float]:
    """Returns a Graphviz JSON layout's width and height in points."""
    x0, y0, x1, y1 = (float(v) for v in layout["bb"].split(","))
    return max(x1 - x0, 1.0), max(y1 - y0, 1.0)


_TEX_CHARACTERS = {"×": r"\times ", "÷": r"\div ", "−": "-", "σ": r"\sigma ", "√": r"\surd ", "Σ": r"\Sigma ",
                   "ᵀ": r"{}^{T}", "‖": r"\|", "·": r"\cdot ", "²": "^2", "^": r"\wedge ", "@": "@"}


def _tex_symbol(node) -> str:
    """Returns the gate's symbol (the op record's, as the SVG shows it) in TeX: × as \\times, exp as \\mathrm{exp}."""
    symbol = OPS[node.op].symbol
    if symbol.isalpha() and len(symbol) > 1:
        return rf"\mathrm{{{symbol}}}"
    return "".join(_TEX_CHARACTERS.get(ch, ch) for ch in symbol).strip()


def _tex(value, digits: int) -> str:
    if value is None:
        return r"\cdot"
    text = fmt(value, digits)
    return {"inf": r"\infty", "-inf": r"-\infty", "nan": r"\mathrm{nan}"}.get(text, text)
