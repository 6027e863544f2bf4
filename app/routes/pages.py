"""HTML routes: the page and the chrome-less embed view, both drawn from the same GraphQuery as the JSON."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

import engine
from engine.render import render

from ..cache import CachedDep
from ..config import TEMPLATES_DIR, Settings, get_settings
from ..encode import json_safe, svg_element
from ..presets import DEFAULT, PRESETS
from engine.options import OPTIONS, page_defaults

from ..query import GraphQuery
from .images import page_base

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=TEMPLATES_DIR)
SettingsDep = Annotated[Settings, Depends(get_settings)]


def drawing(request: Request, settings: Settings) -> dict:
    """Return the template context of a request: its query and graph, or the error that stopped them."""
    params = request.query_params.multi_items()
    context = {"query": DEFAULT.query if not params else None, "graph": None, "svg": None, "error": None,
               "base": page_base(request, settings)}
    try:
        if params:
            context["query"] = GraphQuery.from_params(params)
        query = context["query"]
        lesson = query.lesson()
        context["graph"] = json_safe(lesson.to_dict(query.digits))
        context["svg"] = Markup(svg_element(render(lesson, query.view(lesson), "svg")))
    except engine.ChainruleError as error:
        context["error"] = {"detail": error.message, "offset": error.offset}
    return context


@router.get("/", response_class=HTMLResponse)
def index(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Return the page: expression box, values, options, the graph and its chain-rule panel."""
    context = drawing(request, settings)
    context.update(presets=PRESETS, choices={name: option.choices for name, option in OPTIONS.items()},
                   digits=range(1, 13), defaults=page_defaults(), ops=list(ops()), limits=engine.LIMITS)
    return templates.TemplateResponse(request, "index.html", context)


@router.get("/embed", response_class=HTMLResponse)
def embed(request: Request, settings: SettingsDep, cached: CachedDep) -> Response:
    """Return the graph alone, fitted to its iframe, for slides and other sites."""
    return cached(f"embed {page_base(request, settings)}", canonical(request), lambda: embed_page(request, settings))


def embed_page(request: Request, settings: Settings) -> HTMLResponse:
    """Return the embed page of this request, or the error page with a 400."""
    context = drawing(request, settings)
    status = 400 if context["error"] else 200
    return templates.TemplateResponse(request, "embed.html" if not context["error"] else "error.html", context,
                                      status_code=status)


def canonical(request: Request) -> GraphQuery | None:
    """Return the request's GraphQuery (the default preset's without a query), or None when it is malformed."""
    params = request.query_params.multi_items()
    try:
        return GraphQuery.from_params(params) if params else DEFAULT.query
    except engine.ChainruleError:
        return None


def ops():
    """Return the engine's ops for the page's function list, whatever container OPS is."""
    return engine.OPS.values() if hasattr(engine.OPS, "values") else engine.OPS
