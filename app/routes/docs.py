"""/docs: the OpenAPI reference, drawn by the vendored Swagger UI so it needs no network and no inline script."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .pages import templates

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """Return the interactive API reference built from /openapi.json."""
    return templates.TemplateResponse(request, "docs.html", {})
