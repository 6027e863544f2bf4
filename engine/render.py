"""Analysis -> deterministic Graphviz DOT text; SVG, PNG and PDF through Graphviz.

Left to right like the lecture figures: variables on the left, the output on the right.
Forward values and gradients have two colours, an Okabe-Ito pair that stays apart for
colour-blind eyes (blue and vermillion in the light themes). Each edge can carry its
chain rule: the local gradient's formula, then upstream × local = downstream.

Edge labels cost Graphviz 5 to 7 times the layout on big graphs (FACTS.md), so labels
thin out as graphs grow: full labels up to FULL_LABEL_EDGES edges, the downstream alone
as an xlabel up to XLABEL_EDGES, none past that (nodes keep their numbers).
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass, replace

import numpy as np

from .analysis import Analysis
from .errors import ChainruleError, LimitError
from .autodiff import shape_text
from .format import INLINE_ELEMENTS, fmt
from .ops import OPS

FULL_LABEL_EDGES = 150
XLABEL_EDGES = 400
MAX_DRAW_NODES = 400     # Graphviz's layout grows past a second beyond this (measured)
RENDER_TIMEOUT_S = 1.5   # a request's budget is 2 s; layout is what a big graph waits on
# Past FULL_LABEL_EDGES, trade crossing minimisation for time: 659 nodes lay out in 0.7 s
# with these instead of more than 15 s without (measured, Graphviz 2.43).
FAST_LAYOUT = "nslimit=1, mclimit=0.05, splines=line, "

PNG_DPI = 150
PNG_MAX_INCHES = 40      # cairo's time grows with pixels: a 399-node chain took 20 s at full size
HEATMAP_CELLS = 24      # a large array's heat map shows at most this many rows and columns
LABELS = ("all", "values", "grads", "formulas", "none")
FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf",
           "dot": "text/vnd.graphviz"}


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    muted: str
    value: str        # forward values
    grad: str         # gradients
    fill: str         # variables' boxes
    gate: str         # gates' fill
    edge: str
    node_size: int
    edge_size: int
    pen: float


THEMES = {
    "light": Theme("#ffffff", "#1f2328", "#6e7781", "#0072B2", "#D55E00", "#eef3f8", "#ffffff",
                   "#8c959f", 14, 11, 1.2),
    "dark": Theme("#15171c", "#e6edf3", "#9aa4b2", "#56B4E9", "#E69F00", "#1f2a36", "#22262e",
                  "#6e7781", 14, 11, 1.2),
    "projector": Theme("#ffffff", "#000000", "#444444", "#005A9C", "#C04000", "#e8f0f8",
                       "#ffffff", "#555555", 22, 17, 2.2),
    "projector-dark": Theme("#000000", "#ffffff", "#c8ccd2", "#56B4E9", "#E69F00", "#10233a",
                            "#111111", "#9aa4b2", 22, 17, 2.2),
}


@dataclass(frozen=True)
class View:
    """What to draw: which labels, how many digits, which theme, which lecture step."""

    labels: str = "all"
    digits: int = 3
    theme: str = "light"
    step: int | None = None       # None: the whole pass; 0..n-1: a lecture step
    callouts: bool = False        # name each gate's backward role

    def checked(self, n_steps: int) -> "View":
        """Returns this view with its options validated, or raises ChainruleError."""
        if self.labels not in LABELS:
            raise ChainruleError(f"labels must be one of {', '.join(LABELS)}; not {self.labels!r}")
        if self.theme not in THEMES:
            raise ChainruleError(f"theme must be one of {', '.join(THEMES)}; not {self.theme!r}")
        if not 1 <= self.digits <= 12:
            raise ChainruleError(f"digits must be from 1 to 12, not {self.digits}")
        if self.step is not None and not 0 <= self.step < n_steps:
            raise ChainruleError(f"step must be from 0 to {n_steps - 1} (or 'end'), "
                                 f"not {self.step}")
        return self


class _Reveal:
    """What a lecture step has shown so far: which values, grads and edges."""

    def __init__(self, analysis: Analysis, step: int | None):
        g = analysis.graph
        self.everything = step is None
        self.value_shown = set(range(len(g.nodes)))
        self.fired: set[int] = set()
        self.current_node, self.current_kind = None, None
        if step is None:
            self.fired = set(range(len(g.nodes)))
            return
        steps = analysis.steps
        self.value_shown = {i for i, n in enumerate(g.nodes) if n.is_leaf}
        for s in steps[1: step + 1]:
            index = int(s["node"][1:])
            (self.value_shown if s["kind"] == "forward" else self.fired).add(index)
        if step > 0:
            self.current_node, self.current_kind = int(steps[step]["node"][1:]), steps[step]["kind"]
        # the shares each node has received so far: one pass over the edges, not one per node
        self.shares: dict[int, list] = {}
        for e, edge in enumerate(g.edges):
            if edge.target in self.fired:
                self.shares.setdefault(edge.source, []).append(analysis.numbers.downstream[e])

    def grad(self, analysis: Analysis, index: int):
        """Returns the grad of a node as accumulated so far, or None before any share arrives."""
        g, p = analysis.graph, analysis.numbers
        if self.everything:
            return p.grads[index]
        if index == g.output:
            return p.grads[index] if index in self.fired else None
        shares = self.shares.get(index)
        return sum(shares) if shares else None


def to_dot(analysis: Analysis, view: View = View()) -> str:
    """Returns the Graphviz DOT text of the analysis: the same input gives the same text."""
    view = view.checked(len(analysis.steps))
    g, p = analysis.graph, analysis.numbers
    if len(g.nodes) > MAX_DRAW_NODES:
        raise LimitError(f"this graph has {len(g.nodes)} nodes; drawings stop at {MAX_DRAW_NODES} "
                         "(the JSON API answers for larger ones)")
    t = THEMES[view.theme]
    reveal = _Reveal(analysis, view.step)
    show_values = view.labels in ("all", "values", "grads")
    show_grads = view.labels in ("all", "grads")
    n_edges = len(g.edges)
    edge_labels = view.labels if n_edges <= FULL_LABEL_EDGES else (
        "grads" if n_edges <= XLABEL_EDGES and show_grads else "none")
    font = "DejaVu Sans"
    lines = [
        "digraph chainrule {",
        f'  graph [{FAST_LAYOUT if n_edges > FULL_LABEL_EDGES else ""}'
        f'rankdir=LR, bgcolor="{t.background}", pad=0.25, nodesep=0.35, ranksep=0.55,'
        f' fontname="{font}", fontcolor="{t.text}", fontsize={t.edge_size}, labelloc=b,'
        f' label=<{_legend(t, show_values, show_grads)}>];',
        f'  node [fontname="{font}", fontsize={t.node_size}, color="{t.text}",'
        f' fontcolor="{t.text}", penwidth={t.pen}, margin="0.08,0.04"];',
        f'  edge [fontname="{font}", fontsize={t.edge_size}, color="{t.edge}",'
        f' fontcolor="{t.text}", penwidth={t.pen}, arrowsize=0.7];',
    ]
    out_degree = [0] * len(g.nodes)
    for edge in g.edges:
        out_degree[edge.source] += 1
    for i, node in enumerate(g.nodes):
        rows = []
        is_current = i == reveal.current_node
        if node.op == "const":
            lines.append(f'  n{i} [id="n{i}", class="const", shape=plaintext, fontsize='
                         f'{t.edge_size}, fontcolor="{t.muted}", label=<{_esc(node.text)}>];')
            continue
        title = node.text if node.op == "var" else _symbol(node)
        rows.append(f'<B>{_esc(title)}</B>' if node.op == "var"
                    else f'<FONT POINT-SIZE="{t.node_size + 6}">{_esc(title)}</FONT>')
        shape = np.shape(p.values[i])
        if shape:
            rows.append(f'<FONT COLOR="{t.muted}" POINT-SIZE="{t.edge_size}">'
                        f'{shape_text(shape)}</FONT>')
        # What a step has not revealed yet is drawn in the fill's own colour, so every
        # step lays out the same and the nodes stay put as the lecture moves on.
        fill = t.fill if node.op == "var" else t.gate
        if show_values:
            shown = i in reveal.value_shown
            rows += _value_rows(p.values[i], view.digits, t.value if shown else fill, t,
                                hidden=not shown)
        if show_grads:
            grad = reveal.grad(analysis, i)
            rows += _value_rows(p.grads[i] if grad is None else grad, view.digits,
                                fill if grad is None else t.grad, t, prefix="∂ ",
                                hidden=grad is None)
        if view.labels in ("all", "formulas") and re.fullmatch(r"n\d+", analysis.name(i)):
            # formulas call a long subexpression by its id: show the id on its gate
            rows.append(f'<FONT COLOR="{t.muted}" POINT-SIZE="{t.edge_size}">{_esc(analysis.name(i))}'
                        '</FONT>')
        if view.callouts and not node.is_leaf:
            firing = reveal.everything or is_current and reveal.current_kind == "backward"
            rows.append(f'<FONT COLOR="{t.muted if firing else fill}" POINT-SIZE="{t.edge_size}">'
                        f'<I>{_esc(_role(node.op))}</I></FONT>')
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
    for e, edge in enumerate(g.edges):
        attrs = [f'id="e{e}"', 'class="edge"']
        fired = edge.target in reveal.fired
        current = edge.target == reveal.current_node
        if g.nodes[edge.source].op == "const":
            attrs.append('style=dashed')
        elif edge_labels != "none":
            label = _edge_label(analysis, e, edge_labels, view.digits, t,
                                None if fired else t.background)
            if label:
                key = "label" if n_edges <= FULL_LABEL_EDGES else "xlabel"
                attrs.append(f'{key}=<{label}>')
        if current:
            colour = t.value if reveal.current_kind == "forward" else t.grad
            attrs.append(f'color="{colour}", penwidth={t.pen * 2.5}')
            attrs[1] = 'class="edge current"'
        lines.append(f'  n{edge.source} -> n{edge.target} [{", ".join(attrs)}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(analysis: Analysis, view: View = View(), fmt_: str = "svg") -> bytes:
    """Returns the graph as svg, png, pdf or dot bytes; Graphviz runs with a timeout."""
    if fmt_ not in FORMATS:
        raise ChainruleError(f"format must be one of {', '.join(FORMATS)}; not {fmt_!r}")
    return run_dot(to_dot(analysis, view), fmt_)


def run_dot(dot_text: str, fmt_: str, timeout: float = RENDER_TIMEOUT_S) -> bytes:
    """Returns Graphviz's output for `dot_text`; a layout past the timeout is refused."""
    if fmt_ == "dot":
        return dot_text.encode()
    binary = shutil.which("dot")
    if binary is None:
        raise RuntimeError("Graphviz is not installed: apt-get install graphviz")
    png = [f"-Gdpi={PNG_DPI}", f"-Gsize={PNG_MAX_INCHES},{PNG_MAX_INCHES}"]
    args = [binary, f"-T{fmt_}"] + (png if fmt_ == "png" else [])
    try:
        done = subprocess.run(args, input=dot_text.encode(), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise LimitError(f"the graph took longer than {timeout:.2g} s to lay out; "
                         "try a smaller expression or labels=none") from None
    if done.returncode != 0:
        raise RuntimeError(f"Graphviz failed: {done.stderr.decode(errors='replace')[:500]}")
    return done.stdout


def step_views(analysis: Analysis, view: View) -> list[View]:
    """Returns one view per lecture step, for slide exports."""
    return [replace(view, step=s) for s in range(len(analysis.steps))]


def _edge_label(analysis: Analysis, e: int, labels: str, digits: int, t: Theme,
                ink: str | None) -> str:
    """Returns an edge's label; `ink` draws it all in one colour (the background: hidden)."""
    p = analysis.numbers
    t = replace(t, muted=ink, grad=ink) if ink else t
    rows = []
    if labels in ("all", "formulas"):
        formula = analysis.local_formula(e)
        local = formula if p.local[e] is None or np.ndim(p.local[e]) else fmt(p.local[e], digits)
        text = f"local {formula}" + ("" if formula == local else f" = {local}")
        text = text.replace("-", "−").replace("^T", "ᵀ")
        rows.append(f'<FONT COLOR="{t.muted}">{_esc(text)}</FONT>')
    if labels == "all" and np.ndim(p.upstream[e]) == 0 and np.ndim(p.downstream[e]) == 0 \
            and p.local[e] is not None:
        rows.append(f'<FONT COLOR="{t.grad}">{_num(p.upstream[e], digits)} × '
                    f'{_num(p.local[e], digits)} = '
                    f'<B>{_num(p.downstream[e], digits)}</B></FONT>')
    elif labels == "all":  # arrays: the downstream, in the source's shape
        rows.append(f'<FONT COLOR="{t.grad}">↓ <B>{_num(p.downstream[e], digits)}</B></FONT>')
    elif labels == "grads":
        rows.append(f'<FONT COLOR="{t.grad}">{_num(p.downstream[e], digits)}</FONT>')
    if ink:
        rows = [_mask(r) for r in rows]
    return _table(rows) if rows else ""


def _value_rows(value, digits: int, colour: str, t: Theme, prefix: str = "",
                hidden: bool = False) -> list[str]:
    """Returns a value's rows: a number; a small array row by row; a large one as a
    heat map (blue negative, vermillion positive) under its range; all in `colour`
    when hidden."""
    if np.ndim(value) == 0 or np.size(value) <= INLINE_ELEMENTS:
        lines = [value] if np.ndim(value) < 2 else list(value)
        rows = [f'<FONT COLOR="{colour}">{prefix if k == 0 else ""}{_num(line, digits)}</FONT>'
                for k, line in enumerate(lines)]
        return [_mask(r) for r in rows] if hidden else rows
    matrix = np.atleast_2d(value)[:HEATMAP_CELLS, :HEATMAP_CELLS]
    scale = float(np.nanmax(np.abs(matrix))) or 1.0
    cells = "".join(
        "<TR>" + "".join(f'<TD WIDTH="6" HEIGHT="6" FIXEDSIZE="TRUE" '
                         f'BGCOLOR="{colour if hidden else _heat(x / scale, t)}">'
                         "</TD>" for x in row) + "</TR>" for row in matrix)
    heat = f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">{cells}</TABLE>'
    summary = f'<FONT COLOR="{colour}">{prefix}{_num(value, digits)}</FONT>'
    return [_mask(summary) if hidden else summary, heat]


def _heat(x: float, t: Theme) -> str:
    """Returns a colour from the background (0) to the value colour (-1) or the grad (+1)."""
    if not np.isfinite(x):
        return "#888888"
    end = t.value if x < 0 else t.grad
    mix = [round(int(t.background[k:k + 2], 16) * (1 - abs(x)) + int(end[k:k + 2], 16) * abs(x))
           for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _legend(t: Theme, values: bool, grads: bool) -> str:
    parts = []
    if values:
        parts.append(f'<FONT COLOR="{t.value}">■ forward value</FONT>')
    if grads:
        parts.append(f'<FONT COLOR="{t.grad}">■ gradient ∂L/∂·   (edges: upstream × local = '
                     f'downstream)</FONT>')
    return "   ".join(parts) or " "


def _symbol(node) -> str:
    return OPS[node.op].symbol


def _role(op_name: str) -> str:
    return OPS[op_name].role


def _table(rows: list[str]) -> str:
    cells = "".join(f"<TR><TD>{r}</TD></TR>" for r in rows)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _mask(label: str) -> str:
    """Returns a label whose digits are all 0: the same width in DejaVu Sans (its digits
    are tabular), so a hidden number keeps its place without being in the image."""
    return re.sub(r">([^<]*)<", lambda m: ">" + re.sub(r"\d", "0", m.group(1)) + "<", label)


def _num(value, digits: int) -> str:
    """Returns a number for a slide, with a true minus sign."""
    return fmt(value, digits).replace("-", "−")
