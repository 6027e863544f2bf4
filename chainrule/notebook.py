"""chainrule.graph(...) -> Graph: the computational graph of an expression, in Python and in notebooks.

A Graph is an expression, its variables' values and the options of the page and the URL (engine/options.py),
checked as a URL's would be. Every number comes from the engine's one path (engine.explain), the JSON is
/api/graph's, the drawings are /graph.svg's, /graph.png's, /graph.pdf's and /graph.tex's, and the interactive
HTML is the offline page's (app/offline.py).
"""
from __future__ import annotations

import json
import numbers
import inspect
from functools import cached_property
from pathlib import Path
from urllib.parse import urlencode

from chainrule import engine
from chainrule.app.encode import json_safe, svg_element
from chainrule.engine.lesson import Lesson
from chainrule.engine.options import ANALYSIS_OPTIONS, OPTIONS, read_options
from chainrule.engine.render import View, render
from chainrule.engine.slides import to_tikz

SAVES = ("html", "svg", "png", "pdf", "tex", "dot")   # what .save writes, by the file name's extension


def graph(expr: str, values: dict | None = None, **given) -> "Graph":
    """Returns the Graph of `expr`: values by keyword, options (granularity, exact, share, upstream, labels,
    digits, theme, rankdir, step, callouts) as keywords too.

    >>> chainrule.graph("(x+y)*z", x=-2, y=5, z=-4).grads
    {'x': -4.0, 'y': -4.0, 'z': 3.0}

    A variable named like an option goes in `values`: graph("step*2", values={"step": 3}). A value is a number,
    a decimal's text ("1.1", exact for exact=True), or a list (or numpy array) for a vector or a matrix.
    """
    options = {name: given.pop(name) for name in list(given) if name in OPTIONS}
    values = dict(values or {})
    if twice := sorted(set(values) & set(given)):
        raise engine.ChainruleError(f"{twice[0]} is given twice: in values and as a keyword")
    result = Graph(expr, {**values, **given}, options)
    if stray := sorted(set(given) - set(result.lesson.graph.variables)):
        raise engine.ChainruleError(f"{stray[0]} is neither a variable of {result.lesson.expr} nor an option "
                                    f"({', '.join(OPTIONS)})")
    return result


def _signature() -> inspect.Signature:
    """graph's signature as help() and a notebook's tooltip show it: every option by name, with its default."""
    P = inspect.Parameter
    return inspect.Signature([P("expr", P.POSITIONAL_OR_KEYWORD), P("values", P.POSITIONAL_OR_KEYWORD, default=None),
                              *(P(name, P.KEYWORD_ONLY, default=o.default) for name, o in OPTIONS.items()),
                              P("variables", P.VAR_KEYWORD)], return_annotation="Graph")


graph.__signature__ = _signature()


class Graph:
    """One expression at its values, with the page's options: its lesson, JSON, drawings and interactive page."""

    def __init__(self, expr: str, values: dict | None = None, options: dict | None = None):
        if not isinstance(expr, str):
            raise engine.ChainruleError("the expression must be text, e.g. \"(x+y)*z\"")
        if not expr.strip():
            raise engine.ChainruleError("the expression is empty: type one, e.g. (x + y)*z", 0)
        self.expr = expr
        self.values = {name: _value_text(name, value) for name, value in (values or {}).items()}
        if unknown := sorted(set(options or {}) - set(OPTIONS)):
            raise engine.ChainruleError(f"{unknown[0]} is not an option; the options are {', '.join(OPTIONS)}")
        # read as a URL's texts: the same checks and messages as the page's and the API's
        self.options = read_options({name: _option_text(name, value) for name, value in (options or {}).items()
                                     if value is not None})

    def __repr__(self) -> str:
        given = [f"{name}={value!r}" for name, value in self.values.items()]
        given += [f"{name}={value!r}" for name, value in self.options.items() if value != OPTIONS[name].default]
        return f"chainrule.graph({', '.join([repr(self.expr), *given])})"

    @cached_property
    def lesson(self) -> Lesson:
        """The engine's lesson: the graph, every number, names, formulas and steps."""
        return engine.explain(self.expr, self.values, **{name: self.options[name] for name in ANALYSIS_OPTIONS})

    @property
    def view(self) -> View:
        return View.of(self.options, self.lesson)

    # --- the numbers -----------------------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """Returns the JSON of /api/graph for the same query (non-finite numbers as "nan", "inf", "-inf")."""
        return json_safe(self.lesson.to_dict(self.options["digits"]))

    @property
    def value(self):
        """The output's value: a float, or nested lists for an array."""
        return self.to_dict()["output"]["value"]

    @property
    def grads(self) -> dict:
        """Each variable's gradient of the output, by name."""
        return {name: v["grad"] for name, v in self.to_dict()["variables"].items()}

    @property
    def steps(self) -> list[str]:
        """The lecture's steps, each as its sentence: the inputs, each gate forward, each gate backward."""
        return [self.lesson.caption(step, self.options["digits"]) for step in self.lesson.steps]

    def step(self, k: int | str) -> "Graph":
        """Returns this graph as lecture step k shows it (0: the inputs; "end": the last step), as step=k does."""
        return Graph(self.expr, self.values, {**self._given_options(), "step": k})

    # --- the drawings --------------------------------------------------------------------------------------

    def svg(self) -> str:
        """Returns the drawing as an <svg> element (what /graph.svg draws)."""
        return svg_element(render(self.lesson, self.view, "svg"))

    def _repr_svg_(self) -> str:
        return self.svg()

    def html(self) -> str:
        """Returns the interactive page as one self-contained HTML file (drawing, chain-rule panel, steps): it
        opens from disk with no server and no network request."""
        from chainrule.app.offline import offline_html   # the web layer's document (jinja2), only when asked for
        return offline_html(self.lesson, self.view, query=self.query_string())

    def _repr_html_(self) -> str:
        """The interactive page in the notebook's output, in a sandboxed <iframe srcdoc> sized to the drawing."""
        from chainrule.app.offline import notebook_frame
        return notebook_frame(self.html())

    def query_string(self) -> str:
        """Returns this graph as the page's query string: expr=...&x=-2&digits=4 (for a link to a server)."""
        pairs = [("expr", self.expr), *((name, _url_value(value)) for name, value in self.values.items())]
        pairs += [(name, _option_text(name, value)) for name, value in self._given_options().items()]
        return urlencode(pairs)

    def save(self, path) -> Path:
        """Writes the graph to `path`, in the format its extension names: .html (the interactive page), .svg,
        .png, .pdf, .tex (TikZ) or .dot. Returns the path."""
        path = Path(path)
        kind = path.suffix.lstrip(".").lower()
        if kind not in SAVES:
            raise ValueError(f"save writes {', '.join('.' + s for s in SAVES)}; "
                             f"not {path.suffix or 'a name without an extension'!r}")
        if kind == "html":
            data = self.html().encode()
        elif kind == "tex":
            data = to_tikz(self.lesson, self.view).encode()
        else:
            data = render(self.lesson, self.view, kind)
        path.write_bytes(data)
        return path

    def _given_options(self) -> dict:
        return {name: value for name, value in self.options.items() if value != OPTIONS[name].default}


def _option_text(name: str, value) -> str:
    """Returns an option's Python value as the URL writes it (True -> "true", [4, -1] -> "[4, -1]")."""
    if isinstance(value, bool):
        return str(value).lower()
    if name == "upstream" and not isinstance(value, str):
        return _value_text(name, value)
    return str(value)


def _value_text(name: str, value):
    """Returns a value as the engine takes it: a float or a text; a list or numpy array as JSON."""
    if isinstance(value, bool):
        raise engine.ChainruleError(f"value of {name} must be a number, not {value}")
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return value
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        try:
            return json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            raise engine.ChainruleError(f"value of {name} must hold finite numbers only") from None
    raise engine.ChainruleError(f"value of {name} must be a number, a list of numbers or a text such as "
                                f"'1.5'; not a {type(value).__name__}")


def _url_value(value) -> str:
    return value if isinstance(value, str) else (repr(value)[:-2] if repr(value).endswith(".0") else repr(value))
