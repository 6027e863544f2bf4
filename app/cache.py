"""Answers by canonical state: an in-process LRU of response bytes, a strong ETag, and 304 for a repeat.

A whole class opens the same link at once: the first request computes, the rest are served from the LRU
(per worker process; nothing is shared between workers), and a browser, reverse proxy or CDN holding the
ETag revalidates with If-None-Match and gets a 304 with no body. The same canonical query always gives the
same bytes, so the ETag is a hash of the bytes and Cache-Control may be public.
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated, Callable

from fastapi import Depends, Request
from fastapi.responses import Response

from .config import Settings, get_settings
from .query import GraphQuery

KEPT_HEADERS = ("content-disposition",)  # what a route adds that a cached answer must repeat


@dataclass(frozen=True)
class Answer:
    """A response's bytes and what is needed to send them again."""

    body: bytes
    media_type: str
    etag: str
    headers: tuple[tuple[str, str], ...] = ()


class LRU:
    """A thread-safe least-recently-used map of at most `size` entries (route handlers run in a thread pool)."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        """Return the value of key (now the most recent), or None."""
        with self.lock:
            if key not in self.entries:
                self.misses += 1
                return None
            self.hits += 1
            self.entries.move_to_end(key)
            return self.entries[key]

    def put(self, key, value) -> None:
        """Keep value under key, forgetting the least recently used entry past the size."""
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def results(request: Request, settings: Settings) -> LRU:
    """Return this app's LRU, made on first use with the configured size."""
    state = request.app.state
    if getattr(state, "results", None) is None:
        state.results = LRU(settings.cache_entries)
    return state.results


def etag_of(body: bytes) -> str:
    """Return the strong ETag of these bytes: a quoted hash, the same in every worker and every run."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Return whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 says for it)."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


class Cached:
    """The dependency each cached route calls: cached(kind, query, build) -> the response, from the LRU when it can.

    `kind` names the representation (route and anything else the bytes depend on, e.g. the page's base
    address); `query` is the canonical GraphQuery, or None when the request has none (then nothing is cached).
    `build()` makes the response; an error it raises propagates (errors are not cached: a Graphviz timeout
    under load is not the query's fault), and a response it marks no-store is passed through.
    """

    def __init__(self, request: Request, settings: Annotated[Settings, Depends(get_settings)]):
        self.request = request
        self.settings = settings

    def __call__(self, kind: str, query: GraphQuery | None, build: Callable[[], Response]) -> Response:
        if query is None:
            return self._uncached(build())
        key = (kind, query.query_string())
        lru = results(self.request, self.settings)
        answer = lru.get(key)
        if answer is None:
            response = build()
            if response.status_code != 200 or "no-store" in response.headers.get("cache-control", ""):
                return self._uncached(response)
            answer = Answer(bytes(response.body), response.media_type or response.headers["content-type"],
                            etag_of(response.body),
                            tuple((name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers))
            lru.put(key, answer)
        return self._send(answer)

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


CachedDep = Annotated[Cached, Depends()]
