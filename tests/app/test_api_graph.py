"""/api/graph keeps the contract of API.md, read with the seeds' worked examples."""

import json
import math

import pytest

from chainrule.app.presets import PRESETS

CS231N = {"expr": "(x+y)*z", "x": "-2", "y": "5", "z": "-4"}
NEURON = {"expr": "sigmoid(w0*x0 + w1*x1 + w2)", "w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"}


def graph(client, **params) -> dict:
    response = client.get("/api/graph", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_cs231n_add_mul_numbers(client):
    body = graph(client, **CS231N)
    assert body["output"]["value"] == -12
    assert {name: v["grad"] for name, v in body["variables"].items()} == {"x": -4, "y": -4, "z": 3}
    assert {name: v["value"] for name, v in body["variables"].items()} == {"x": -2, "y": 5, "z": -4}


def test_q_is_x_plus_y_gets_upstream_minus_4_and_passes_it_to_x(client):
    body = graph(client, **CS231N)
    nodes = {node["id"]: node for node in body["nodes"]}
    q = next(node for node in body["nodes"] if node["op"] == "add")
    into_q = [edge for edge in body["edges"] if edge["target"] == q["id"]]
    assert q["value"] == 3 and q["grad"] == -4
    assert [(nodes[e["source"]]["label"], e["upstream"], e["local"], e["downstream"]) for e in into_q] == [
        ("x", -4, 1, -4), ("y", -4, 1, -4)]


SCALAR_PRESETS = [p for p in PRESETS if "[" not in "".join(p.query.values.values())]  # arrays: test_arrays_api.py


@pytest.mark.parametrize("params", [CS231N, NEURON, *[{"expr": p.query.expr, **p.query.values} for p in SCALAR_PRESETS]],
                         ids=lambda params: params["expr"])
def test_every_edge_sends_upstream_times_local_and_every_grad_sums_its_shares(client, params):
    body = graph(client, **params)
    nodes = {node["id"]: node for node in body["nodes"]}
    for edge in body["edges"]:
        assert {"source", "target", "upstream", "local", "downstream", "local_formula"} <= edge.keys()
        assert edge["upstream"] == pytest.approx(nodes[edge["target"]]["grad"])
        assert edge["downstream"] == pytest.approx(edge["upstream"] * edge["local"])
    for node in body["nodes"]:
        shares = [edge["downstream"] for edge in body["edges"] if edge["source"] == node["id"]]
        expected = 1.0 if node["id"] == body["output"]["id"] else sum(shares)
        assert node["grad"] == pytest.approx(expected)
    for name, variable in body["variables"].items():
        node = next(node for node in body["nodes"] if node["op"] == "var" and node["label"] == name)
        assert variable["grad"] == pytest.approx(node["grad"])


def test_cs231n_neuron_dw2_is_positive(client):
    grads = {name: v["grad"] for name, v in graph(client, **NEURON)["variables"].items()}
    assert grads == pytest.approx({"w0": -0.197, "x0": 0.393, "w1": -0.393, "x1": -0.590, "w2": 0.197}, abs=1e-3)


def test_written_out_neuron_has_the_same_gradients(client):
    fused = graph(client, **NEURON)["variables"]
    written = graph(client, **{**NEURON, "expr": "1/(1+exp(-(w0*x0+w1*x1+w2)))"})["variables"]
    assert {n: v["grad"] for n, v in written.items()} == pytest.approx({n: v["grad"] for n, v in fused.items()})


def test_apple_and_orange_in_exact_arithmetic(client):
    body = graph(client, expr="(apple*apple_num + orange*orange_num)*tax", apple="100", apple_num="2",
                 orange="150", orange_num="3", tax="1.1", exact="true")
    assert body["output"]["value"] == pytest.approx(715)
    grads = {name: v["grad"] for name, v in body["variables"].items()}
    assert grads == pytest.approx({"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650})


def test_x_times_x_fans_out_and_the_shares_add_up(client):
    body = graph(client, expr="x*x", x="3")
    into = [edge["downstream"] for edge in body["edges"]]
    assert into == [3, 3] and body["variables"]["x"]["grad"] == 6


def test_log_of_zero_answers_inf_as_strings_not_a_500(client):
    response = client.get("/api/graph", params={"expr": "log(x)", "x": "0"})
    assert response.status_code == 200
    assert "NaN" not in response.text and "Infinity" not in response.text
    body = json.loads(response.text, parse_constant=lambda token: pytest.fail(f"bare {token}"))
    assert body["output"]["value"] == "-inf"
    assert body["variables"]["x"]["grad"] == "inf"


def test_zero_over_zero_is_the_string_nan(client):
    body = graph(client, expr="x/y", x="0", y="0")
    assert body["output"]["value"] == "nan"


def test_a_variable_without_a_value_gets_the_documented_default(client):
    from chainrule.engine import LIMITS

    body = graph(client, expr="a*b", a="2")
    assert body["variables"]["b"]["value"] == pytest.approx(float(LIMITS["default_value"]))


def test_unknown_parameters_are_ignored(client):
    assert graph(client, expr="x", x="1", utm_source="slides")["output"]["value"] == 1


def test_primitive_granularity_draws_sigmoid_as_gates(client):
    fused = graph(client, **NEURON)
    primitive = graph(client, **NEURON, granularity="primitive")
    assert len(primitive["nodes"]) > len(fused["nodes"])
    assert primitive["output"]["value"] == pytest.approx(fused["output"]["value"])
    assert not math.isnan(primitive["output"]["value"])


def test_share_draws_an_identical_subexpression_once(client):
    typed = client.get("/api/graph", params={"expr": "(x*y) + (x*y)"}).json()
    shared = client.get("/api/graph", params={"expr": "(x*y) + (x*y)", "share": "true"}).json()
    assert [n["op"] for n in typed["nodes"]].count("mul") == 2
    assert [n["op"] for n in shared["nodes"]].count("mul") == 1
    assert shared["variables"] == typed["variables"]  # the same gradients either way
