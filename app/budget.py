"""The HTTP layer's budget: a request that is too big or not a read is refused before routing or parsing.

Every route is a GET of a query, so a request is bounded by its query string (max_query_chars), its headers
(max_header_bytes) and its method (GET, with no body). The compute budget behind it: engine.LIMITS count the
work before it starts, and the compute pool (app/pool.py) stops what they miss at its CPU time and memory.
SECURITY.md gives the numbers.
"""

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from .config import Settings, get_settings

METHODS = ("GET",)  # every route is a read of a query (FastAPI answers HEAD with 405 too)


class RequestBudget:
    """ASGI middleware: answers 400, 405, 413 or 431 with a JSON detail when a request is over budget."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = over_budget(scope, settings_of(scope))
            if refusal:
                await send_problem(send, *refusal)
                return
        await self.app(scope, receive, send)


def settings_of(scope: Scope) -> Settings:
    """Return the settings the app's routes see (tests override get_settings on the app)."""
    app = scope.get("app")
    overrides = getattr(app, "dependency_overrides", {})
    return overrides.get(get_settings, get_settings)()


def over_budget(scope: Scope, settings: Settings) -> tuple[int, str, dict[str, str]] | None:
    """Return (status, detail, headers) when the request is over budget, else None."""
    if scope["method"] not in METHODS:
        return 405, f"{scope['method']} is not allowed here: chainrule only answers GET", {"Allow": ", ".join(METHODS)}
    query = len(scope.get("query_string", b""))
    if query > settings.max_query_chars:
        return 400, f"the query is {query} characters long; the limit is {settings.max_query_chars}", {}
    header_bytes = sum(len(name) + len(value) for name, value in scope["headers"])
    if header_bytes > settings.max_header_bytes:
        return 431, f"the request's headers are {header_bytes} bytes; the limit is {settings.max_header_bytes}", {}
    for name, value in scope["headers"]:
        if (name == b"content-length" and value.strip() not in (b"", b"0")) or name == b"transfer-encoding":
            return 413, "a request to chainrule has no body: put everything in the query", {}
    return None


async def send_problem(send: Send, status: int, detail: str, headers: dict[str, str]) -> None:
    """Send API.md's error body {"detail", "offset": null} and close the response."""
    body = json.dumps({"detail": detail, "offset": None}).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   *((name.lower().encode(), value.encode()) for name, value in headers.items())]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
