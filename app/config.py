"""Settings: the one table of what an operator may change, read from the environment."""

import os
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"


@dataclass(frozen=True)
class Settings:
    """The server's settings; each is set by the environment variable CHAINRULE_<NAME IN CAPITALS>."""

    public_url: str = ""  # the address students use, for links and QR codes (else the server's own address)
    # the HTTP layer
    max_query_chars: int = 100_000  # longest query string accepted
    max_header_bytes: int = 16_384  # all request headers together, names and values
    head_timeout_s: float = 10.0  # seconds a connection may take to send a request's line and headers
    max_connections: int = 1_000  # open connections per server process; more are closed at once
    max_pending_head_bytes: int = 16 << 20  # bytes of unfinished request heads buffered, all connections together
    shutdown_timeout_s: float = 3.0  # seconds a stopping server waits for requests in flight
    # the compute pool (app/pool.py)
    compute_workers: int = 0  # heavy-lane worker processes per server process (0: one per core)
    light_workers: int = 0  # workers that take only light tasks, so small graphs never wait behind heavy ones
    # (0: one per core; a light task waits ~30 ms for Graphviz to start, so more than one per core helps)
    task_cpu_s: float = 2.0  # CPU seconds one computation may take (Graphviz included)
    deck_cpu_s_per_step: float = 0.25  # more CPU seconds a slide deck gets per step it will draw (counted before)
    light_cpu_s: float = 0.25  # CPU seconds a light worker gives a task before it moves to the heavy lane
    worker_memory_mb: int = 1_024  # address space of one worker (RLIMIT_AS)
    max_answer_bytes: int = 8 << 20  # the largest answer a worker sends back; a larger one is refused
    heavy_queue: int = 8  # heavy tasks waiting for a worker; more are answered 503
    light_queue: int = 256  # light tasks waiting for a worker; more are answered 503
    light_max_nodes: int = 60  # a light task's estimated nodes (tokens of the expression, x4 when primitive)
    light_max_element_ops: int = 2_000  # a light task's estimated nodes x array elements (~15 µs each)
    # the answer cache (app/cache.py)
    cache_bytes: int = 64 << 20  # bytes of answers each server process keeps (LRU)
    cache_max_answer_bytes: int = 2 << 20  # an answer larger than this is not kept
    cache_max_age: int = 3600  # seconds browsers and proxies may reuse an answer

    @classmethod
    def from_env(cls) -> "Settings":
        """Return the settings, each taken from its CHAINRULE_* variable when set."""
        given = {}
        for option in fields(cls):
            raw = os.environ.get(f"CHAINRULE_{option.name.upper()}")
            if raw is not None:
                kind = type(option.default)
                given[option.name] = raw.rstrip("/") if kind is str else kind(raw)
        return cls(**given)


@lru_cache
def get_settings() -> Settings:
    """Return the process's settings (tests override this dependency)."""
    return Settings.from_env()
