"""Image routes: the graph as SVG, PNG, PDF or DOT for slides, and a QR code of the page's link."""

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from ..answers import AnswersDep
from ..query import PARAMETERS
from .api import ERRORS

router = APIRouter(tags=["images"])


@router.get("/graph.{fmt}", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def graph_image(fmt: Literal["svg", "png", "pdf", "dot"], answers: AnswersDep) -> Response:
    """Return the drawing of the graph in this format (dot is the Graphviz source)."""
    return await answers(f"graph.{fmt}")


@router.get("/qr.svg", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def qr_code(answers: AnswersDep) -> Response:
    """Return a QR code (SVG) of this server's page for the same query, to put on the projector."""
    return await answers("qr.svg")
