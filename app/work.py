"""What a compute worker does: one representation of one query, from the query's pairs to the finished bytes.

This module runs in the pool's worker processes (app/pool.py), never in the server's: every route that
computes (the JSON, the page and the embed, the drawings, TikZ, slides, the offline document) names a `kind`
here, and the server only moves the bytes. `serve` is a worker's loop; `compute` is also what the adversarial
search measures.
"""

import dataclasses
import functools
import gc
import hashlib
import io
import json
import os
import resource
import signal
import traceback
from dataclasses import dataclass
from types import SimpleNamespace

import jinja2
import segno
from markupsafe import Markup

from chainrule import engine
from chainrule.engine import practice
from chainrule.engine.format import fmt
from chainrule.engine.options import BOOLEANS, OPTIONS, page_defaults
from chainrule.engine.render import FORMATS, render
from chainrule.engine.slides import steps_gif, steps_pdf, steps_zip, to_tikz
from chainrule.engine.tools import MEDIA_TYPES, warm_dot

from .config import TEMPLATES_DIR
from .encode import json_bytes, json_safe, smallest_text_px, svg_element
from .offline import offline_html
from .presets import DEFAULT, PRESETS
from .query import GraphQuery

TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
# kind -> what makes it from a lesson and its view, and the file a browser saves it as
EXPORTS = {
    "slides.pdf": (steps_pdf, "chainrule-steps.pdf"),
    "slides.zip": (steps_zip, "chainrule-steps.zip"),
    "slides.gif": (steps_gif, "chainrule-steps.gif"),
    "graph.tex": (to_tikz, "chainrule.tex"),
    "slides.tex": (functools.partial(to_tikz, beamer=True), "chainrule-steps.tex"),
}
QR_STYLE = {"kind": "svg", "scale": 6, "border": 2, "xmldecl": False, "title": "chainrule link"}
JSON = MEDIA_TYPES["json"]
HTML = MEDIA_TYPES["html"]


@dataclass(frozen=True)
class Task:
    """One piece of work: a representation (`kind`) of the query given by its canonical pairs.

    `base` is the address pages link to (their "open" link and share box); other kinds ignore it.
    """

    kind: str
    pairs: tuple[tuple[str, str], ...]
    base: str = ""
    cpu_s: float = 0.0   # this task's CPU allowance, counted before the work (a deck's grows with its steps); 0: the lane's


@dataclass(frozen=True)
class Result:
    """A finished answer: what the server sends, whether it may be cached, and the CPU time it took."""

    status: int
    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()
    cacheable: bool = False
    cpu_s: float = 0.0
    etag: str = ""  # of a cacheable answer, hashed here rather than in the server's event loop


def etag_of(body: bytes) -> str:
    """Return the strong ETag of these bytes: a quoted hash, the same in every process and every run."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def refusal(message: str, status: int = 400) -> Result:
    """Return API.md's error body as a Result (never cached: a limit under load is not the query's fault)."""
    return Result(status, json.dumps({"detail": message, "offset": None}).encode(), JSON)


def compute(task: Task) -> Result:
    """Return the answer of one task; a ChainruleError becomes the kind's own error answer."""
    if task.kind in ("page", "embed"):
        return _page(task)
    try:
        query = GraphQuery.from_params(list(task.pairs))
        if task.kind == "qr.svg":
            return _qr_code(f"{task.base}/?{query.query_string()}")
        if task.kind == "graph.html":
            return _offline(query, task.base)
        if task.kind in ("practice", "check"):
            own = dict(task.pairs[len(query.params()):])   # after the query's own pairs (app/answers.py)
            return _json(_practice_step(query) if task.kind == "practice" else _check(query, own))
        return _representation(task.kind, query)
    except engine.ChainruleError as error:
        return Result(400, json.dumps({"detail": error.message, "offset": error.offset}).encode(), JSON)


def _representation(kind: str, query: GraphQuery) -> Result:
    lesson = query.lesson()
    view = query.view(lesson)
    if kind == "graph":
        return _json(lesson.to_dict(query.digits), lesson.analysis.finite)
    if kind == "view":
        return _json({"graph": lesson.to_dict(query.digits),
                      "svg": svg_element(render(lesson, view, "svg")), "query": query.query_string()}, lesson.analysis.finite)
    if kind.startswith("graph.") and kind[6:] in FORMATS:
        fmt = kind[6:]
        return _ok(render(lesson, view, fmt), MEDIA_TYPES[fmt], f'inline; filename="chainrule.{fmt}"')
    if kind in EXPORTS:
        make, filename = EXPORTS[kind]
        data = make(lesson, view)
        return _ok(data.encode() if isinstance(data, str) else data, MEDIA_TYPES[filename.rsplit(".", 1)[1]],
                   f'attachment; filename="{filename}"')
    raise ValueError(f"no such kind of answer: {kind}")


def _offline(query: GraphQuery, base: str) -> Result:
    """Return the one-file offline document (app/offline.py), saved by the browser as chainrule.html."""
    lesson = query.lesson()
    document = offline_html(lesson, query.view(lesson), query=query.query_string(), base=base, title=query.expr)
    return _ok(document.encode(), HTML, 'attachment; filename="chainrule.html"')


def _practice_step(query: GraphQuery) -> dict:
    """Return what a practice page may hold at step k (0 when none is given): the masked graph, the step's
    drawing (no number the step has not revealed) and the blanks with their labels, never their numbers."""
    lesson = query.lesson()
    blanks = practice.blanks(lesson, query.practice)   # refuses arrays and an unknown mode first
    step = lesson.step_index(query.step) or 0
    view = dataclasses.replace(query.view(lesson), step=step)
    return {"graph": json_safe(practice.masked(lesson, step, query.digits)),
            "svg": svg_element(render(lesson, view, "svg")),
            "blanks": [blank.to_dict() for blank in blanks], "query": query.query_string()}


def _check(query: GraphQuery, own: dict[str, str]) -> dict:
    """Return the verdict on one answer; with reveal=true the number too (the student chose to see it)."""
    reveal = BOOLEANS.get(own.get("reveal", "false").strip().lower())
    if reveal is None:
        raise engine.ChainruleError(f"reveal must be true or false; not {own['reveal'][:20]!r}")
    missing = [name for name in ("blank", "quantity") + (() if reveal else ("answer",)) if not own.get(name)]
    if missing:
        raise engine.ChainruleError(f"/api/check needs {' and '.join(missing)}: e.g. blank=n3&quantity=value&answer=-3")
    lesson = query.lesson()
    blank, quantity = own["blank"], own["quantity"]
    if not any(b.id == blank and b.quantity == quantity for b in practice.blanks(lesson, query.practice)):
        practice.truth(lesson, blank, quantity)   # a malformed id or quantity gets the engine's own message
        raise engine.ChainruleError(f"{blank[:20]} {quantity[:20]} is not a blank of this practice: "
                                    "its number is given, or it has none to work out")
    if reveal:
        want = practice.truth(lesson, blank, quantity)
        return {"correct": False, "message": "Shown.", "hint": practice.hint(lesson, blank, quantity),
                "answer": fmt(want, query.digits)}
    verdict = practice.check(lesson, blank, quantity, own["answer"], query.digits)
    return {"correct": verdict.correct, "message": verdict.message, "hint": verdict.hint}


def _qr_code(url: str) -> Result:
    """Return a QR code (SVG) of the page's link, to put on the projector."""
    try:
        code = segno.make(url, error="m")
    except segno.DataOverflowError:
        raise engine.ChainruleError("this link is too long for a QR code; share it with copy link instead") from None
    svg = io.BytesIO()
    code.save(svg, **QR_STYLE)
    return Result(200, svg.getvalue(), MEDIA_TYPES["svg"], cacheable=True)


def _json(data, finite: bool = False) -> Result:
    """`finite`: every float in `data` is known finite (the lesson's), so no walk replaces nan and inf."""
    return Result(200, json_bytes(data, finite), JSON, cacheable=True)


def _ok(body: bytes, media_type: str, disposition: str) -> Result:
    return Result(200, body, media_type, (("content-disposition", disposition),), cacheable=True)


EMBED_BOX = (960, 540 - 90)   # the embed snippet's frame, less its step bar
EMBED_MIN_TEXT_PX = 13   # above the 12 px asked: the estimate from the drawing's size runs a little high


def _page(task: Task) -> Result:
    """Return the page or the embed: the graph, or the error that stopped it (the page shows it in its box)."""
    pairs = list(task.pairs)
    context = {"query": None if pairs else DEFAULT.query, "graph": None, "svg": None, "error": None,
               "base": task.base, "defaults": page_defaults(), "request": SimpleNamespace(query_params=dict(pairs))}
    try:
        if pairs:
            context["query"] = GraphQuery.from_params(pairs)
        query = context["query"]
        lesson = query.lesson()
        view = query.view(lesson)
        if query.mode == "practice":   # the page holds no number the student has not reached: step 0, masked
            practice.blanks(lesson, query.practice)   # refuses what cannot be practised (arrays)
            view = dataclasses.replace(view, step=0)
            context["graph"] = json_safe(practice.masked(lesson, 0, query.digits))
        else:
            context["graph"] = json_safe(lesson.to_dict(query.digits))
        svg = render(lesson, view, "svg")
        if task.kind == "embed" and view.labels == "all" \
                and smallest_text_px(svg, view.theme, EMBED_BOX) < EMBED_MIN_TEXT_PX:
            # a slide's frame: the lecture's labels keep the text readable, the step bar says the chain rule
            svg = render(lesson, dataclasses.replace(view, labels="lecture"), "svg")
        context["svg"] = Markup(svg_element(svg))
    except engine.ChainruleError as error:
        context["error"] = {"detail": error.message, "offset": error.offset}
    if task.kind == "embed":
        if context["error"]:
            return Result(400, _html("error.html", context), HTML)
        return Result(200, _html("embed.html", context), HTML, cacheable=True)
    choices = {name: option.choices for name, option in OPTIONS.items()} | {"digits": range(1, 13)}
    context.update(presets=PRESETS, choices=choices, ops=list(engine.OPS.values()),
                   limits=engine.LIMITS)
    return Result(200, _html("index.html", context), HTML, cacheable=not context["error"])


def _html(template: str, context: dict) -> bytes:
    return TEMPLATES.get_template(template).render(context).encode()


# --- the worker process -----------------------------------------------------------------------------------

def cpu_seconds() -> float:
    """Return this process's CPU time so far, with that of its finished children (Graphviz)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def serve(conn, memory_bytes: int, cpu_backstop_s: float, max_answer_bytes: int) -> None:
    """A worker's loop: receive a Task, send back its Result, until the server hangs up.

    The server watches this process's CPU time and kills it past the task's limit; RLIMIT_CPU is the
    backstop (the kernel ends the process even if the server is gone), RLIMIT_AS the memory cap, and an
    answer past max_answer_bytes is refused here rather than sent.
    """
    os.setsid()  # its own process group: killing the group also ends a Graphviz it started
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle; it ends us
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    warm_dot()  # its Graphviz starts now, inside this group and under this cap, not in a request's time
    gc.freeze()  # the preloaded engine is never garbage: collections skip it (shorter pauses, pages stay shared)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        before = cpu_seconds()
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        backstop = int(before + max(cpu_backstop_s, 2 * task.cpu_s + 1)) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (backstop if hard == resource.RLIM_INFINITY else min(backstop, hard), hard))
        try:
            result = compute(task)
        except MemoryError:  # what it held is freed; the server replaces a worker that stays big
            result = refusal(f"the request needed more than {memory_bytes >> 20} MB of memory, the limit of a "
                             "computation; try a smaller expression or smaller arrays")
        except Exception:  # a bug, or Graphviz failing: the server answers 500 and this worker carries on
            traceback.print_exc()
            result = Result(500, json.dumps({"detail": "internal error", "offset": None}).encode(), JSON)
        if len(result.body) > max_answer_bytes:  # not worth the pipe, the server's memory or a student's network
            result = refusal(f"the answer is {len(result.body) / 2**20:.1f} MB; the limit is "
                             f"{max_answer_bytes / 2**20:g} MB: try smaller arrays, fewer nodes or labels=none")
        etag = etag_of(result.body) if result.cacheable else ""
        conn.send(dataclasses.replace(result, cpu_s=cpu_seconds() - before, etag=etag))
