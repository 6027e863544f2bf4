"""Every bad input answers 400 with {"detail": plain words, "offset": int | null}: never a 500."""

import pytest

from chainrule.app.config import Settings, get_settings

BAD = [
    # (query, offset or None, words the detail must contain)
    ({"expr": "(x + * y"}, 5, ""),
    ({"expr": "x +"}, None, ""),
    ({"expr": ""}, 0, "empty"),
    ({}, 0, "empty"),
    ({"expr": "__import__('os')"}, None, ""),
    ({"expr": "x.__class__"}, None, ""),
    ({"expr": "lambda: 1"}, None, ""),
    ({"expr": "foo(x)"}, None, "foo"),
    ({"expr": "x", "x": "abc"}, None, "x"),
    ({"expr": "x", "x": "nan"}, None, ""),
    ({"expr": "x", "granularity": "tiny"}, None, "granularity"),
    ({"expr": "x", "labels": "some"}, None, "labels"),
    ({"expr": "x", "theme": "neon"}, None, "theme"),
    ({"expr": "x", "digits": "0"}, None, "digits"),
    ({"expr": "x", "digits": "many"}, None, "digits"),
    ({"expr": "x", "exact": "perhaps"}, None, "exact"),
    ({"expr": "(" * 300 + "x" + ")" * 300}, None, ""),
    ({"expr": "x+" * 15000 + "x"}, None, ""),
]


@pytest.mark.parametrize("route", ["/api/graph", "/api/view", "/graph.svg", "/graph.dot"])
@pytest.mark.parametrize(("params", "offset", "words"), BAD, ids=lambda value: str(value)[:40])
def test_bad_input_is_a_plain_400(client, route, params, offset, words):
    response = client.get(route, params=params)
    assert response.status_code == 400, response.text[:300]
    body = response.json()
    assert set(body) == {"detail", "offset"}
    assert isinstance(body["detail"], str) and body["detail"] and "Traceback" not in body["detail"]
    assert words in body["detail"]
    if offset is not None:
        assert body["offset"] == offset


@pytest.mark.parametrize("route", ["/api/view", "/graph.svg", "/graph.png"])
@pytest.mark.parametrize("step", ["-1", "last", "1.5"])
def test_a_step_that_is_not_a_step_is_a_400(client, route, step):
    response = client.get(route, params={"expr": "x*y", "step": step})
    assert response.status_code == 400 and "step" in response.json()["detail"]


@pytest.mark.parametrize("route", ["/graph.svg", "/graph.dot"])
def test_a_step_past_the_end_shows_the_end(client, route):
    # a link made for a longer expression still opens: on its last step
    past = client.get(route, params={"expr": "x*y", "step": "99"})
    end = client.get(route, params={"expr": "x*y", "step": "end"})
    assert past.status_code == 200 and past.content == end.content


def test_syntax_error_names_where(client):
    body = client.get("/api/graph", params={"expr": "(x+y)*"}).json()
    assert isinstance(body["offset"], int) and 0 <= body["offset"] <= len("(x+y)*")


def test_a_repeated_variable_is_refused(client):
    response = client.get("/api/graph?expr=x&x=1&x=2")
    assert response.status_code == 400 and "more than once" in response.json()["detail"]


def test_an_oversized_query_is_refused_before_parsing(client):
    client.app.dependency_overrides[get_settings] = lambda: Settings(max_query_chars=1000)
    response = client.get("/api/graph", params={"expr": "x", "pad": "1" * 2000})
    assert response.status_code == 400 and "limit" in response.json()["detail"]


def test_an_unknown_image_format_is_a_400(client):
    response = client.get("/graph.gif", params={"expr": "x"})
    assert response.status_code == 400 and response.json()["detail"]


def test_markup_in_an_error_comes_back_as_json_text(client):
    response = client.get("/api/graph", params={"expr": "<script>alert(1)</script>"})
    assert response.status_code == 400 and response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("expr", ["9**9**9**9", "exp(exp(exp(x)))", "1/0", "x^1e308"])
def test_overflow_is_an_answer_not_a_500(client, expr):
    response = client.get("/api/graph", params={"expr": expr, "x": "10"})
    assert response.status_code in (200, 400), response.text[:300]
    assert "NaN" not in response.text and "Infinity" not in response.text
