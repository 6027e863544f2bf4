"""The error mapping: every user-facing failure becomes a 400 JSON body {"detail": plain words, "offset": int | null}."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from chainrule import engine


def problem(message: str, offset: int | None = None, status: int = 400) -> JSONResponse:
    """Return the JSON error response of API.md."""
    return JSONResponse({"detail": message, "offset": offset}, status_code=status)


def chainrule_error(request: Request, error: engine.ChainruleError) -> JSONResponse:
    """Return the 400 for a bad expression, value or option, with the character offset when there is one."""
    return problem(error.message, error.offset)


def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    """Return the 400 for a malformed option, its FastAPI message put in plain words."""
    first = error.errors()[0]
    name = first["loc"][-1] if first.get("loc") else "query"
    return problem(f"{name}: {first['msg']}")


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(engine.ChainruleError, chainrule_error)
    app.add_exception_handler(RequestValidationError, validation_error)
