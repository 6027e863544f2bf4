"""Slide routes: every lecture step as 16:9 slides (a multi-page PDF, a zip of PNGs, an animated GIF), and the
graph as TikZ for LaTeX or as a Beamer frame whose overlays are the steps."""

from functools import partial

from fastapi import APIRouter
from fastapi.responses import Response

from engine.slides import steps_gif, steps_pdf, steps_zip, to_tikz
from engine.tools import MEDIA_TYPES

from ..query import PARAMETERS, GraphQueryDep
from .api import ERRORS

router = APIRouter(tags=["slides"])

# path -> (what makes it from a lesson and a view, the file a browser saves it as, what it is)
EXPORTS = {
    "/slides.pdf": (steps_pdf, "chainrule-steps.pdf", "One PDF with a 16:9 page per lecture step, its number and sentence."),
    "/slides.zip": (steps_zip, "chainrule-steps.zip", "A zip of step-00.png, step-01.png, ...: a 16:9 PNG per step."),
    "/slides.gif": (steps_gif, "chainrule-steps.gif", "An animated GIF of the steps, for PowerPoint, Keynote or Google Slides."),
    "/graph.tex": (to_tikz, "chainrule.tex", "The graph as a standalone LaTeX document holding one tikzpicture that "
                                             "fits a 16:9 Beamer frame."),
    "/slides.tex": (partial(to_tikz, beamer=True), "chainrule-steps.tex",
                    "A Beamer document with one 16:9 frame whose overlays are the lecture's steps."),
}


def export(make, filename: str, query) -> Response:
    """Return the export of the query's whole pass (a deck is all the steps, whatever step= says)."""
    lesson = query.lesson()
    data = make(lesson, query.view(lesson))
    return Response(data.encode() if isinstance(data, str) else data, media_type=MEDIA_TYPES[filename.rsplit(".", 1)[1]],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _route(path: str, make, filename: str, doc: str):
    def route(query: GraphQueryDep) -> Response:
        return export(make, filename, query)
    route.__doc__ = f"Return {doc[0].lower()}{doc[1:]}"
    route.__name__ = "export_" + path.strip("/").replace(".", "_")
    router.get(path, openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)(route)


for _path, (_make, _filename, _doc) in EXPORTS.items():
    _route(_path, _make, _filename, _doc)
