"""Image routes: the graph as SVG, PNG, PDF or DOT for slides, and a QR code of the page's link."""

import io
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

import engine
from engine.render import render
from engine.tools import MEDIA_TYPES

from ..cache import CachedDep
from ..config import Settings, get_settings
from ..query import PARAMETERS, GraphQuery, GraphQueryDep
from .api import ERRORS

router = APIRouter(tags=["images"])
QR_STYLE = {"kind": "svg", "scale": 6, "border": 2, "xmldecl": False, "title": "chainrule link"}


@router.get("/graph.{fmt}", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
def graph_image(fmt: Literal["svg", "png", "pdf", "dot"], query: GraphQueryDep, cached: CachedDep) -> Response:
    """Return the drawing of the graph in this format (dot is the Graphviz source)."""
    return cached(f"graph.{fmt}", query, lambda: drawing_of(query, fmt))


def drawing_of(query: GraphQuery, fmt: str) -> Response:
    """Return the response carrying the drawing of this query in this format."""
    lesson = query.lesson()
    return Response(render(lesson, query.view(lesson), fmt), media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'inline; filename="chainrule.{fmt}"'})


@router.get("/qr.svg", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
def qr_code(request: Request, query: GraphQueryDep, settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    """Return a QR code (SVG) of this server's page for the same query, to put on the projector."""
    url = f"{page_base(request, settings)}/?{query.query_string()}"
    try:
        code = segno.make(url, error="m")
    except segno.DataOverflowError:
        raise engine.ChainruleError("this link is too long for a QR code; share it with copy link instead") from None
    svg = io.BytesIO()
    code.save(svg, **QR_STYLE)
    return Response(svg.getvalue(), media_type=MEDIA_TYPES["svg"])


def page_base(request: Request, settings: Settings) -> str:
    """Return the address students reach this server at: CHAINRULE_PUBLIC_URL, else the request's own."""
    return settings.public_url or str(request.base_url).rstrip("/")
