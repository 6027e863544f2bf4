"""OPTIONS: the one place a view or analysis option is defined.

Each option is one record: its URL parameter name, allowed values, default, how its text is read, and
its help. The web layer's GraphQuery, the OpenAPI parameters, the CLI's flags and the page's defaults
(shipped to the page by the server) are all derived from this table.

>>> read_options({"digits": "4", "rankdir": "TB"})["digits"]
4
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .errors import ChainruleError
from .groups import GROUP_NODES, read_open

BOOLEANS = {"true": True, "1": True, "on": True, "yes": True,
            "false": False, "0": False, "off": False, "no": False}
MAX_STEP_DIGITS = 6


def _choice(name: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    def read(raw: str) -> str:
        if raw not in choices:
            raise ChainruleError(f"{name} must be one of {', '.join(choices)}; not {raw[:40]!r}")
        return raw
    return read


def _boolean(name: str) -> Callable[[str], bool]:
    def read(raw: str) -> bool:
        value = BOOLEANS.get(raw.strip().lower())
        if value is None:
            raise ChainruleError(f"{name} must be true or false; not {raw[:40]!r}")
        return value
    return read


def _digits(raw: str) -> int:
    text = raw.strip()
    # isascii: '²'.isdigit() is True, but int('²') raises
    if not (text.isascii() and text.isdigit() and len(text) <= 2 and 1 <= int(text) <= 12):
        raise ChainruleError(f"digits must be a whole number from 1 to 12; not {raw[:40]!r}")
    return int(text)


def _step(raw: str) -> int | str | None:
    text = raw.strip()
    if text == "":
        return None
    if text == "end":
        return "end"
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_STEP_DIGITS):
        raise ChainruleError(f"step must be a number from 0, or end; not {raw[:40]!r}")
    return int(text)


def _text(raw: str) -> str | None:
    return raw or None


@dataclass(frozen=True)
class Option:
    """One option: `read` turns the URL's text into the value, or raises ChainruleError."""

    name: str
    default: object
    read: Callable[[str], object] = field(repr=False)
    help: str
    choices: tuple[str, ...] = ()
    kind: str = "string"          # the OpenAPI type: string, boolean or integer
    stage: str = "view"           # "analysis": changes the numbers; "view": only how they are shown
    example: str | None = None

    @property
    def url_default(self) -> str:
        """Returns the default as the URL writes it ("false", "3", "" for none)."""
        if self.default is None:
            return ""
        return str(self.default).lower() if isinstance(self.default, bool) else str(self.default)

    def schema(self) -> dict:
        """Returns the OpenAPI schema of the parameter."""
        schema: dict = {"type": self.kind}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.default is not None:
            schema["default"] = self.default
        return schema


GRANULARITIES = ("fused", "primitive")
LABELS = ("all", "values", "grads", "formulas", "lecture", "none")
THEME_NAMES = ("light", "dark", "projector", "projector-dark")
RANKDIRS = ("auto", "LR", "TB")
GROUPINGS = ("auto", "all", "none")
MODES = ("explore", "practice")
PRACTICES = ("full", "backward")   # what a practice asks (engine/practice.py)


def _options() -> tuple[Option, ...]:
    def choice(name, default, choices, help, stage="view"):
        return Option(name, default, _choice(name, choices), help, choices, stage=stage)

    def boolean(name, help, stage="view"):
        return Option(name, False, _boolean(name), help, kind="boolean", stage=stage)

    return (
        choice("granularity", "fused", GRANULARITIES,
               "fused: sigmoid is one gate; primitive: it is drawn as ×-1, exp, +1, 1/x.", "analysis"),
        boolean("exact", "Compute with exact fractions where the expression allows (1.1 stays 11/10).",
                "analysis"),
        boolean("share", "Draw identical subexpressions once: in (x*y) + (x*y) the product is one gate "
                         "used twice.", "analysis"),
        Option("upstream", None, _text,
               "The gradient that starts the backward pass at an array output, a JSON array of the "
               "output's shape, e.g. [4,-1,5,9] for relu(x) at x=[1,-2,3,-1]. Default: all ones, the "
               "gradient of the output's sum; a number output always starts from 1.",
               stage="analysis", example="[4,-1,5,9]"),
        choice("labels", "all", LABELS,
               "What the drawing writes: all (values and grads on nodes, each edge's local and upstream × "
               "local = downstream), values, grads (edges: the downstream), formulas (edges: the local "
               "formula), lecture (values and grads on nodes, the edges bare: the step's sentence carries the "
               "chain rule, so a long graph stays large on a projector), none."),
        Option("digits", 3, _digits, "Significant digits in the drawing and the steps' sentences.",
               kind="integer"),
        choice("theme", "light", THEME_NAMES,
               "Colours of the drawing: light, dark, projector or projector-dark (large, high contrast)."),
        choice("rankdir", "auto", RANKDIRS,
               "Layout direction: LR (inputs on the left), TB (inputs on top), or auto (the one that "
               "fits a 16:9 screen better for this graph's shape)."),
        Option("step", None, _step,
               "Lecture mode: draw the graph as it is at this step (a number from 0, or end).",
               example="end"),
        choice("groups", "auto", GROUPINGS,
               "Big graphs: auto draws each neuron, long sum and named statement of a graph of more than "
               f"{GROUP_NODES} nodes as one box showing its output's value and gradient (click it to open it); "
               "all does so at any size; none draws every gate."),
        Option("open", None, read_open,
               "The groups drawn open, by name, separated by commas, e.g. h1,h2 (names the drawing does not have "
               "are ignored).", example="h1"),
        boolean("callouts", "Label each gate with its backward role (add distributes, mul swaps, "
                            "max routes)."),
        choice("mode", "explore", MODES,
               "explore: every number is shown; practice: the student works out each value and gradient, "
               "and the graph fills in as the answers are right (the page holds no number not yet answered)."),
        choice("practice", "full", PRACTICES,
               "What practice mode asks: full (the forward values, then the backward pass) or backward "
               "(the forward values are given)."),
    )


OPTIONS: dict[str, Option] = {option.name: option for option in _options()}
ANALYSIS_OPTIONS = tuple(name for name, option in OPTIONS.items() if option.stage == "analysis")
VIEW_OPTIONS = tuple(name for name, option in OPTIONS.items() if option.stage == "view")


def read_options(raw: dict[str, str]) -> dict[str, object]:
    """Returns every option's value: read from `raw` (URL texts by name) where given, else the default.

    An option given with an empty value is refused rather than guessed (`exact=` is not `exact=true`),
    except step and upstream, where empty means none.
    """
    values = {}
    for name, option in OPTIONS.items():
        if name not in raw:
            values[name] = option.default
            continue
        text = raw[name]
        if not isinstance(text, str):
            raise ChainruleError(f"{name} must be text")
        if text.strip() == "" and option.default is not None:
            raise ChainruleError(f"{name} is given with no value: write {name}={option.url_default} "
                                 f"or leave it out")
        values[name] = option.read(text)
    return values


def page_defaults() -> dict[str, str]:
    """Returns every option's default as the URL writes it: what the page starts from."""
    return {name: option.url_default for name, option in OPTIONS.items()}


def openapi_parameters() -> list[dict]:
    """Returns the OpenAPI description of every option as a query parameter."""
    parameters = []
    for option in OPTIONS.values():
        parameter = {"name": option.name, "in": "query", "schema": option.schema(),
                     "description": option.help}
        if option.name == "step":
            parameter["schema"]["pattern"] = rf"^(\d{{1,{MAX_STEP_DIGITS}}}|end)$"
        if option.example is not None:
            parameter["example"] = option.example
        parameters.append(parameter)
    return parameters
