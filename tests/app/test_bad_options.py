"""Every bad option is a 400 that says what is wrong (issue 14, items 6 and 10): digits that are not ASCII
digits, a variable named like an option (which could never get a value), `exact=` with no value."""

import pytest

from chainrule.app.query import OPTION_NAMES

CASES = [  # query parameters, what the detail says
    ({"expr": "x", "digits": "²"}, "digits must be a whole number"),
    ({"expr": "x", "digits": "٣"}, "digits must be a whole number"),
    ({"expr": "x", "digits": "1²"}, "digits must be a whole number"),
    ({"expr": "x", "step": "²"}, "step must be a number from 0, or end"),
    ({"expr": "x", "step": "१"}, "step must be a number from 0, or end"),
    ({"expr": "x", "exact": ""}, "exact is given with no value"),
    ({"expr": "x", "share": ""}, "share is given with no value"),
    ({"expr": "x", "callouts": ""}, "callouts is given with no value"),
]


@pytest.mark.parametrize(("params", "detail"), CASES)
def test_a_bad_option_is_a_400_that_names_it(client, params, detail):
    response = client.get("/api/graph", params=params)
    assert response.status_code == 400 and detail in response.json()["detail"]


@pytest.mark.parametrize("name", OPTION_NAMES)
def test_a_variable_named_like_an_option_is_refused_with_its_offset(client, name):
    expr = f"2*y + {name}"
    response = client.get("/api/graph", params={"expr": expr, name if name != "expr" else "y": "1"})
    assert response.status_code == 400
    body = response.json()
    assert f"{name} is the name of an option" in body["detail"] and body["offset"] == expr.index(name)


def test_a_name_that_only_contains_an_option_s_name_is_a_variable(client):
    response = client.get("/api/graph", params={"expr": "steps*exactly", "steps": "2", "exactly": "3"})
    assert response.status_code == 200 and response.json()["output"]["value"] == 6


@pytest.mark.parametrize("route", ["/api/graph", "/graph.svg", "/api/view", "/graph.tex"])
def test_digits_and_step_in_ascii_are_still_taken(client, route):
    assert client.get(route, params={"expr": "x*y", "digits": "12", "step": "2"}).status_code == 200
