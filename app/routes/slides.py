"""Slide routes: every lecture step as one multi-page PDF or a zip of PNGs, and the graph as TikZ for Beamer."""

from fastapi import APIRouter
from fastapi.responses import Response

from engine.slides import steps_pdf, steps_zip, to_tikz

from ..query import PARAMETERS, GraphQuery, GraphQueryDep
from .api import ERRORS

router = APIRouter(tags=["slides"])


def attachment(name: str) -> dict[str, str]:
    """Return the header that makes a browser save the answer as `name` instead of showing it."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def whole_pass(query: GraphQuery):
    """Return the analysis and a view of every step: a deck is all the steps, whatever step= says."""
    analysis = query.analyze()
    return analysis, query.view(analysis)


@router.get("/slides.pdf", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
def slides_pdf(query: GraphQueryDep) -> Response:
    """Return one PDF with a page per lecture step: the inputs, each gate forward, each gate backward."""
    analysis, view = whole_pass(query)
    return Response(steps_pdf(analysis, view), media_type="application/pdf",
                    headers=attachment("chainrule-steps.pdf"))


@router.get("/slides.zip", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
def slides_zip(query: GraphQueryDep) -> Response:
    """Return a zip of step-00.png, step-01.png, ...: one PNG per lecture step, for any slide tool."""
    analysis, view = whole_pass(query)
    return Response(steps_zip(analysis, view), media_type="application/zip",
                    headers=attachment("chainrule-steps.zip"))


@router.get("/graph.tex", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
def graph_tex(query: GraphQueryDep) -> Response:
    """Return the graph as a standalone LaTeX document holding one tikzpicture (Graphviz's layout), for Beamer."""
    analysis, view = whole_pass(query)
    return Response(to_tikz(analysis, view), media_type="application/x-tex; charset=utf-8",
                    headers=attachment("chainrule.tex"))
