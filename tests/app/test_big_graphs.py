"""Big graphs draw through the real path (the app, its compute workers, real Graphviz) at every size the parser
accepts, in every shape of tests/shapes.py; past the documented count they are refused with a 400 that says so.
Timings are bench/big.py's, not these tests'."""

import re
import xml.etree.ElementTree as ElementTree

import pytest

from chainrule import engine
from chainrule.engine.groups import GROUP_NODES
from tests.shapes import SHAPES, mlp

SIZES = [10, 100, 400, 1_000, 2_499]


def boxes(svg: str) -> int:
    return len(re.findall(r'<g id="n[^"]*" class="node', svg))


@pytest.mark.parametrize("ops", SIZES)
@pytest.mark.parametrize("shape", SHAPES)
def test_a_graph_of_up_to_the_limit_draws_with_every_node_or_the_box_it_is_in(client, shape, ops):
    response = client.get("/graph.svg", params={"expr": SHAPES[shape](ops)})
    assert response.status_code == 200, response.text[:300]
    svg = response.text
    ElementTree.fromstring(svg.encode())
    nodes = len(client.get("/api/graph", params={"expr": SHAPES[shape](ops)}).json()["nodes"])
    big = nodes > GROUP_NODES
    assert ('class="graph big"' in svg) == big
    assert ('class="node group' in svg) == big    # every shape has groups to close once it is big
    if big:   # fewer boxes than nodes: what Graphviz lays out stays small
        assert boxes(svg) < nodes / 2
    else:
        assert boxes(svg) == nodes


@pytest.mark.parametrize("route", ["/graph.svg", "/api/graph", "/"])
def test_past_the_documented_count_of_operations_the_answer_is_a_400_that_names_it(client, route):
    limit = engine.LIMITS["max_ops"]
    assert limit >= 2_500
    response = client.get(route, params={"expr": mlp(limit + 1)})
    if route == "/":   # the page opens with the error in its box
        assert response.status_code == 200 and f"more than {limit} operations" in response.text
        return
    assert response.status_code == 400
    assert f"more than {limit} operations" in response.json()["detail"]


def test_a_drawing_past_the_drawing_count_is_refused_but_the_json_answers(client):
    # 700 sigmoids drawn as primitive gates (×−1, exp, +1, 1/x each) pass 2,500 gates; the parser counted 1,399
    params = {"expr": "+".join(f"sigmoid(x{k % 100})" for k in range(700)), "granularity": "primitive"}
    response = client.get("/graph.svg", params=params)
    assert response.status_code == 400
    assert f"drawings stop at {engine.LIMITS['max_draw_ops']:,}" in response.json()["detail"]
    assert client.get("/api/graph", params=params).status_code == 200


def test_a_named_group_opens_and_its_gates_are_drawn_inside_a_frame_named_for_it(client):
    expr = mlp(400)
    closed = client.get("/graph.svg", params={"expr": expr}).text
    opened = client.get("/graph.svg", params={"expr": expr, "open": "h3,h7"}).text
    assert 'id="open:h3"' in opened and 'id="open:h7"' in opened and "open:" not in closed
    # h3's tanh is drawn as a gate of its own once open, and as the box of the group before
    h3 = re.search(r'<g id="(n\d+)" class="node group[^"]*">\n<title>h3</title>', closed).group(1)
    assert re.search(rf'<g id="{h3}" class="node gate op&#45;tanh">', opened)
    assert boxes(opened) > boxes(closed)


def test_names_that_are_not_groups_are_ignored_so_a_link_survives_an_edit(client):
    expr = mlp(400)
    assert client.get("/graph.svg", params={"expr": expr, "open": "h3,nothing,q₁"}).status_code == 200
    response = client.get("/graph.svg", params={"expr": expr, "open": "x" * 5_000})
    assert response.status_code == 400 and "open is 5000 characters long" in response.json()["detail"]


@pytest.mark.parametrize("groups", ["all", "none"])
def test_groups_all_closes_them_at_any_size_and_none_draws_every_gate(client, groups):
    expr = "h = tanh(a*x + b*y + c); f = h*h"
    svg = client.get("/graph.svg", params={"expr": expr, "groups": groups}).text
    assert ('class="node group' in svg) == (groups == "all")
    big = client.get("/graph.svg", params={"expr": mlp(400), "groups": groups}).text
    assert ('class="node group' in big) == (groups == "all")
