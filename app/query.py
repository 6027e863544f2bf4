"""GraphQuery: what a request asks for (expression, values, options), parsed in one place for every route.

The options themselves (names, defaults, checks, help) are the engine's: engine/options.py."""

import re
from dataclasses import field, fields, make_dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request

from chainrule import engine
from chainrule.engine.lesson import Lesson
from chainrule.engine.options import OPTIONS, openapi_parameters, read_options
from chainrule.engine.render import View

from .config import Settings, get_settings

EXPR = {"name": "expr", "in": "query", "required": True, "schema": {"type": "string"}, "example": "(x+y)*z",
        "description": "The expression as typed, e.g. (x+y)*z or sigmoid(w0*x0 + w1*x1 + w2). Every other "
                       "query parameter named like a variable sets its value, e.g. x=-2 (JSON arrays for vectors)."}
# The app's own parameters, for the OpenAPI docs; any other parameter sets the variable of that name.
PARAMETERS = [EXPR, *openapi_parameters()]
OPTION_NAMES = ("expr", *OPTIONS)
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # the tokenizer's names (engine/tokens.py), found without parsing

# The query's fields: expr, values, and one per engine option with the option's default.
_Fields = make_dataclass("_Fields", [("expr", str), ("values", dict, field(default_factory=dict)),
                                     *((name, object, field(default=o.default)) for name, o in OPTIONS.items())],
                         frozen=True)


class GraphQuery(_Fields):
    """One state of the graph: the expression, the raw values of its variables, and every option
    (engine.options: granularity, exact, share, upstream, labels, digits, theme, rankdir, step, callouts)."""

    def __post_init__(self):
        # an option given as a value (presets, the CLI) is checked as if it had come in a URL
        read_options({name: _url_text(getattr(self, name)) for name in OPTIONS
                      if getattr(self, name) != OPTIONS[name].default})
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
        expr = options.pop("expr", "")
        names = set(NAME.findall(expr))  # every variable's name, and function names and exponents besides
        if clash := sorted(names & set(OPTION_NAMES)):
            where = re.search(rf"(?<![A-Za-z0-9_]){clash[0]}(?![A-Za-z0-9_])", expr)
            raise engine.ChainruleError(f"{clash[0]} is the name of an option, so a variable cannot be called "
                                        f"{clash[0]}: rename it", where.start() if where else None)
        # values for names the expression does not use change nothing: leaving them out keeps the key canonical
        values = {name: raw for name, raw in values.items() if name in names}
        return cls(expr=expr, values=values, **read_options(options))

    @property
    def options(self) -> dict:
        return {name: getattr(self, name) for name in OPTIONS}

    def analyze(self):
        """Return the engine's analysis of this expression at these values."""
        return engine.analyze(self.expr, self.values, granularity=self.granularity, exact=self.exact,
                              share=self.share, upstream=self.upstream)

    def lesson(self) -> Lesson:
        """Return what a person reads about the analysis: names, formulas, steps."""
        return Lesson(self.analyze())

    def view(self, lesson: Lesson) -> View:
        """Return the drawing options, with step=end (or past the end) resolved against the lesson's steps."""
        return View.of(self.options, lesson)

    def params(self) -> list[tuple[str, str]]:
        """Return this state as readable query parameters: expr, the values, then options that differ from the defaults."""
        pairs = [("expr", self.expr), *self.values.items()]
        for option in fields(self):
            value = getattr(self, option.name)
            if option.name in OPTIONS and value != option.default:
                pairs.append((option.name, _url_text(value)))
        return pairs

    def query_string(self) -> str:
        """Return params() encoded for a URL, e.g. 'expr=x%2Ay&x=-2'."""
        return urlencode(self.params())


def _url_text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else ("" if value is None else str(value))


def graph_query(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> GraphQuery:
    """Return the GraphQuery of a request (a FastAPI dependency)."""
    return read_query(request, settings)


def read_query(request: Request, settings: Settings, own: tuple[str, ...] = ()) -> GraphQuery:
    """Return the GraphQuery of a request, refusing an oversized query before anything parses it; the parameters
    named in `own` belong to the route (e.g. /api/check's answer), not to the query."""
    if len(request.url.query) > settings.max_query_chars:
        raise engine.ChainruleError(
            f"the query is {len(request.url.query)} characters long; the limit is {settings.max_query_chars}")
    return GraphQuery.from_params([pair for pair in request.query_params.multi_items() if pair[0] not in own])


GraphQueryDep = Annotated[GraphQuery, Depends(graph_query)]
