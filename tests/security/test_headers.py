"""Security headers per route: a CSP with no inline script, framing by any origin only for /embed and the
images, nosniff and no referrer everywhere, on answers and refusals alike."""

import re

import pytest

Q = "expr=(x%2By)*z&x=-2&y=5&z=-4"
# route, may another site frame it
ROUTES = [
    ("/", False), (f"/?{Q}", False), ("/docs", False), ("/openapi.json", False), ("/healthz", False),
    (f"/api/graph?{Q}", False), (f"/api/view?{Q}", False), ("/static/app.css", False), ("/nowhere", False),
    ("/api/graph?expr=(x", False),
    (f"/embed?{Q}", True), ("/embed?expr=(x", True),
    (f"/graph.svg?{Q}", True), (f"/graph.png?{Q}", True), (f"/graph.pdf?{Q}", True), (f"/graph.dot?{Q}", True),
    (f"/qr.svg?{Q}", True), ("/graph.svg?expr=(x", True),
    (f"/slides.pdf?{Q}", True), (f"/slides.zip?{Q}", True), (f"/graph.tex?{Q}", True), (f"/graph.html?{Q}", True),
]


def directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in csp.split(";") if part.strip()}


@pytest.mark.parametrize(("route", "embeddable"), ROUTES)
def test_every_route_sends_the_security_headers(client, route, embeddable):
    response = client.get(route)
    assert response.status_code < 500
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    csp = directives(headers["content-security-policy"])
    assert csp["default-src"] in ("default-src 'self'", "default-src 'none'")
    assert "'unsafe-inline'" not in csp.get("script-src", "") and "'unsafe-eval'" not in csp.get("script-src", "")
    assert "*" not in csp.get("script-src", "") and "*" not in csp["default-src"]
    if embeddable:
        assert csp["frame-ancestors"] == "frame-ancestors *" and "x-frame-options" not in headers
    else:
        assert csp["frame-ancestors"] == "frame-ancestors 'none'" and headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("route", ["/", f"/?{Q}", f"/embed?{Q}", "/docs"])
def test_pages_carry_no_inline_script(client, route):
    html = client.get(route).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", re.sub(r"<svg.*</svg>", "", html, flags=re.S)), "inline handler"


def test_the_page_csp_takes_assets_from_self_only(client):
    csp = directives(client.get("/").headers["content-security-policy"])
    for name in ("default-src", "script-src", "font-src", "connect-src"):
        assert csp[name] == f"{name} 'self'"
    assert csp["object-src"] == "object-src 'none'" and csp["base-uri"] == "base-uri 'none'"


def test_refusals_of_the_http_layer_carry_the_headers_too(client):
    response = client.post("/api/graph?expr=x")
    assert response.status_code == 405
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
