"""One-file offline HTML: the page's graph, chain-rule panel and lecture steps in a single document that opens
from disk (or in a notebook's iframe) with no network request.

Everything is inline: the drawing of the whole graph and of every lecture step (Graphviz's SVG, the steps
stored as runs of one table of lines: they lay out alike and differ in a few lines), the graph's JSON, the
page's ES modules bundled into one classic script with KaTeX (gzip-compressed: the browser unpacks it), the
CSS, and the fonts the panel's maths uses as data: URIs. The other theme of the pair (light/dark,
projector/projector-dark) is the same drawing in other inks: a CSS table maps each ink of the one to its twin
(same sizes, so the same layout). Editing needs the server: the document says so and links to it when it
knows where it is.

No web framework here: the Python API (`chainrule.Graph._repr_html_`, `.save("x.html")`) calls it too.
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import re
from dataclasses import replace
from pathlib import Path

import jinja2
from markupsafe import Markup

from chainrule.engine.lesson import Lesson
from chainrule.engine.render import View, svg_of, to_dot
from chainrule.engine.slides import MAX_SLIDE_NODES, MAX_SLIDE_STEPS
from chainrule.engine.themes import THEMES

from .config import STATIC_DIR, TEMPLATES_DIR
from .encode import json_safe, smallest_text_px, svg_element

TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
KATEX = STATIC_DIR / "vendor" / "katex-0.16.22"
# The fonts the panel's maths uses (digits, words, italic names, the delimiters of fractions and matrices);
# KaTeX falls back to the system's fonts for the rest, and no other font is asked for.
KATEX_FONTS = ("Main-Regular", "Math-Italic", "Size1-Regular", "Size2-Regular", "Size3-Regular", "Size4-Regular")
TWINS = {"light": "dark", "dark": "light", "projector": "projector-dark", "projector-dark": "projector"}
OPEN_BOX = (1024 - 16, 768 - 190)   # a 1024x768 screen less the document's bars: where the drawing is fitted
MIN_TEXT_PX = 11   # under this, a drawing with every label is drawn with the lecture's instead (as the embed does)
FRAME_CHROME = (16, 190)   # what the document adds around the drawing (padding; bars and panel strip), in px


def offline_html(lesson: Lesson, view: View, *, query: str = "", base: str = "", title: str = "chainrule") -> str:
    """Returns the self-contained HTML document of the lesson drawn in `view`: it fetches nothing.

    `query` is the page's query string and `base` the server's address, for the "open in chainrule to edit"
    link (no link without a base); `view.step`, when set, is the step it opens at. Lecture steps are embedded
    for graphs a slide export would draw (engine LIMITS max_slide_nodes, max_slide_steps); a larger graph is
    the whole drawing with its panel.
    """
    digits = view.digits
    if view.labels == "all" and not _readable(lesson, replace(view, step=None)):
        view = replace(view, labels="lecture")   # the step's sentence and the panel carry the chain rule
    small = len(lesson.graph.nodes) <= MAX_SLIDE_NODES and len(lesson.steps) <= MAX_SLIDE_STEPS
    steps = len(lesson.steps) if small else 0
    drawings = step_drawings(lesson, view, steps)
    lines, runs = line_table(drawings)
    data = {"graph": json_safe(lesson.to_dict(digits)), "lines": lines, "whole": runs[0], "steps": runs[1:],
            "digits": digits, "step": "" if view.step is None or not steps else str(view.step),
            "theme": view.theme, "twin": TWINS[view.theme]}
    width, height = _size(drawings[0])
    context = {
        "title": title, "theme": view.theme, "data": data, "size": (width, height),
        "first": Markup(drawings[1 + view.step] if data["step"] else drawings[0]),
        "edit": f"{base}/?{query}" if base else "", "lecture": bool(steps),
        "style": Markup(_css()), "twin_style": Markup(twin_css(view.theme)),
        "scripts": packed_scripts(),
        "icon": "data:image/svg+xml;base64," + base64.b64encode((STATIC_DIR / "favicon.svg").read_bytes()).decode(),
    }
    return TEMPLATES.get_template("offline.html").render(context)


def notebook_frame(document: str, width: int | None = None, height: int | None = None) -> str:
    """Returns an <iframe srcdoc> holding `document` (from offline_html), sized to its drawing unless told:
    what a notebook's `_repr_html_` shows. Sandboxed: its scripts run, with no access to the notebook."""
    size = re.search(r'<meta name="chainrule-size" content="(\d+) (\d+)">', document)
    drawing = (int(size[1]), int(size[2])) if size else (960, 360)
    width = width or min(max(drawing[0] + FRAME_CHROME[0], 800), 1200)   # the bars need 800 px on one line
    height = height or min(max(drawing[1] + FRAME_CHROME[1], 420), 900)
    return (f'<iframe srcdoc="{html.escape(document, quote=True)}" sandbox="allow-scripts allow-popups" '
            f'title="chainrule graph" style="width:100%;max-width:{width}px;height:{height}px;border:0"></iframe>')


def step_drawings(lesson: Lesson, view: View, steps: int) -> list[str]:
    """Returns the <svg> elements of the whole graph and of its first `steps` lecture steps, drawn by one
    Graphviz process (every step lays out alike)."""
    views = [replace(view, step=None)] + [replace(view, step=s) for s in range(steps)]
    dot = "".join(to_dot(lesson, each) for each in views)
    documents = svg_of(lesson, replace(view, step=None), dot=dot).decode().split("<?xml")[1:]
    return [svg_element(("<?xml" + document).encode()).strip() for document in documents]


def line_table(drawings: list[str]) -> tuple[list[str], list[list[list[int]]]]:
    """Returns (lines, runs): every distinct line of the drawings once, and each drawing as [start, count] runs
    of that table. A line repeated within a drawing (`</g>`) counts by its occurrence, so a drawing that
    differs from the first by a few lines is a few runs.

    >>> line_table(["a\\nb\\n</g>\\n</g>", "a\\nc\\n</g>\\n</g>"])
    (['a', 'b', '</g>', '</g>', 'c'], [[[0, 4]], [[0, 1], [4, 1], [2, 2]]])
    """
    index: dict[tuple[str, int], int] = {}
    lines: list[str] = []
    runs = []
    for drawing in drawings:
        seen: dict[str, int] = {}
        mine: list[list[int]] = []
        for line in drawing.split("\n"):
            seen[line] = seen.get(line, 0) + 1
            at = index.setdefault((line, seen[line]), len(lines))
            if at == len(lines):
                lines.append(line)
            if mine and mine[-1][0] + mine[-1][1] == at:
                mine[-1][1] += 1
            else:
                mine.append([at, 1])
        runs.append(mine)
    return lines, runs


def twin_inks(theme: str) -> dict[str, str]:
    """Returns each ink of the theme's drawing mapped to its twin theme's (light -> dark); the background is
    mapped by its place (twin_css), since a theme may paint its gates in its background's colour."""
    mine, twin = THEMES[theme], THEMES[TWINS[theme]]
    inks: dict[str, str] = {}
    for role in ("text", "muted", "value", "grad", "fill", "gate", "edge"):
        ink, other = getattr(mine, role).lower(), getattr(twin, role).lower()
        if inks.setdefault(ink, other) != other:
            raise ValueError(f"{theme}'s {role} ink {ink} is also another role's: its twin cannot be told apart")
    if (mine.node_size, mine.edge_size, mine.pen) != (twin.node_size, twin.edge_size, twin.pen):
        raise ValueError(f"{theme} and {TWINS[theme]} differ in size: the same drawing cannot be both")
    return inks


def twin_css(theme: str) -> str:
    """Returns the CSS that paints the theme's drawing in its twin's inks while the document shows the twin."""
    twin = TWINS[theme]
    scope = f'html[data-theme="{twin}"] .graph svg'
    rules = [f'{scope} [{attribute}="{ink}" i] {{ {attribute}: {other} }}'
             for ink, other in twin_inks(theme).items() for attribute in ("fill", "stroke")]
    rules.append(f"{scope} g.graph > polygon:first-of-type {{ fill: {THEMES[twin].background} }}")
    return "\n".join(rules)


MODULE_IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w-]+\.js)";[ \t]*$', re.M)
MODULE_EXPORT = re.compile(r"^export\s+((?:async\s+)?function\*?|const|let|class)\s+(\w+)", re.M)


def bundle(entry: str, folder: Path = STATIC_DIR / "js") -> str:
    """Returns the ES module `entry` of `folder` with every module it imports as one classic script: each
    module a function scope that returns its exports, its imports read from the modules before it.
    Raises ValueError on an import or export of another form (a new one must be taught here)."""
    order: list[tuple[str, str]] = []

    def visit(name: str) -> None:   # a module after those it imports (a handful of modules: no deep recursion)
        if any(done == name for done, _ in order):
            return
        source = (folder / name).read_text()
        for _, imported in MODULE_IMPORT.findall(source):
            visit(imported)
        order.append((name, source))

    visit(entry)
    var = lambda name: "module_" + re.sub(r"\W", "_", name[:-3])   # noqa: E731
    parts = []
    for name, source in order:
        exported = [export_name for _, export_name in MODULE_EXPORT.findall(source)]
        body = MODULE_IMPORT.sub(lambda m: f"const {{{m[1].replace(' as ', ': ')}}} = {var(m[2])};", source)
        body = MODULE_EXPORT.sub(lambda m: f"{m[1]} {m[2]}", body)
        stray = re.search(r"^\s*(import|export)\b.*", body, re.M)
        if stray:
            raise ValueError(f"{name}: cannot bundle {stray[0].strip()!r}")
        exports = f"return {{ {', '.join(exported)} }};"
        parts.append(f"// ---- {name}\nconst {var(name)} = (() => {{\n{body}\n{exports}\n}})();")
    return '"use strict";\n' + "\n".join(parts)


def _readable(lesson: Lesson, view: View) -> bool:
    """Returns whether the whole drawing's smallest text stays MIN_TEXT_PX or more fitted into OPEN_BOX."""
    return smallest_text_px(svg_of(lesson, view), view.theme, OPEN_BOX) >= MIN_TEXT_PX


def _size(svg: str) -> tuple[int, int]:
    """Returns a drawing's size in CSS px, from its size in points."""
    size = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg[:500])
    return (round(float(size[1]) * 4 / 3), round(float(size[2]) * 4 / 3)) if size else (960, 360)


@functools.lru_cache(maxsize=1)
def _css() -> str:
    """Returns the page's CSS and KaTeX's, KaTeX's fonts inline (KATEX_FONTS) or left out (no request)."""
    def font(match: re.Match) -> str:
        name = re.search(r"fonts/KaTeX_([\w-]+)\.woff2", match[0])
        if not name or name[1] not in KATEX_FONTS:
            return ""
        data = base64.b64encode((KATEX / "fonts" / f"KaTeX_{name[1]}.woff2").read_bytes()).decode()
        return re.sub(r"src:[^}]*", f'src:url(data:font/woff2;base64,{data}) format("woff2")', match[0])

    katex = re.sub(r"@font-face\{[^}]*\}", font, (KATEX / "katex.min.css").read_text())
    css = (STATIC_DIR / "app.css").read_text() + "\n" + katex
    if re.search(r"url\((?!data:)", css) or "</style" in css.lower():
        raise ValueError("the inlined CSS would ask for a file, or end its <style> early")
    return css


@functools.lru_cache(maxsize=1)
def packed_scripts() -> str:
    """Returns KaTeX and the page's bundled modules as one script, gzip-compressed (the same bytes every time) in
    base64: 113 KB instead of 306 KB. The document unpacks it with the browser's DecompressionStream and runs it."""
    code = (KATEX / "katex.min.js").read_text() + "\n;\n" + bundle("offline.js")
    return base64.b64encode(gzip.compress(code.encode(), 9, mtime=0)).decode()
