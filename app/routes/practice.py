"""Practice routes: a step of a practice (what the page may hold so far) and the check of one answer."""

from fastapi import APIRouter
from fastapi.responses import Response

from ..answers import AnswersDep
from ..query import PARAMETERS
from .api import ERRORS

router = APIRouter(tags=["practice"])
CHECK_PARAMETERS = [
    {"name": "blank", "in": "query", "required": True, "schema": {"type": "string"}, "example": "n3",
     "description": "The node or edge id of the blank, as in /api/practice's blanks."},
    {"name": "quantity", "in": "query", "required": True, "example": "value",
     "schema": {"type": "string", "enum": ["value", "grad", "local", "upstream", "downstream"]},
     "description": "What the blank asks of it."},
    {"name": "answer", "in": "query", "schema": {"type": "string"}, "example": "-3*0.197",
     "description": "The student's answer: a number, a fraction or arithmetic of numbers; right within the digits "
                    "on display. Needed unless reveal=true."},
    {"name": "reveal", "in": "query", "schema": {"type": "boolean", "default": False},
     "description": "The student chose to see the number: the answer also carries it."},
]


@router.get("/api/practice", openapi_extra={"parameters": PARAMETERS}, responses=ERRORS)
async def practice_step(answers: AnswersDep) -> Response:
    """Return a practice at `step` (0 when none): the graph with every number the step has not revealed null, the
    step's drawing, the blanks in lecture order (id, quantity, step, label; never a number), and the query."""
    return await answers("practice")


@router.get("/api/check", openapi_extra={"parameters": PARAMETERS + CHECK_PARAMETERS}, responses=ERRORS)
async def check(answers: AnswersDep) -> Response:
    """Return whether one answer is right ({"correct", "message", "hint"}: a hint from the gate's role, never the
    number); with reveal=true also "answer", the number as the drawing writes it."""
    return await answers("check")
