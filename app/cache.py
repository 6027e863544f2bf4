"""Answers by canonical state: a byte-bounded LRU of finished answers, computed once however many ask at once.

A whole class opens the same link at once: the first request sends the work to the compute pool, the others
asking for the same canonical query meanwhile wait for that same computation (coalescing), and later ones
are served from the LRU. A browser, proxy or CDN holding the ETag revalidates with If-None-Match and gets a
304 with no body. The same canonical query always gives the same bytes, so the ETag is a hash of the bytes
and Cache-Control may be public. The LRU is bounded in bytes, not entries (one 30 MB answer is not one
small one), and an answer over `max_answer` is sent but never kept.
"""

import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass

from .work import Result, etag_of


@dataclass(frozen=True)
class Answer:
    """A response's bytes and what is needed to send them again."""

    body: bytes
    media_type: str
    etag: str
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, result: Result) -> "Answer":
        return cls(result.body, result.media_type, result.etag or etag_of(result.body), result.headers)


class LRU:
    """A thread-safe least-recently-used map whose values' bytes add up to at most `size`."""

    def __init__(self, size: int, max_answer: int):
        self.size, self.max_answer = size, max_answer
        self.entries: OrderedDict = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key) -> Answer | None:
        """Return the answer under key (now the most recent), or None."""
        with self.lock:
            if key not in self.entries:
                self.misses += 1
                return None
            self.hits += 1
            self.entries.move_to_end(key)
            return self.entries[key]

    def put(self, key, answer: Answer) -> None:
        """Keep the answer under key, forgetting the least recently used past the size; a huge one is not kept."""
        cost = len(answer.body) + len(key_text(key))
        if cost > self.max_answer:
            return
        with self.lock:
            if key in self.entries:
                self.bytes -= len(self.entries.pop(key).body) + len(key_text(key))
            self.entries[key] = answer
            self.bytes += cost
            while self.bytes > self.size:
                old_key, old = self.entries.popitem(last=False)
                self.bytes -= len(old.body) + len(key_text(old_key))


def key_text(key) -> str:
    return "".join(key) if isinstance(key, tuple) else str(key)


class InFlight:
    """The computations running now, by key: a second request for the same key waits for the first's Future."""

    def __init__(self):
        self.running: dict = {}
        self.lock = threading.Lock()
        self.joined = 0

    def join_or_start(self, key, start) -> Future:
        """Return the Future computing key: the running one, else start() (which may raise Busy)."""
        with self.lock:
            future = self.running.get(key)
            if future is not None:
                self.joined += 1
                return future
            future = start()
            self.running[key] = future
        future.add_done_callback(lambda _: self._forget(key))
        return future

    def _forget(self, key) -> None:
        with self.lock:
            self.running.pop(key, None)


def matches(if_none_match: str | None, etag: str) -> bool:
    """Return whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 says for it)."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags
