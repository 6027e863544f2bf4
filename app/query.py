"""GraphQuery: what a request asks for (expression, values, view options), parsed in one place for every route."""

import re
from dataclasses import dataclass, field, fields
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Depends, Request

import engine
import engine.render
from engine.render import LABELS, View

from .config import Settings, get_settings

GRANULARITIES = ("fused", "primitive")
THEMES = tuple(engine.render.THEMES)  # the drawing's themes, defined once in the engine
DIGITS = range(1, 13)
BOOLEANS = {"true": True, "1": True, "on": True, "yes": True,
            "false": False, "0": False, "off": False, "no": False}  # `exact=` with no value is refused, not true
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # the tokenizer's names (engine/parse.py), found without parsing

# The app's own parameters, for the OpenAPI docs; any other parameter sets the variable of that name.
PARAMETERS = [
    {"name": "expr", "required": True, "schema": {"type": "string"}, "example": "(x+y)*z",
     "description": "The expression as typed, e.g. (x+y)*z or sigmoid(w0*x0 + w1*x1 + w2). Every other "
                    "query parameter named like a variable sets its value, e.g. x=-2 (JSON arrays for vectors)."},
    {"name": "granularity", "schema": {"type": "string", "enum": list(GRANULARITIES), "default": "fused"},
     "description": "fused: sigmoid is one gate; primitive: it is drawn as ×-1, exp, +1, 1/x."},
    {"name": "exact", "schema": {"type": "boolean", "default": False},
     "description": "Compute with exact fractions where the expression allows (1.1 stays 11/10)."},
    {"name": "labels", "schema": {"type": "string", "enum": list(LABELS), "default": "all"},
     "description": "Which numbers the drawing puts on its edges."},
    {"name": "digits", "schema": {"type": "integer", "minimum": DIGITS[0], "maximum": DIGITS[-1], "default": 3},
     "description": "Significant digits in the drawing."},
    {"name": "theme", "schema": {"type": "string", "enum": list(THEMES), "default": "light"},
     "description": "Colours of the drawing: light, dark, projector or projector-dark (large, high contrast)."},
    {"name": "step", "schema": {"type": "string", "pattern": r"^(\d{1,6}|end)$"},
     "description": "Lecture mode: draw the graph as it is at this step (a number from 0, or end)."},
    {"name": "callouts", "schema": {"type": "boolean", "default": False},
     "description": "Label each gate with its backward role (add distributes, mul swaps, max routes)."},
    {"name": "share", "schema": {"type": "boolean", "default": False},
     "description": "Draw identical subexpressions once: in (x*y) + (x*y) the product is one gate used twice."},
    {"name": "upstream", "schema": {"type": "string"}, "example": "[4,-1,5,9]",
     "description": "The gradient that starts the backward pass at an array output, a JSON array of the "
                    "output's shape, e.g. [4,-1,5,9] for relu(x) at x=[1,-2,3,-1]. Default: all ones, the "
                    "gradient of the output's sum; a number output always starts from 1."},
]
for parameter in PARAMETERS:
    parameter["in"] = "query"
OPTION_NAMES = tuple(parameter["name"] for parameter in PARAMETERS)


@dataclass(frozen=True)
class GraphQuery:
    """One state of the graph: the expression, the raw values of its variables, and how to show it."""

    expr: str
    values: dict[str, str] = field(default_factory=dict)
    granularity: str = "fused"
    exact: bool = False
    labels: str = "all"
    digits: int = 3
    theme: str = "light"
    step: int | Literal["end"] | None = None
    callouts: bool = False
    share: bool = False
    upstream: str | None = None

    def __post_init__(self):
        for name, allowed in (("granularity", GRANULARITIES), ("labels", LABELS), ("theme", THEMES)):
            if getattr(self, name) not in allowed:
                raise engine.ChainruleError(f"{name} must be one of: {', '.join(allowed)}")
        if self.digits not in DIGITS:
            raise engine.ChainruleError(f"digits must be a whole number from {DIGITS[0]} to {DIGITS[-1]}")
        if not self.expr.strip():
            raise engine.ChainruleError("the expression is empty: type one, e.g. (x + y)*z", 0)

    @classmethod
    def from_params(cls, params: list[tuple[str, str]]) -> "GraphQuery":
        """Return the GraphQuery of query parameters; raises ChainruleError for a bad or repeated one.

        >>> GraphQuery.from_params([("expr", "x*y"), ("x", "-2"), ("digits", "4")]).digits
        4
        """
        options: dict[str, str] = {}
        values: dict[str, str] = {}
        for name, raw in params:
            given = options if name in OPTION_NAMES else values
            if name in given:
                raise engine.ChainruleError(f"{name} is given more than once")
            given[name] = raw
        expr = options.get("expr", "")
        names = set(NAME.findall(expr))  # every variable's name, and function names and exponents besides
        if clash := sorted(names & set(OPTION_NAMES)):
            where = re.search(rf"(?<![A-Za-z0-9_]){clash[0]}(?![A-Za-z0-9_])", expr)
            raise engine.ChainruleError(f"{clash[0]} is the name of an option, so a variable cannot be called "
                                        f"{clash[0]}: rename it", where.start() if where else None)
        values = {name: raw for name, raw in values.items() if name in names}  # the rest change nothing
        return cls(
            expr=expr, values=values,
            granularity=options.get("granularity", "fused"), exact=_boolean(options, "exact"),
            labels=options.get("labels", "all"), digits=_digits(options.get("digits", "3")),
            theme=options.get("theme", "light"), step=_step(options.get("step")),
            callouts=_boolean(options, "callouts"), share=_boolean(options, "share"),
            upstream=options.get("upstream") or None)

    def analyze(self):
        """Return the engine's analysis of this expression at these values."""
        return engine.analyze(self.expr, self.values, granularity=self.granularity, exact=self.exact,
                              share=self.share, upstream=self.upstream)

    def view(self, analysis) -> View:
        """Return the drawing options, with step=end (or past the end) resolved against the analysis' steps."""
        count = len(analysis.steps) if self.step is not None else 0
        # step=end, or a step past the end (a link made before the expression changed), is the last
        step = count - 1 if self.step == "end" or (self.step or 0) >= count > 0 else self.step
        return View(labels=self.labels, digits=self.digits, theme=self.theme, step=step,
                    callouts=self.callouts).checked(count)

    def params(self) -> list[tuple[str, str]]:
        """Return this state as readable query parameters: expr, the values, then options that differ from the defaults."""
        pairs = [("expr", self.expr), *self.values.items()]
        for option in fields(self):
            value = getattr(self, option.name)
            if option.name in OPTION_NAMES[1:] and value != option.default:
                pairs.append((option.name, str(value).lower() if isinstance(value, bool) else str(value)))
        return pairs

    def query_string(self) -> str:
        """Return params() encoded for a URL, e.g. 'expr=x%2Ay&x=-2'."""
        return urlencode(self.params())


def _boolean(options: dict[str, str], name: str) -> bool:
    raw = options.get(name, "false").strip().lower()
    if raw not in BOOLEANS:
        raise engine.ChainruleError(f"{name} must be true or false")
    return BOOLEANS[raw]


def _digits(raw: str) -> int:
    if not re.fullmatch(r"[0-9]{1,2}", raw.strip()):  # ASCII digits: "²".isdigit() is true, int("²") fails
        raise engine.ChainruleError(f"digits must be a whole number from {DIGITS[0]} to {DIGITS[-1]}")
    return int(raw)


def _step(raw: str | None) -> int | Literal["end"] | None:
    if raw is None or raw == "":
        return None
    if raw == "end":
        return "end"
    if not re.fullmatch(r"[0-9]{1,6}", raw):
        raise engine.ChainruleError("step must be a number from 0, or end")
    return int(raw)


def graph_query(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> GraphQuery:
    """Return the GraphQuery of a request, refusing an oversized query before anything parses it."""
    if len(request.url.query) > settings.max_query_chars:
        raise engine.ChainruleError(
            f"the query is {len(request.url.query)} characters long; the limit is {settings.max_query_chars}")
    return GraphQuery.from_params(request.query_params.multi_items())


GraphQueryDep = Annotated[GraphQuery, Depends(graph_query)]
