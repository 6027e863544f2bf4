"""Slide routes: every lecture step as 16:9 slides (a PDF page each, a PNG each in a zip, an animated GIF), and
the graph as TikZ for LaTeX or as one Beamer frame whose overlays are the steps. Each is made in app/work.py."""

from fastapi import APIRouter
from fastapi.responses import Response

from ..answers import AnswersDep
from ..query import PARAMETERS
from .api import ERRORS

router = APIRouter(tags=["slides"])


@router.get("/slides.pdf", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def slides_pdf(answers: AnswersDep) -> Response:
    """Return one PDF with a 16:9 page per lecture step (the inputs, each gate forward, each gate backward), with the
    step's number and sentence."""
    return await answers("slides.pdf")


@router.get("/slides.zip", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def slides_zip(answers: AnswersDep) -> Response:
    """Return a zip of step-00.png, step-01.png, ...: a 16:9 PNG per lecture step, for any slide tool."""
    return await answers("slides.zip")


@router.get("/graph.tex", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def graph_tex(answers: AnswersDep) -> Response:
    """Return the graph as a standalone LaTeX document holding one tikzpicture no wider than a 16:9 Beamer frame."""
    return await answers("graph.tex")


@router.get("/slides.gif", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def slides_gif(answers: AnswersDep) -> Response:
    """Return an animated GIF of the lecture's steps (PowerPoint, Keynote and Google Slides play GIFs)."""
    return await answers("slides.gif")


@router.get("/slides.tex", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def slides_tex(answers: AnswersDep) -> Response:
    """Return a Beamer document with one 16:9 frame whose overlays are the lecture's steps (\\only<k->)."""
    return await answers("slides.tex")
