"""Lesson -> deterministic Graphviz DOT text; SVG through Graphviz, PNG and PDF from that SVG.

Left to right like the lecture figures (variables on the left, the output on the right), or top to
bottom where that fits a 16:9 screen better (rankdir=auto). Forward values and gradients have two
colours, an Okabe-Ito pair that stays apart for colour-blind eyes. Each edge can carry its chain rule:
the local gradient's formula, then upstream × local = downstream.

A lecture step draws the whole graph with what it has not revealed yet in a marked ink, so that every
step lays out the same; the marked text is then taken out of the SVG, and PNG and PDF are made from
that SVG, so no image of a step holds a number the step has not shown, visible or not.

Edge labels cost Graphviz 5 to 7 times the layout on big graphs (FACTS.md), so labels thin out as
graphs grow: full labels up to FULL_LABEL_EDGES edges, the downstream alone as an xlabel up to
XLABEL_EDGES, none past that (nodes keep their numbers).
"""
from __future__ import annotations

import html
import json
import re
import struct
import zlib
from dataclasses import dataclass, replace

import numpy as np

from .autodiff import shape_text
from .errors import ChainruleError, LimitError
from .groups import collapsed, drawn, find_groups, is_big, open_names
from .labels import _edge_label, _esc, _group_node, _legend, _open_clusters, _table, _value_rows, hidden_ink
from .lesson import Lesson
from .ops import OPS
from .options import OPTIONS
from .themes import THEMES, Theme
from .tools import MEDIA_TYPES, dot_svg, run_tool

FULL_LABEL_EDGES = 150
XLABEL_EDGES = 400
MAX_DRAW_OPS = 2_500     # gates in a drawing (primitive granularity can expand an expression past it)
# Past FULL_LABEL_EDGES, trade crossing minimisation for time: 659 nodes lay out in 0.7 s
# with these instead of more than 15 s without (measured, Graphviz 2.43).
FAST_LAYOUT = "nslimit=1, mclimit=0.05, splines=line, "
BIG = 'class="big", '    # a graph drawn for pan and zoom, with a search box (static/js/graph.js)
FONT = "DejaVu Sans"
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"   # SVG text names a generic fallback

PNG_DPI = 150
PNG_MAX_PIXELS = 4000    # a side: rasterising time grows with pixels (a 199-node chain: ~1 s of CPU at 6,000)
FORMATS = ("svg", "png", "pdf", "dot")
SCREEN = 16 / 9          # rankdir=auto picks the direction that fills this shape better
AUTO_NODES = 60          # rankdir=auto lays a graph out both ways up to this size


@dataclass(frozen=True)
class View:
    """What to draw: which labels, how many digits, which theme and direction, which lecture step.
    Defaults are the options' (engine.options)."""

    labels: str = OPTIONS["labels"].default
    digits: int = OPTIONS["digits"].default
    theme: str = OPTIONS["theme"].default
    step: int | None = None       # None: the whole pass; 0..n-1: a lecture step
    callouts: bool = OPTIONS["callouts"].default
    rankdir: str = OPTIONS["rankdir"].default
    groups: str = OPTIONS["groups"].default
    open: str | None = OPTIONS["open"].default

    @classmethod
    def of(cls, options: dict, lesson: Lesson) -> "View":
        """Returns the view that read options ask for, its step resolved against the lesson's steps."""
        return cls(labels=options["labels"], digits=options["digits"], theme=options["theme"],
                   step=lesson.step_index(options["step"]), callouts=options["callouts"],
                   rankdir=options["rankdir"], groups=options["groups"],
                   open=options["open"]).checked(len(lesson.steps))

    def checked(self, n_steps: int) -> "View":
        """Returns this view with its options validated, or raises ChainruleError."""
        for name in ("labels", "theme", "rankdir", "groups"):
            OPTIONS[name].read(getattr(self, name))
        if not 1 <= self.digits <= 12:
            raise ChainruleError(f"digits must be from 1 to 12, not {self.digits}")
        if self.step is not None and not 0 <= self.step < n_steps:
            raise ChainruleError(f"step must be from 0 to {n_steps - 1} (or 'end'), "
                                 f"not {self.step}")
        return self


def rankdir_of(lesson: Lesson, view: View, theme: Theme | None = None, full_grads: bool = False) -> str:
    """Returns LR or TB: as asked, or for auto the direction in which Graphviz's layout of this graph
    fills a 16:9 screen at the larger scale (both are laid out, by one Graphviz process, for graphs up
    to AUTO_NODES; larger ones are drawn left to right). Worked out once per lesson and view: every
    step lays out alike."""
    if view.rankdir != "auto":
        return view.rankdir
    if len(lesson.graph.nodes) > AUTO_NODES:
        return "LR"
    key = _direction_key(view, theme, full_grads)
    if key not in lesson.memo:
        both = "".join(to_dot(lesson, replace(view, rankdir=r, step=None), theme, full_grads) for r in ("LR", "TB"))
        layouts = run_tool(["dot", "-Tjson0"], both.encode()).decode()
        sizes = [_bounding_box(json.loads(part)) for part in _split(layouts, "{")]
        lesson.memo[key] = _better(*sizes)
    return lesson.memo[key]


def _direction_key(view: View, theme, full_grads: bool) -> tuple:
    return ("rankdir", view.labels, view.digits, view.theme, view.callouts, view.groups, view.open, theme, full_grads)


def _better(lr: tuple[float, float], tb: tuple[float, float]) -> str:
    """Returns the direction whose (width, height) fills a 16:9 screen at the larger scale (LR on a near tie)."""
    def scale(size):
        return min(SCREEN / size[0], 1 / size[1])
    return "TB" if scale(tb) > scale(lr) * 1.05 else "LR"


def _split(output: str, start: str) -> list[str]:
    """Returns Graphviz's output for several graphs, one document each (each begins with `start`)."""
    if start == "{":
        decoder, parts, at = json.JSONDecoder(), [], 0
        while at < len(output):
            if output[at].isspace():
                at += 1
                continue
            obj, at = decoder.raw_decode(output, at)
            parts.append(json.dumps(obj))
        return parts
    return [start + part for part in output.split(start)[1:]]


def _bounding_box(layout: dict) -> tuple[float, float]:
    x0, y0, x1, y1 = (float(v) for v in layout["bb"].split(","))
    return max(x1 - x0, 1.0), max(y1 - y0, 1.0)


def to_dot(lesson: Lesson, view: View = View(), theme: Theme | None = None, full_grads: bool = False) -> str:
    """Returns the Graphviz DOT text of the lesson's graph: the same input gives the same text.
    `theme` overrides the view's and `full_grads` writes ∂f/∂x = g for ∂ g: the TikZ export lays out
    with its own font sizes and text."""
    view = view.checked(len(lesson.steps))
    g, p = lesson.graph, lesson.numbers
    gates = sum(1 for node in g.nodes if not node.is_leaf)
    if gates > MAX_DRAW_OPS:
        raise LimitError(f"this graph has {gates:,} operations; drawings stop at {MAX_DRAW_OPS:,} "
                         "(the JSON API answers for larger ones; granularity=fused draws fewer)")
    t = theme or THEMES[view.theme]
    if view.labels == "lecture":   # no edge labels: the rest of the text may be as large as the nodes'
        t = replace(t, edge_size=t.node_size)
    reveal = lesson.reveal(view.step)
    show_values = view.labels in ("all", "values", "grads", "lecture")
    show_grads = view.labels in ("all", "grads", "lecture")
    big = is_big(lesson)
    inside = collapsed(lesson, view.groups, view.open)
    drawing = drawn(lesson, inside, big)
    n_edges = len(drawing.edges)
    edge_labels = view.labels if n_edges <= FULL_LABEL_EDGES else (
        "grads" if n_edges <= XLABEL_EDGES and show_grads else "none")
    # the legend speaks of edge labels when some edge can carry one (edges into a box carry none)
    labelled = view.labels != "lecture" and (not inside or any(target not in inside for _, target, _ in drawing.edges))
    lines = [
        "digraph chainrule {",
        f'  graph [{FAST_LAYOUT if n_edges > FULL_LABEL_EDGES else ""}{BIG if big else ""}'
        f'rankdir={rankdir_of(lesson, view, theme, full_grads)}, bgcolor="{t.background}", pad=0.25, nodesep=0.35, '
        f'ranksep={0.3 if view.labels == "lecture" else 0.55},'
        f' fontname="{FONT}", fontcolor="{t.text}", fontsize={t.edge_size}, labelloc=b,'
        f' label=<{_legend(t, show_values, show_grads, lesson.output_name, labelled)}>];',
        f'  node [fontname="{FONT}", fontsize={t.node_size}, color="{t.text}",'
        f' fontcolor="{t.text}", penwidth={t.pen}, margin="0.08,0.04"];',
        f'  edge [fontname="{FONT}", fontsize={t.edge_size}, color="{t.edge}",'
        f' fontcolor="{t.text}", penwidth={t.pen}, arrowsize=0.7];',
    ]
    out_degree = lesson.out_degree
    opened = {} if view.groups == "none" or not (big or view.groups == "all") else {
        i: group for group in find_groups(lesson) if group.name in open_names(view.open) for i in group.members}
    for i, node in enumerate(g.nodes):
        rows = []
        is_current = i == reveal.current_node or i in inside and inside[i].output == i and \
            reveal.current_node in inside[i].members
        if i in inside:
            if inside[i].output == i:
                lines.append(_group_node(lesson, inside[i], view.digits, t, reveal, is_current, show_values, show_grads,
                                         drawing.written.get(i, [])))
            continue
        if node.op == "const":
            lines.append(f'  n{i} [id="n{i}", class="const", shape=plaintext, fontsize='
                         f'{t.edge_size}, fontcolor="{t.muted}", label=<{_esc(lesson.name(i))}>];')
            continue
        if node.op == "var":
            rows.append(f'<B>{_esc(lesson.name(i))}</B>')
        else:
            # symbol and name in cells of their own: no font's widths join them (SVG's fallback font)
            rows.append(f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"><TR>'
                        f'<TD><FONT POINT-SIZE="{t.node_size + 6}">{_esc(OPS[node.op].symbol)}</FONT></TD>'
                        f'<TD><FONT COLOR="{t.muted}">{_esc(lesson.name(i))}</FONT></TD></TR></TABLE>')
        shape = np.shape(p.values[i])
        if shape:
            rows.append(f'<FONT COLOR="{t.muted}" POINT-SIZE="{t.edge_size}">'
                        f'{shape_text(shape)}</FONT>')
        fill = t.fill if node.op == "var" else t.gate
        hidden = hidden_ink(fill)
        if show_values:
            shown = i in reveal.value_shown
            rows += _value_rows(p.values[i], view.digits, t.value if shown else hidden, t)
        if show_grads:
            grad = reveal.grad(i)
            rows += _value_rows(p.grads[i] if grad is None else grad, view.digits,
                                hidden if grad is None else t.grad, t,
                                prefix=f"∂{lesson.output_name}/∂{lesson.name(i)} = " if full_grads else "∂ ")
        if view.callouts and not node.is_leaf:
            firing = reveal.everything or is_current and reveal.current_kind == "backward"
            rows.append(f'<FONT COLOR="{t.muted if firing else hidden}" POINT-SIZE="{t.edge_size}">'
                        f'<I>{_esc(OPS[node.op].role)}</I></FONT>')
        elif view.callouts and node.op == "var" and out_degree[i] > 1:
            rows.append(f'<FONT COLOR="{t.muted}" POINT-SIZE="{t.edge_size}"><I>fan-out adds'
                        f'</I></FONT>')
        shape = "box" if node.op == "var" else "ellipse"
        style = "rounded,filled" if node.op == "var" else "filled"
        cls = "var" if node.op == "var" else f"gate op-{node.op}"
        extra = ", peripheries=2" if i == g.output else ""
        if is_current:
            colour = t.value if reveal.current_kind == "forward" else t.grad
            extra += f', color="{colour}", penwidth={t.pen * 2.5}'
            cls += " current"
        lines.append(f'  n{i} [id="n{i}", class="{cls}", shape={shape}, style="{style}", '
                     f'fillcolor="{fill}", label=<{_table(rows)}>{extra}];')
    for k, (source, target, e) in enumerate(drawing.edges):
        attrs = [f'id="e{e}"', 'class="edge"']
        fired = target in reveal.fired
        current = target == reveal.current_node
        if g.nodes[source].op == "const":
            attrs.append('style=dashed')
        elif edge_labels not in ("none", "lecture") and target not in inside:  # lecture: the step's sentence
            label = _edge_label(lesson, e, edge_labels, view.digits, t,      # carries the chain rule
                                None if fired else hidden_ink(t.background))
            if label:
                key = "label" if n_edges <= FULL_LABEL_EDGES else "xlabel"
                attrs.append(f'{key}=<{label}>')
        if current:
            colour = t.value if reveal.current_kind == "forward" else t.grad
            attrs.append(f'color="{colour}", penwidth={t.pen * 2.5}')
            attrs[1] = 'class="edge current"'
        start = f"n{source}"
        if k in drawing.copies:   # a far use of a variable: from a copy of its name beside the gate
            start = f'"n{source}-at-n{target}"'
            lines.append(f'  {start} [id="n{source}-at-n{target}", class="copy", shape=plaintext, '
                         f'fontcolor="{t.muted}", label=<{_esc(lesson.name(source))}>];')
        lines.append(f'  {start} -> n{target} [{", ".join(attrs)}];')
    lines += _open_clusters(lesson, opened, t)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(lesson: Lesson, view: View = View(), fmt_: str = "svg") -> bytes:
    """Returns the graph as svg, png, pdf or dot bytes."""
    if fmt_ not in FORMATS:
        raise ChainruleError(f"format must be one of {', '.join(FORMATS)}; not {fmt_!r}")
    if fmt_ == "dot":
        return to_dot(lesson, view).encode()
    svg = svg_of(lesson, view)
    return svg if fmt_ == "svg" else convert(svg, fmt_)


def svg_of(lesson: Lesson, view: View, dot: str | None = None) -> bytes:
    """Returns Graphviz's SVG of the view with what the step has not revealed taken out, and titles
    (tooltips, what a screen reader says) in the lecture's names, not ids.

    For rankdir=auto, not yet decided for this lesson, both directions are drawn and the better one is
    kept (by the dot this process keeps running: engine.tools.dot_svg)."""
    key = _direction_key(view, None, False)
    if dot is None and view.rankdir == "auto" and len(lesson.graph.nodes) <= AUTO_NODES \
            and key not in lesson.memo:
        drawings = [dot_svg(to_dot(lesson, replace(view, rankdir=r))).decode() for r in ("LR", "TB")]
        sizes = [tuple(float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', d).groups())
                 for d in drawings]
        lesson.memo[key] = _better(*sizes)
        svg = drawings[("LR", "TB").index(lesson.memo[key])]
    else:
        svg = dot_svg(dot or to_dot(lesson, view)).decode()
    t = THEMES[view.theme]
    inks = "|".join(re.escape(hidden_ink(c)) for c in {t.fill, t.gate, t.background})
    svg = re.sub(rf'<text[^>]*fill="(?:{inks})"[^>]*>[^<]*</text>\n?', "", svg)
    svg = svg.replace('font-family="DejaVu Sans', f'font-family="{FONT_FAMILY}')
    return re.sub(r"<title>([^<]*)</title>", lambda m: f"<title>{_esc(_title(lesson, m.group(1)))}</title>",
                  svg).encode()


def _title(lesson: Lesson, title: str) -> str:
    """Returns a node's or edge's title in lecture names: n3 -> q₁, n0->n3 -> x → q₁."""
    ids = re.findall(r"n(\d+)", html.unescape(title))
    if not ids or len(ids) > 2:
        return html.unescape(title)
    return " → ".join(lesson.name(int(i)) for i in ids)


def convert(svg: bytes, fmt_: str, width: int | None = None) -> bytes:
    """Returns an SVG as PNG (at PNG_DPI, with its DPI recorded) or PDF, drawn by librsvg."""
    if fmt_ == "pdf":
        return run_tool(["rsvg-convert", "-f", "pdf"], svg)
    if width is None:
        points = re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', svg[:2000])
        w, h = (float(v) * PNG_DPI / 72 for v in points.groups()) if points else (800.0, 450.0)
        shrink = min(1.0, PNG_MAX_PIXELS / max(w, h))
        size = ["-w", str(round(w * shrink)), "-h", str(round(h * shrink))]
    else:
        size = ["-w", str(width)]
    png = run_tool(["rsvg-convert", "-f", "png", *size], svg)
    return with_dpi(png, PNG_DPI)


def with_dpi(png: bytes, dpi: int) -> bytes:
    """Returns the PNG with a pHYs chunk saying `dpi`, so slide tools insert it at a sensible size."""
    if b"pHYs" in png[:200]:
        return png
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    end_of_header = 8 + 8 + 13 + 4   # signature, IHDR length and type, IHDR data, CRC
    return png[:end_of_header] + chunk + png[end_of_header:]


def step_views(lesson: Lesson, view: View) -> list[View]:
    """Returns one view per lecture step, for slide exports."""
    return [replace(view, step=s) for s in range(len(lesson.steps))]
