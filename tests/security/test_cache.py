"""A class at once: the same canonical query is computed once per worker, has one strong ETag, and a repeat
with If-None-Match is a 304 with no body."""

import pytest

import engine
from app.cache import LRU, etag_of, matches
from app.config import Settings, get_settings

CS231N = {"expr": "(x+y)*z", "x": "-2", "y": "5", "z": "-4"}
CACHED = ["/api/graph", "/api/view", "/graph.svg", "/graph.png", "/graph.pdf", "/graph.dot", "/embed"]


@pytest.mark.parametrize("route", CACHED)
def test_the_same_query_gives_the_same_bytes_and_etag(client, route):
    first, second = client.get(route, params=CS231N), client.get(route, params=CS231N)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"] == etag_of(first.content)
    assert first.headers["cache-control"] == "public, max-age=3600"


@pytest.mark.parametrize("route", CACHED)
def test_if_none_match_is_a_304_without_a_body(client, route):
    etag = client.get(route, params=CS231N).headers["etag"]
    again = client.get(route, params=CS231N, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and again.headers["x-content-type-options"] == "nosniff"
    stale = client.get(route, params=CS231N, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_a_repeat_is_served_from_the_lru_without_the_engine(client, monkeypatch):
    client.get("/api/view", params=CS231N)
    monkeypatch.setattr(engine, "analyze", lambda *args, **kwargs: pytest.fail("computed again"))
    assert client.get("/api/view", params=CS231N).status_code == 200
    assert client.app.state.results.hits >= 1


def test_the_key_is_the_canonical_query(client):
    spelled = client.get("/api/graph", params={**CS231N, "exact": "1", "digits": "3"})
    canonical = client.get("/api/graph", params={**CS231N, "exact": "true"})
    assert spelled.headers["etag"] == canonical.headers["etag"]
    assert len(client.app.state.results.entries) == 1


def test_a_different_value_is_a_different_answer(client):
    tags = {client.get("/api/graph", params={**CS231N, "x": str(x)}).headers["etag"] for x in range(5)}
    assert len(tags) == 5


@pytest.mark.parametrize("route", ["/api/graph", "/graph.svg", "/embed"])
def test_errors_are_not_cached(client, route):
    response = client.get(route, params={"expr": "(x"})
    assert response.status_code == 400
    results = getattr(client.app.state, "results", None)
    assert "etag" not in response.headers and (results is None or not results.entries)


def test_embed_is_cached_per_public_address(client):
    client.app.dependency_overrides[get_settings] = lambda: Settings(public_url="https://a.example")
    a = client.get("/embed", params=CS231N)
    client.app.dependency_overrides[get_settings] = lambda: Settings(public_url="https://b.example")
    b = client.get("/embed", params=CS231N)
    assert "https://a.example/?" in a.text and "https://b.example/?" in b.text


def test_the_lru_forgets_the_least_recently_used():
    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1
    lru.put("c", 3)
    assert lru.get("b") is None and lru.get("a") == 1 and lru.get("c") == 3


@pytest.mark.parametrize(("header", "hit"), [
    ('"abc"', True), ('W/"abc"', True), ('"x", "abc"', True), ("*", True), ('"abcd"', False), ("", False)])
def test_if_none_match_parsing(header, hit):
    assert matches(header, '"abc"') is hit
