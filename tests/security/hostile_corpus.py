"""The hostile corpus of hostile.toml as pytest parameters, and a Sender for any query, however long, to the app."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient

from chainrule.app.main import create_app

CORPUS = Path(__file__).with_name("hostile.toml")
DEFAULT_ROUTES = ("/api/graph", "/graph.svg")
URL_LIMIT = 60_000  # httpx refuses a longer query component; past it the test speaks ASGI itself


def build(value) -> str:
    """Return the text a corpus value stands for: a string as it is, or a {repeat}/{numbered} table spelled out."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(build(piece) for piece in value)
    if "repeat" in value:
        return value["repeat"] * value["times"] + value.get("then", "")
    return value["sep"].join(f"{value['numbered']}{i}" for i in range(value["times"]))


def query_of(case: dict) -> str:
    """Return the case's query string: its raw `query`, or its `params` URL-encoded in order."""
    if "query" in case:
        return build(case["query"])
    return urlencode([(name, build(value)) for name, value in case["params"]], quote_via=quote)


def corpus() -> list:
    """Return one pytest.param per (case, route) of hostile.toml; a case with `xfail` is a strict xfail."""
    params = []
    for case in tomllib.loads(CORPUS.read_text())["case"]:
        for route in case.get("routes", DEFAULT_ROUTES):
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
            params.append(pytest.param(case, route, id=f"{case['name']} {route}", marks=marks))
    return params


@dataclass
class Answer:
    """What the app answered, and how long it took."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0]


class Sender:
    """Sends GET path?query to one app: through TestClient, or straight over ASGI when httpx refuses the URL."""

    def __init__(self):
        self.app = create_app()
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def get(self, path: str, query: str, headers: dict[str, str] | None = None) -> Answer:
        start = time.perf_counter()
        if len(query) <= URL_LIMIT:
            response = self.client.get(f"{path}?{query}" if query else path, headers=headers)
            status, got, body = response.status_code, dict(response.headers), response.content
        else:
            # a thread of its own: Playwright's sync API may hold this thread's event loop
            with ThreadPoolExecutor(1) as thread:
                status, got, body = thread.submit(asyncio.run, self._asgi(path, query, headers or {})).result()
        return Answer(status, got, body, time.perf_counter() - start)

    async def _asgi(self, path: str, query: str, headers: dict[str, str]):
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
                 "query_string": query.encode(), "server": ("testserver", 80), "client": ("127.0.0.1", 1),
                 "headers": [(b"host", b"testserver"),
                             *((name.lower().encode(), value.encode()) for name, value in headers.items())]}
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        await self.app(scope, receive, send)
        start = next(message for message in sent if message["type"] == "http.response.start")
        body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
        return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body
