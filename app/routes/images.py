"""Image routes: the graph as SVG, PNG, PDF or DOT for slides, and a QR code of the page's link."""

import io
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

import engine

from ..answers import AnswersDep, page_base
from ..config import Settings, get_settings
from ..query import PARAMETERS, GraphQueryDep
from .api import ERRORS

router = APIRouter(tags=["images"])
QR_STYLE = {"kind": "svg", "scale": 6, "border": 2, "xmldecl": False, "title": "chainrule link"}


@router.get("/graph.{fmt}", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def graph_image(fmt: Literal["svg", "png", "pdf", "dot"], answers: AnswersDep) -> Response:
    """Return the drawing of the graph in this format (dot is the Graphviz source)."""
    return await answers(f"graph.{fmt}")


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
    return Response(svg.getvalue(), media_type="image/svg+xml")
