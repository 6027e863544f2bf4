"""The text inside a drawing: a node's rows (values, gradients, heat maps of arrays), an edge's chain rule, a closed
group's box, the legend; as Graphviz's HTML-like labels, escaped. engine/render.py lays them out."""
from __future__ import annotations

import html
from dataclasses import replace

import numpy as np

from .format import INLINE_ELEMENTS, fmt
from .groups import Group
from .lesson import Lesson
from .ops import OPS
from .themes import Theme

HEATMAP_CELLS = 24       # a large array's heat map shows at most this many rows and columns
FAR_NAMES = 4            # far variables a closed box names; the rest are counted


def hidden_ink(colour: str) -> str:
    """Returns the ink of what a step has not revealed: `colour` with its lowest bit flipped, so it
    cannot be seen on that colour and marks the text to take out of the SVG."""
    return colour[:-1] + format(int(colour[-1], 16) ^ 1, "x")


def _group_node(lesson: Lesson, group: Group, digits: int, t: Theme, reveal, is_current: bool,
                show_values: bool, show_grads: bool, far: list[int]) -> str:
    """Returns the DOT line of a collapsed group: one box with its output's name, value and gradient, and what it
    holds; its id is its output's, so the page explains it as that node; class group says a click opens it."""
    i, g, p = group.output, lesson.graph, lesson.numbers
    symbol = OPS[g.nodes[i].op].symbol + ("(Σ)" if group.kind == "neuron" else "")
    rows = [f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"><TR>'
            f'<TD><FONT POINT-SIZE="{t.node_size + 6}">{_esc(symbol)}</FONT></TD>'
            f'<TD><B>{_esc(lesson.name(i))}</B></TD></TR></TABLE>']
    hidden = hidden_ink(t.gate)
    if show_values:
        rows += _value_rows(p.values[i], digits, t.value if i in reveal.value_shown else hidden, t)
    if show_grads:
        grad = reveal.grad(i)
        rows += _value_rows(p.grads[i] if grad is None else grad, digits, hidden if grad is None else t.grad, t,
                            prefix="∂ ")
    terms = f"{group.terms} terms, " if group.terms else ""
    rows.append(f'<FONT COLOR="{t.muted}" POINT-SIZE="{t.edge_size}">{group.kind}: {terms}{group.gates} gates ▸</FONT>')
    if far:   # variables drawn far away: named here rather than joined by a long edge
        names = ", ".join(lesson.name(v) for v in far[:FAR_NAMES]) + (f" and {len(far) - FAR_NAMES} more"
                                                                     if len(far) > FAR_NAMES else "")
        rows.append(f'<FONT COLOR="{t.muted}" POINT-SIZE="{t.edge_size}">uses {_esc(names)}</FONT>')
    extra = ", peripheries=2" if i == g.output else ""
    # what is inside, for the page's search: a name found in a closed box lights up the box
    cls = f"group op-{g.nodes[i].op} " + " ".join(f"has-n{m}" for m in sorted(group.members) if m != i)
    if is_current:
        extra += f', color="{t.value if reveal.current_kind == "forward" else t.grad}", penwidth={t.pen * 2.5}'
        cls += " current"
    return (f'  n{i} [id="n{i}", class="{cls}", shape=box3d, style="filled", fillcolor="{t.gate}", '
            f'label=<{_table(rows)}>{extra}];')


def _open_clusters(lesson: Lesson, opened: dict[int, Group], t: Theme) -> list[str]:
    """Returns a dashed frame around each open group's gates, named so that a click on the name closes it."""
    lines = []
    for group in {id(group): group for group in opened.values()}.values():
        members = " ".join(f"n{i};" for i in sorted(group.members))
        lines.append(f'  subgraph "cluster_{_esc(group.name)}" {{ id="open:{_esc(group.name)}"; class="open-group"; '
                     f'style="dashed,rounded"; color="{t.muted}"; fontcolor="{t.muted}"; fontsize={t.edge_size}; '
                     f'labeljust=l; labelloc=t; label=<{_esc(group.name)} ▾>; {members} }}')
    return lines


def _edge_label(lesson: Lesson, e: int, labels: str, digits: int, t: Theme,
                ink: str | None) -> str:
    """Returns an edge's label; `ink` draws it all in one colour (a step's hidden ink)."""
    p = lesson.numbers
    t = replace(t, muted=ink, grad=ink) if ink else t
    rows = []
    if labels in ("all", "formulas"):
        formula = lesson.local_formula(e)
        local = formula if p.local[e] is None or np.ndim(p.local[e]) else _num(p.local[e], digits)
        text = f"local {formula}" + ("" if formula == local else f" = {local}")
        text = text.replace("-", "−").replace("^T", "ᵀ")
        rows.append(f'<FONT COLOR="{t.muted}">{_esc(text)}</FONT>')
    if labels == "all" and np.ndim(p.upstream[e]) == 0 and np.ndim(p.downstream[e]) == 0 \
            and p.local[e] is not None:
        rows.append(f'<FONT COLOR="{t.grad}">{_num(p.upstream[e], digits)} × '
                    f'{_num(p.local[e], digits)} = '
                    f'{_num(p.downstream[e], digits)}</FONT>')
    elif labels == "all":  # arrays: the downstream, in the source's shape
        rows.append(f'<FONT COLOR="{t.grad}">↓ {_num(p.downstream[e], digits)}</FONT>')
    elif labels == "grads":
        rows.append(f'<FONT COLOR="{t.grad}">{_num(p.downstream[e], digits)}</FONT>')
    return _table(rows) if rows else ""


def _value_rows(value, digits: int, colour: str, t: Theme, prefix: str = "") -> list[str]:
    """Returns a value's rows: a number; a small array row by row; a large one as a heat map
    (blue negative, vermillion positive) under its range; a hidden one all in its ink."""
    hidden = colour not in (t.value, t.grad)
    if np.ndim(value) == 0 or np.size(value) <= INLINE_ELEMENTS:
        lines = [value] if np.ndim(value) < 2 else list(value)
        return [f'<FONT COLOR="{colour}">{prefix if k == 0 else ""}{_num(line, digits)}</FONT>'
                for k, line in enumerate(lines)]
    matrix = np.atleast_2d(value)[:HEATMAP_CELLS, :HEATMAP_CELLS]
    scale = float(np.nanmax(np.abs(matrix))) or 1.0
    cells = "".join(
        "<TR>" + "".join(f'<TD WIDTH="6" HEIGHT="6" FIXEDSIZE="TRUE" '
                         f'BGCOLOR="{colour if hidden else _heat(x / scale, t)}">'
                         "</TD>" for x in row) + "</TR>" for row in matrix)
    heat = f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">{cells}</TABLE>'
    return [f'<FONT COLOR="{colour}">{prefix}{_num(value, digits)}</FONT>', heat]


def _heat(x: float, t: Theme) -> str:
    """Returns a colour from the background (0) to the value colour (-1) or the grad (+1)."""
    if not np.isfinite(x):
        return "#888888"
    end = t.value if x < 0 else t.grad
    mix = [round(int(t.background[k:k + 2], 16) * (1 - abs(x)) + int(end[k:k + 2], 16) * abs(x))
           for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _legend(t: Theme, values: bool, grads: bool, output: str, edges: bool = True) -> str:
    parts = []
    if values:
        parts.append(f'<FONT COLOR="{t.value}">■ forward value</FONT>')
    if grads:
        parts.append(f'<FONT COLOR="{t.grad}">■ gradient ∂{_esc(output)}/∂·</FONT>')
    legend = "   ".join(parts) or " "
    if grads and edges:
        legend += f'<BR/><FONT COLOR="{t.muted}">edges: upstream × local = downstream</FONT>'
    return legend


def _table(rows: list[str]) -> str:
    cells = "".join(f"<TR><TD>{r}</TD></TR>" for r in rows)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _num(value, digits: int) -> str:
    """Returns a number for a slide, with a true minus sign."""
    return fmt(value, digits).replace("-", "−")
