"""The hostile corpus (hostile.toml) against the real app: a plain 4xx or an annotated 200, never a 500,
never slower than 2 s, nothing executed, markup never back raw in HTML, SVG or DOT."""

import json
from pathlib import Path

import pytest

from hostile_corpus import corpus, query_of

BUDGET_S = 2.0
CANARY = Path("/tmp/chainrule-pwned")  # what the injection cases try to create
PAGES = ("/", "/embed")


def no_bare_nan(token: str):
    raise AssertionError(f"a bare {token} in JSON (API.md: non-finite numbers are strings)")


@pytest.fixture(scope="module", autouse=True)
def canary():
    CANARY.unlink(missing_ok=True)
    yield
    assert not CANARY.exists(), "an injection case executed code"


@pytest.mark.parametrize(("case", "route"), corpus())
def test_hostile_input_is_refused_or_answered_safely(sender, case, route):
    answer = sender.get(route, query_of(case))
    assert answer.status < 500, answer.body[:300]
    # a legitimate slide deck draws a slide per step: its budget grows with its size (budget_s in the case)
    assert answer.seconds < case.get("budget_s", BUDGET_S), f"{answer.seconds:.2f} s"
    expect = case["expect"]
    if expect == "200":
        assert answer.status == 200, answer.body[:300]
    if expect == "4xx" and route != "/":  # the page itself opens with its error box
        assert 400 <= answer.status < 500, answer.body[:300]
    if answer.media_type == "application/json":
        body = json.loads(answer.body, parse_constant=no_bare_nan)
        if answer.status >= 400:
            assert isinstance(body["detail"], str) and body["detail"].strip()
    elif answer.status >= 400 and route not in PAGES:
        pytest.fail(f"a {answer.status} from {route} is {answer.media_type}, not JSON with a detail")
    if "marker" in case:
        assert_escaped(answer, case["marker"])


def assert_escaped(answer, marker: str):
    """The marker may come back inside JSON strings (the client puts them in as text), never raw in markup."""
    if answer.media_type == "application/json":
        body = json.loads(answer.body)
        markup = body.get("svg", "") if isinstance(body, dict) else ""
    else:
        markup = answer.body.decode("utf-8", "replace")
    assert marker.lower() not in markup.lower()
