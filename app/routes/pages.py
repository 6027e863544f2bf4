"""HTML routes: the page and the chrome-less embed view, both drawn (in the compute pool) from the same
GraphQuery as the JSON; a malformed query is the page with its error box, or the embed's error page."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from ..answers import AnswersDep
from ..config import TEMPLATES_DIR

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=TEMPLATES_DIR)  # the docs page's; the others are drawn in app/work.py


@router.get("/", response_class=HTMLResponse)
async def index(answers: AnswersDep) -> Response:
    """Return the page: expression box, values, options, the graph and its chain-rule panel."""
    return await answers("page")


@router.get("/embed", response_class=HTMLResponse)
async def embed(answers: AnswersDep) -> Response:
    """Return the graph alone, fitted to its iframe, for slides and other sites."""
    return await answers("embed")
