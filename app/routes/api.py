"""JSON routes: the graph of API.md, what the page draws, and the health check."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from engine.render import render

from ..cache import CachedDep
from ..encode import json_safe, svg_element
from ..query import PARAMETERS, GraphQuery, GraphQueryDep

router = APIRouter(tags=["graph"])
ERRORS = {400: {"description": "A malformed, unsafe or too large expression, or a bad value or option: "
                               '{"detail": plain words, "offset": character offset or null}'}}


@router.get("/api/graph", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
def graph(query: GraphQueryDep, cached: CachedDep) -> Response:
    """Return the computational graph: every node's value and grad, every edge's upstream, local and downstream."""
    return cached("graph", query, lambda: JSONResponse(json_safe(query.lesson().to_dict(query.digits))))


@router.get("/api/view", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
def view(query: GraphQueryDep, cached: CachedDep) -> Response:
    """Return what the page shows: the graph as in /api/graph, its SVG drawing, and the canonical query."""
    return cached("view", query, lambda: JSONResponse(view_of(query)))


def view_of(query: GraphQuery) -> dict:
    """Return the body of /api/view for this query."""
    lesson = query.lesson()
    return {
        "graph": json_safe(lesson.to_dict(query.digits)),
        "svg": svg_element(render(lesson, query.view(lesson), "svg")),
        "query": query.query_string(),
    }


@router.get("/healthz", tags=["server"])
def healthz() -> dict:
    """Return {"status": "ok"} while the server answers."""
    return {"status": "ok"}
