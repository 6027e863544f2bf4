"""create_app(): the FastAPI application (routes, static files, error mapping, security headers); `app` for uvicorn."""

import asyncio
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from . import budget, errors, pool, security
from .config import STATIC_DIR
from .routes import api, docs, images, offline, pages, practice, slides


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Start the compute pool before the first request; stop it (killing running work) when the server stops."""
    await asyncio.to_thread(pool.shared)
    yield
    pool.shutdown_shared()


def create_app() -> FastAPI:
    """Return a new chainrule application."""
    app = FastAPI(
        title="chainrule",
        summary="See backpropagation: the computational graph of an expression with every value and gradient.",
        version="0.1.0", docs_url=None, redoc_url=None, lifespan=lifespan)
    for module in (pages, api, practice, slides, offline, images, docs):  # before images: /graph.tex, /graph.html are not /graph.{fmt}
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    errors.install(app)
    app.add_middleware(budget.RequestBudget)
    security.install(app)  # after the budget: its headers go on the budget's refusals too
    return app


app = create_app()
