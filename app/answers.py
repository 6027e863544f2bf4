"""The server's side of every computing route: canonical key, cache, coalescing, lane, and the pool's answer.

A route says which representation (`kind`, see app/work.py) it wants; `Answers` returns the response: from
the LRU when it can, else by joining the identical computation already running, else by queueing a Task in
the compute pool, in the light lane when the estimated work is small. Nothing here computes a graph.
"""

import asyncio
import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import Response

from chainrule import engine

from . import pool
from .budget import settings_of
from .cache import LRU, Answer, InFlight, matches
from .config import Settings
from .errors import problem
from .presets import DEFAULT
from .query import GraphQuery, read_query
from .work import Result, Task

PAGES = ("page", "embed")  # a malformed query is the page with its error box, not a JSON 400
LINKED = (*PAGES, "qr.svg", "graph.html")  # what holds a link to the page, so depends on the server's address
QR_LIGHT_CHARS = 300  # a QR code of a longer link takes segno tens to hundreds of milliseconds
# a drawing per step: always heavy, with CPU by the step (the offline document holds every step's drawing)
DECKS = ("slides.pdf", "slides.zip", "slides.gif", "graph.html")
# A kind's own parameters, which are neither options nor variable values: kept out of the GraphQuery, passed on
# after its canonical pairs (and so part of the cache key).
OWN_PARAMETERS = {"check": ("blank", "quantity", "answer", "reveal")}
# The estimate of a task's nodes: names, numbers and operators (a regular expression, no parse, no GIL hog).
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9.]+(?:[eE][+-]?[0-9]+)?|\*\*|[-+*/^@]")


class Shared:
    """What one app keeps between requests: its answers by key and its computations in flight."""

    def __init__(self, settings: Settings):
        self.results = LRU(settings.cache_bytes, settings.cache_max_answer_bytes)
        self.in_flight = InFlight()


def shared_of(request: Request, settings: Settings) -> Shared:
    state = request.app.state
    if getattr(state, "shared", None) is None:
        state.shared = Shared(settings)
        state.results = state.shared.results  # what tests and operators look at
    return state.shared


def lane_of(kind: str, query: GraphQuery | None, settings: Settings) -> str:
    """Return "light" when the task's estimated work is small (nodes, and nodes x array elements), else "heavy"."""
    if query is None:
        return "light"  # an error page
    if kind == "qr.svg":
        return "light" if len(query.query_string()) <= QR_LIGHT_CHARS else "heavy"
    if kind in DECKS or query.exact:  # a deck is a Graphviz run per step; exact arithmetic has no cheap estimate
        return "heavy"
    nodes = len(TOKEN.findall(query.expr)) * (4 if query.granularity == "primitive" else 1)
    elements = max((value.count(",") + 1 for value in query.values.values() if value.lstrip().startswith("[")),
                   default=1)
    light = nodes <= settings.light_max_nodes and nodes * elements <= settings.light_max_element_ops
    return "light" if light else "heavy"


def cpu_of(kind: str, query: GraphQuery | None, settings: Settings) -> float:
    """Return a deck's CPU allowance: the lane's, plus deck_cpu_s_per_step for each step it may draw (counted from
    the expression's tokens, at most the engine's max_slide_steps); 0 (the lane's own limit) for anything else.
    A good deck then succeeds on a busy server too: it is refused by its size, never by the time it took."""
    if kind not in DECKS or query is None:
        return 0.0
    steps = min(2 * len(TOKEN.findall(query.expr)) * (4 if query.granularity == "primitive" else 1) + 1,
                engine.LIMITS["max_slide_steps"])
    return settings.task_cpu_s + settings.deck_cpu_s_per_step * steps


def page_base(request: Request, settings: Settings) -> str:
    """Return the address pages and QR codes link to: CHAINRULE_PUBLIC_URL, else the socket's own address.

    Never the Host header, which the client writes: scope["server"] is the local address the connection
    reached, and scope["scheme"] is http unless uvicorn was told to trust a proxy's X-Forwarded-Proto.
    """
    if settings.public_url:
        return settings.public_url
    scheme = request.scope.get("scheme", "http")
    host, port = request.scope.get("server") or ("localhost", None)
    host = f"[{host}]" if ":" in host else host
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def own_pairs(pairs, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Return the pairs a kind reads itself, in the order of `names`; a repeated one is refused."""
    own = [(name, value) for name, value in pairs if name in names]
    if len({name for name, _ in own}) < len(own):
        raise engine.ChainruleError(f"{own[0][0]} is given more than once")
    return tuple(sorted(own, key=lambda pair: names.index(pair[0])))


class Answers:
    """The dependency of every computing route: `await answers(kind)` returns the response."""

    def __init__(self, request: Request, settings: Settings):
        self.request = request
        self.settings = settings

    async def __call__(self, kind: str) -> Response:
        query, pairs, own = self._query(kind)
        base = page_base(self.request, self.settings) if kind in LINKED else ""
        shared = shared_of(self.request, self.settings)
        key = (kind, base, "&".join(filter(None, (query.query_string(), urlencode(own))))) if query is not None else None
        if key is not None and (answer := shared.results.get(key)) is not None:
            return self._send(answer)
        task = Task(kind, (*query.params(), *own) if query is not None else pairs, base,
                    cpu_of(kind, query, self.settings))
        try:
            if key is None:
                future = pool.shared().submit(task, lane_of(kind, query, self.settings))
            else:
                future = shared.in_flight.join_or_start(key, lambda: self._start(task, query, key, shared))
        except pool.Busy as busy:
            response = problem(str(busy), status=503)
            response.headers["Retry-After"] = str(busy.retry_after)
            return self._uncached(response)
        # shielded: a client that hangs up does not cancel the computation others may be waiting for
        result: Result = await asyncio.shield(asyncio.wrap_future(future))
        if result.status == 200 and result.cacheable and key is not None:
            return self._send(Answer.of(result))
        return self._uncached(Response(result.body, status_code=result.status, media_type=result.media_type,
                                       headers=dict(result.headers)))

    def _query(self, kind: str) -> tuple[GraphQuery | None, tuple, tuple]:
        """Return the canonical query (None when a page's query is malformed: the worker draws the error), the
        request's pairs, and the kind's own parameters (OWN_PARAMETERS), taken out of the query."""
        pairs = tuple(self.request.query_params.multi_items())
        if kind not in PAGES:
            query = read_query(self.request, self.settings, OWN_PARAMETERS.get(kind, ()))
            return query, pairs, own_pairs(pairs, OWN_PARAMETERS.get(kind, ()))
        try:
            return (GraphQuery.from_params(list(pairs)) if pairs else DEFAULT.query), pairs, ()
        except engine.ChainruleError:
            return None, pairs, ()

    def _start(self, task: Task, query: GraphQuery, key, shared: Shared):
        future = pool.shared().submit(task, lane_of(task.kind, query, self.settings))

        def keep(done):  # before InFlight forgets the key, so no request falls between the two
            result: Result = done.result()
            if result.status == 200 and result.cacheable:
                shared.results.put(key, Answer.of(result))

        future.add_done_callback(keep)
        return future

    def _send(self, answer: Answer) -> Response:
        headers = {"ETag": answer.etag, "Cache-Control": f"public, max-age={self.settings.cache_max_age}",
                   **dict(answer.headers)}
        if matches(self.request.headers.get("if-none-match"), answer.etag):
            return Response(status_code=304, headers=headers)
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    @staticmethod
    def _uncached(response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store"
        return response


async def answers_of(request: Request) -> Answers:
    """Return the request's Answers. An async dependency, and the settings read as the budget reads them (with the
    app's overrides): FastAPI runs a plain one in a thread, a hand-off that cost every answer ~1 ms under load."""
    return Answers(request, settings_of(request.scope))


AnswersDep = Annotated[Answers, Depends(answers_of)]
