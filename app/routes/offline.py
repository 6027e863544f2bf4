"""The offline route: the graph as one self-contained HTML file (app/offline.py), made in the compute pool."""

from fastapi import APIRouter
from fastapi.responses import Response

from ..answers import AnswersDep
from ..query import PARAMETERS
from .api import ERRORS

router = APIRouter(tags=["offline"])


@router.get("/graph.html", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def graph_html(answers: AnswersDep) -> Response:
    """Return the graph as one HTML file that opens from disk with no network: the drawing, hover a node for its
    chain rule, every lecture step (graphs a slide export would draw), light and dark. Saved as chainrule.html;
    editing the expression or values needs this server (the file links back to it)."""
    return await answers("graph.html")
