"""JSON routes: the graph of API.md, what the page draws, and the health check."""

from fastapi import APIRouter
from fastapi.responses import Response

from ..answers import AnswersDep
from ..query import PARAMETERS

router = APIRouter(tags=["graph"])
ERRORS = {400: {"description": "A malformed, unsafe or too large expression, or a bad value or option: "
                               '{"detail": plain words, "offset": character offset or null}'},
          503: {"description": "The server's queue of computations is full: try again after Retry-After seconds"}}


@router.get("/api/graph", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def graph(answers: AnswersDep) -> Response:
    """Return the computational graph: every node's value and grad, every edge's upstream, local and downstream."""
    return await answers("graph")


@router.get("/api/view", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def view(answers: AnswersDep) -> Response:
    """Return what the page shows: the graph as in /api/graph, its SVG drawing, and the canonical query."""
    return await answers("view")


@router.get("/healthz", tags=["server"])
async def healthz() -> dict:
    """Return {"status": "ok"} while the server answers (on the event loop: it never waits for a thread)."""
    return {"status": "ok"}
