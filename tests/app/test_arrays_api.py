"""Vectors and matrices through every route: the seeds' array examples with their numbers, shapes, upstream, errors."""

import json
import xml.etree.ElementTree as ElementTree

import numpy
import pytest

from chainrule.app.presets import PRESETS

RELU = {"expr": "relu(x)", "x": "[1,-2,3,-1]", "upstream": "[4,-1,5,9]"}
WX = {"expr": "sqnorm(W @ x)", "W": "[[0.1,0.5],[-0.3,0.8]]", "x": "[0.2,0.4]"}
SHAPE_ERROR = {"expr": "W @ x", "W": "[[1,2],[3,4],[5,6]]", "x": "[1,2,3]"}
ROUTES = ["/api/graph", "/api/view", "/graph.svg", "/graph.png", "/graph.pdf", "/graph.dot", "/graph.tex",
          "/slides.pdf", "/slides.zip", "/embed", "/", "/qr.svg"]


def graph_of(client, params) -> dict:
    response = client.get("/api/graph", params=params)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def grads(client, params) -> dict:
    return {name: variable["grad"] for name, variable in graph_of(client, params)["variables"].items()}


def close(actual, expected):
    """True when the (nested) lists agree to 1e-12."""
    return numpy.allclose(actual, expected, rtol=0, atol=1e-12) and numpy.shape(actual) == numpy.shape(expected)


def test_cs231n_relu_with_upstream_4_m1_5_9_sends_back_4_0_5_0(client):
    graph = graph_of(client, RELU)
    assert graph["upstream"] == [4, -1, 5, 9]
    assert graph["output"]["value"] == [1, 0, 3, 0]
    assert close(graph["variables"]["x"]["grad"], [4, 0, 5, 0])
    [edge] = graph["edges"]
    assert edge["upstream"] == [4, -1, 5, 9] and edge["local"] == [1, 0, 1, 0]
    assert close(edge["downstream"], [4, 0, 5, 0]) and edge["local_formula"] == "diag([x > 0])"


def test_cs231n_relu_written_out_as_sum_of_g_times_relu(client):
    assert close(grads(client, {"expr": "sum(g*relu(x))", "g": "[4,-1,5,9]", "x": "[1,-2,3,-1]"})["x"],
                 [4, 0, 5, 0])


def test_without_upstream_an_array_output_starts_from_ones(client):
    graph = graph_of(client, {**RELU, "upstream": ""})
    assert graph["upstream"] == [1, 1, 1, 1] and close(graph["variables"]["x"]["grad"], [1, 0, 1, 0])


def test_d2l_2_xTx_has_grad_4x(client):
    graph = graph_of(client, {"expr": "2*dot(x, x)", "x": "[0,1,2,3]"})
    assert graph["output"]["value"] == 28 and close(graph["variables"]["x"]["grad"], [0, 4, 8, 12])


def test_cs231n_wx_grads_are_2q_xT_and_2WT_q(client):
    graph = graph_of(client, WX)
    assert close(graph["output"]["value"], 0.116)
    assert close(graph["variables"]["W"]["grad"], [[0.088, 0.176], [0.104, 0.208]])
    assert close(graph["variables"]["x"]["grad"], [-0.112, 0.636])
    matmul = next(node for node in graph["nodes"] if node["op"] == "matmul")
    assert matmul["shape"] == [2] and close(matmul["value"], [0.22, 0.26]) and close(matmul["grad"], [0.44, 0.52])
    into = {edge["source"]: edge for edge in graph["edges"] if edge["target"] == matmul["id"]}
    by_name = {node["name"]: node["id"] for node in graph["nodes"]}
    assert into[by_name["W"]]["local"] is None and into[by_name["W"]]["local_formula"] == "·x^T"
    assert into[by_name["x"]]["local_formula"] == "W^T·"


def test_shapes_are_lists_empty_for_numbers(client):
    graph = graph_of(client, {**WX, "expr": "sqnorm(W @ x) * k", "k": "2"})
    shapes = {node["text"]: node["shape"] for node in graph["nodes"]}
    assert shapes["W"] == [2, 2] and shapes["x"] == [2] and shapes["W @ x"] == [2] and shapes["k"] == []
    assert graph["variables"]["W"]["shape"] == [2, 2]


def test_d2l_detach_gives_grad_u(client):
    graph = graph_of(client, {"expr": "sum(detach(x*x)*x)", "x": "[0,1,2,3]"})
    assert close(graph["variables"]["x"]["grad"], [0, 1, 4, 9])
    assert "detach" in graph["gradcheck"]["x"]["note"]


def test_every_array_preset_answers_with_arrays_and_a_passing_gradient_check(client):
    arrays = [preset for preset in PRESETS if "[" in "".join(preset.query.values.values())]
    assert len(arrays) >= 7
    for preset in arrays:
        graph = graph_of(client, preset.query.params())
        assert any(node["shape"] for node in graph["nodes"]), preset.slug
        checks = [check for check in graph["gradcheck"].values() if "note" not in check]  # detach differs on purpose
        assert all(check["rel_error"] < 1e-5 for check in checks), preset.slug


@pytest.mark.parametrize("preset", [p for p in PRESETS if "[" in "".join(p.query.values.values())],
                         ids=lambda preset: preset.slug)
def test_every_edge_carries_the_targets_grad_and_every_grad_sums_its_shares(client, preset):
    graph = graph_of(client, preset.query.params())
    nodes = {node["id"]: node for node in graph["nodes"]}
    for edge in graph["edges"]:
        target, source = nodes[edge["target"]], nodes[edge["source"]]
        assert numpy.shape(edge["upstream"]) == tuple(target["shape"]) and close(edge["upstream"], target["grad"])
        assert numpy.shape(edge["downstream"]) == tuple(source["shape"])
    for node in graph["nodes"]:
        if node["id"] != graph["output"]["id"]:
            shares = [edge["downstream"] for edge in graph["edges"] if edge["source"] == node["id"]]
            assert close(numpy.sum(shares, axis=0), node["grad"]), node["name"]


def test_two_layer_net_relu_blocks_the_third_hidden_unit(client):
    preset = next(preset for preset in PRESETS if preset.slug == "two-layer-net")
    graph = graph_of(client, preset.query.params())
    relu = next(node for node in graph["nodes"] if node["op"] == "relu")
    assert relu["value"][2] == 0 and graph["variables"]["W1"]["grad"][2] == pytest.approx([-0.012, 0.002])


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_answers_an_array_query(client, route):
    response = client.get(route, params=RELU)
    assert response.status_code == 200, response.text[:300]


def test_the_view_carries_upstream_in_its_canonical_query_and_draws_shapes(client):
    body = client.get("/api/view", params=RELU).json()
    assert "upstream=%5B4%2C-1%2C5%2C9%5D" in body["query"]
    ElementTree.fromstring(body["svg"])
    assert client.get("/api/view", params={"expr": "relu(x)", "x": "[1,-2,3,-1]"}).json()["query"] == \
        "expr=relu%28x%29&x=%5B1%2C-2%2C3%2C-1%5D"


def test_the_same_query_gives_the_same_drawing_with_and_without_a_cache_hit(client):
    first = client.get("/graph.dot", params=WX).text
    assert client.get("/graph.dot", params=WX).text == first and "2×2" in first


def test_the_openapi_documents_upstream(client):
    schema = client.get("/openapi.json").json()
    assert "upstream" in [p["name"] for p in schema["paths"]["/api/graph"]["get"]["parameters"]]


def test_the_page_embeds_array_values_for_its_script(client):
    response = client.get("/", params=WX)
    start = response.text.index('id="initial"')
    assert "[[0.1,0.5],[-0.3,0.8]]" in response.text[start:] or "0.088" in response.text[start:]


BAD = [
    # (query, offset or None, words the detail must contain)
    (SHAPE_ERROR, 0, "W (3×2) @ x (3) at 0: inner dimensions differ"),
    ({"expr": "2*(W @ x)", "W": "[[1,2],[3,4],[5,6]]", "x": "[1,2,3]"}, 3, "inner dimensions differ"),
    ({**RELU, "upstream": "[4,-1,5]"}, None, "upstream has shape 3 but the output has shape 4"),
    ({**RELU, "upstream": "[4,-1,5,"}, None, "upstream"),
    ({**RELU, "upstream": "[4,-1,5,NaN]"}, None, "upstream"),
    ({"expr": "x", "x": "[1,2"}, None, "value of x is not a JSON array of numbers"),
    ({"expr": "x", "x": "[]"}, None, "non-empty"),
    ({"expr": "x", "x": "[[1,2],[3]]"}, None, "rows of equal length"),
    ({"expr": "x", "x": '[1,"a"]'}, None, "numbers only"),
    ({"expr": "x", "x": "[[[1]]]"}, None, "x"),
    ({"expr": "x", "x": "[1e999]"}, None, "x"),
    ({"expr": "x", "x": "[" + ",".join(["1"] * 10_001) + "]"}, None, "longer than"),
    ({"expr": "x*y", "x": "[1,2]", "y": "[1,2,3]"}, None, ""),
    ({**WX, "exact": "true"}, None, "exact"),
]


@pytest.mark.parametrize("route", ["/api/graph", "/api/view", "/graph.svg", "/graph.dot"])
@pytest.mark.parametrize(("params", "offset", "words"), BAD, ids=lambda value: str(value)[:40])
def test_a_bad_array_or_shape_is_a_plain_400(client, route, params, offset, words):
    response = client.get(route, params=params)
    assert response.status_code == 400, response.text[:300]
    body = response.json()
    assert set(body) == {"detail", "offset"} and words in body["detail"] and "Traceback" not in body["detail"]
    if offset is not None:
        assert body["offset"] == offset


def test_a_shape_error_in_the_page_is_shown_not_a_500(client):
    response = client.get("/", params=SHAPE_ERROR)
    assert response.status_code == 200 and "inner dimensions differ" in json.dumps(response.text)
