"""Fuzzing: hypothesis over the parser, the engine and the API; schemathesis over the OpenAPI schema.

Bounded (a fixed number of examples, no deadline flakiness on a shared CPU) so that all of it runs in CI in
well under a minute. A failure prints the example to add to hostile.toml.
"""

import json
import string

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st
from schemathesis.checks import not_a_server_error

from chainrule import engine
from chainrule.app.main import create_app
from chainrule.engine.parse import parse

APP = create_app()
CLIENT = TestClient(APP, raise_server_exceptions=False)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUTES = ["/api/graph", "/api/view", "/graph.svg", "/graph.dot", "/embed", "/"]

# Text that is nearly an expression finds more than random unicode: our tokens, plus whatever is not ours.
TOKENS = ["x", "y", "w0", "1", "2.5", "1e308", "0", "(", ")", "+", "-", "*", "/", "^", "**", ",", " ",
          "exp(", "log(", "sqrt(", "sigmoid(", "relu(", "max(", "min(", "tanh(", "abs(", "pi", "E",
          "__import__", ".", "[", "]", "'", "\"", "<", ">", ";", "=", ":", "lambda", "\n", "\x00", "é"]
ALMOST = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
TEXT = st.one_of(st.text(max_size=200), ALMOST)
VALUE = st.one_of(st.text(max_size=30), st.floats().map(repr), st.integers().map(str),
                  st.sampled_from(["nan", "inf", "-inf", "[1,2]", "[[1],[2,3]]", "", "1e999", "-0"]))
NAME = st.one_of(st.sampled_from(["x", "y", "w0", "expr", "exact", "digits", "step", "theme", "labels",
                                  "granularity", "callouts"]), st.text(string.printable, min_size=1, max_size=10))


@FUZZ
@given(TEXT)
def test_the_parser_answers_a_tree_or_a_parse_error(text):
    try:
        parse(text)
    except engine.ParseError as error:
        assert error.message and (error.offset is None or 0 <= error.offset <= len(text))


@FUZZ
@given(TEXT, st.dictionaries(st.sampled_from(["x", "y", "w0"]), VALUE, max_size=3), st.booleans())
def test_the_engine_answers_an_analysis_or_a_chainrule_error(text, values, exact):
    try:
        engine.explain(text, values, exact=exact).to_dict()
    except engine.ChainruleError as error:
        assert error.message


@FUZZ
@given(st.sampled_from(ROUTES), ALMOST, st.lists(st.tuples(NAME, VALUE), max_size=6))
def test_the_api_never_answers_a_500(route, expr, params):
    response = CLIENT.get(route, params=[("expr", expr), *params])
    assert response.status_code < 500, response.text[:300]
    if response.headers["content-type"].startswith("application/json"):
        body = json.loads(response.content, parse_constant=lambda token: pytest.fail(f"bare {token}"))
        if response.status_code >= 400:
            assert isinstance(body["detail"], str) and body["detail"]


SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)


@SCHEMA.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_openapi_schema_holds(case):
    # Content-type conformance is not checked: the image routes do not declare their media types yet.
    response = case.call_and_validate(checks=[not_a_server_error])
    if 400 <= response.status_code < 500:
        assert response.headers["content-type"][0].startswith("application/json"), response.text[:200]
        assert response.json()["detail"]
