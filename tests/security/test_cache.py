"""A class at once: the same canonical query is computed once per server process (at once or later), has one
strong ETag, and a repeat with If-None-Match is a 304 with no body; the cache is bounded in bytes."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from chainrule.app import pool
from chainrule.app.cache import LRU, Answer, matches
from chainrule.app.config import Settings, get_settings
from chainrule.app.main import create_app
from chainrule.app.work import etag_of

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


def test_a_repeat_is_served_from_the_lru_without_the_pool(client):
    client.get("/api/view", params=CS231N)
    computed = pool.shared().done
    assert client.get("/api/view", params=CS231N).status_code == 200
    assert pool.shared().done == computed and client.app.state.results.hits >= 1


@pytest.mark.parametrize("route", ["/", "/embed", "/graph.tex", "/slides.pdf"])
def test_the_page_and_the_exports_are_cached_too(client, route):
    first = client.get(route, params=CS231N)
    computed = pool.shared().done
    again = client.get(route, params=CS231N)
    assert pool.shared().done == computed and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]


def test_identical_requests_in_flight_are_computed_once():
    app = create_app()
    slow = {"expr": "+".join(f"sin(x{i})*x{i}" for i in range(40)), "exact": "false"}  # ~0.1 s: they overlap

    async def class_at_once():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://testserver") as http:
            return await asyncio.gather(*(http.get("/api/view", params=slow) for _ in range(8)))

    computed = pool.shared().done
    # a thread of its own: Playwright's sync API may hold this thread's event loop (browser tests in the same run)
    with ThreadPoolExecutor(1) as thread:
        answers = thread.submit(asyncio.run, class_at_once()).result()
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    # seven joined the first one's computation (the shared pool's count may also hold other tests' stragglers)
    assert app.state.shared.in_flight.joined == 7 and pool.shared().done >= computed + 1


def test_values_of_names_the_expression_does_not_use_make_no_new_entry(client):
    tags = {client.get("/api/graph", params={**CS231N, "k": str(k)}).headers["etag"] for k in range(5)}
    assert len(tags) == 1 and len(client.app.state.results.entries) == 1
    assert "k=" not in client.get("/api/view", params={**CS231N, "k": "9"}).json()["query"]


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


def answer(size: int) -> Answer:
    return Answer(b"x" * size, "text/plain", '"tag"')


def test_the_lru_forgets_the_least_recently_used_past_its_bytes():
    lru = LRU(size=2_000, max_answer=1_000)
    lru.put("a", answer(900))
    lru.put("b", answer(900))
    assert lru.get("a") is not None
    lru.put("c", answer(900))
    assert lru.get("b") is None and lru.get("a") is not None and lru.get("c") is not None
    assert lru.bytes <= lru.size


def test_an_answer_over_the_size_limit_is_not_kept():
    lru = LRU(size=10_000, max_answer=1_000)
    lru.put("big", answer(1_000))
    assert lru.get("big") is None and lru.bytes == 0


def test_the_cache_holds_its_bytes_whatever_the_answers(client):
    client.app.dependency_overrides[get_settings] = lambda: Settings(cache_bytes=30_000, cache_max_answer_bytes=20_000)
    for x in range(30):
        assert client.get("/api/view", params={**CS231N, "x": str(x)}).status_code == 200
    results = client.app.state.results
    assert 0 < results.bytes <= 30_000 and sum(len(a.body) for a in results.entries.values()) <= 30_000


@pytest.mark.parametrize(("header", "hit"), [
    ('"abc"', True), ('W/"abc"', True), ('"x", "abc"', True), ("*", True), ('"abcd"', False), ("", False)])
def test_if_none_match_parsing(header, hit):
    assert matches(header, '"abc"') is hit
