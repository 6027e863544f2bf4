"""The HTTP layer's budget: only GET, no body, bounded query and headers; each refusal a JSON detail."""

import pytest

from chainrule.app.cli import http_head_bytes, parser
from chainrule.app.config import Settings, get_settings


def refused(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert detail and response.json()["offset"] is None
    return detail


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "HEAD"])
def test_only_reads_are_answered(client, method):
    response = client.request(method, "/api/graph?expr=x")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    if method != "HEAD":  # a HEAD answer has no body to carry the detail
        assert "GET" in refused(response, 405)


def test_a_body_is_refused_before_routing(client):
    response = client.request("GET", "/api/graph?expr=x", content=b"x" * 10_000)
    assert "no body" in refused(response, 413)


def test_a_chunked_body_is_refused(client):
    response = client.request("GET", "/api/graph?expr=x", headers={"transfer-encoding": "chunked"}, content=iter([b"x"]))
    refused(response, 413)


def test_huge_headers_are_refused(client):
    response = client.get("/api/graph?expr=x", headers={"x-padding": "a" * 20_000})
    assert "16384" in refused(response, 431)


def test_many_headers_are_refused(client):
    headers = {f"x-h{i}": "a" * 100 for i in range(200)}
    refused(client.get("/", headers=headers), 431)


@pytest.mark.parametrize("route", ["/", "/embed", "/api/graph", "/graph.svg", "/qr.svg", "/docs"])
def test_an_oversized_query_is_refused_on_every_route(client, route):
    client.app.dependency_overrides[get_settings] = lambda: Settings(max_query_chars=1000)
    detail = refused(client.get(route, params={"expr": "x", "pad": "1" * 2000}), 400)
    assert "limit is 1000" in detail


def test_a_query_within_the_limit_is_answered(client):
    client.app.dependency_overrides[get_settings] = lambda: Settings(max_query_chars=1000)
    assert client.get("/api/graph", params={"expr": "x", "pad": "1" * 900}).status_code == 200


def test_serve_takes_workers_and_reads_a_query_of_the_full_budget():
    assert parser().parse_args(["serve", "--workers", "4"]).workers == 4
    assert parser().parse_args(["serve"]).workers == 1
    settings = Settings()
    assert http_head_bytes() >= settings.max_query_chars + settings.max_header_bytes
