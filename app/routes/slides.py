"""Slide routes: every lecture step as one multi-page PDF or a zip of PNGs, and the graph as TikZ for Beamer."""

from fastapi import APIRouter
from fastapi.responses import Response

from ..answers import AnswersDep
from ..query import PARAMETERS
from .api import ERRORS

router = APIRouter(tags=["slides"])


@router.get("/slides.pdf", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def slides_pdf(answers: AnswersDep) -> Response:
    """Return one PDF with a page per lecture step: the inputs, each gate forward, each gate backward."""
    return await answers("slides.pdf")


@router.get("/slides.zip", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def slides_zip(answers: AnswersDep) -> Response:
    """Return a zip of step-00.png, step-01.png, ...: one PNG per lecture step, for any slide tool."""
    return await answers("slides.zip")


@router.get("/graph.tex", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def graph_tex(answers: AnswersDep) -> Response:
    """Return the graph as a standalone LaTeX document holding one tikzpicture (Graphviz's layout), for Beamer."""
    return await answers("graph.tex")
