"""Every route answers: the page, embed, images, QR code, docs, health; with the security headers of each."""

import io
import xml.etree.ElementTree as ElementTree

import pytest
import segno

from chainrule.app.config import Settings, get_settings
from chainrule.app.presets import PRESETS
from chainrule.app.work import QR_STYLE

CS231N = {"expr": "(x+y)*z", "x": "-2", "y": "5", "z": "-4"}


def test_the_page_draws_the_default_preset_without_a_query(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<svg' in response.text and 'id="expr"' in response.text
    assert "(x + y)*z" in response.text
    for preset in PRESETS:
        assert preset.title in response.text


def test_the_page_draws_the_query_it_is_given(client):
    response = client.get("/", params=CS231N)
    assert response.status_code == 200
    assert 'class="graph"' in response.text and '<g id="n0"' in response.text


def test_the_page_with_a_bad_expression_still_opens_with_the_error(client):
    response = client.get("/", params={"expr": "(x +* y"})
    assert response.status_code == 200
    assert 'class="graph stale"' in response.text and '"offset": 4' in response.text


def test_user_text_is_escaped_in_the_page(client):
    response = client.get("/", params={"expr": '"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in response.text


def test_api_view_gives_graph_and_inline_svg(client):
    body = client.get("/api/view", params=CS231N).json()
    assert body["graph"]["output"]["value"] == -12
    assert body["svg"].startswith("<svg")
    ElementTree.fromstring(body["svg"])


@pytest.mark.parametrize(("fmt", "media_type", "magic"), [
    ("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("pdf", "application/pdf", b"%PDF-"), ("dot", "text/vnd.graphviz", b"digraph")])
def test_images_of_the_same_query(client, fmt, media_type, magic):
    response = client.get(f"/graph.{fmt}", params=CS231N)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.content.startswith(magic)
    assert "frame-ancestors *" in response.headers["content-security-policy"]


def test_svg_parses_and_carries_node_and_edge_ids(client):
    root = ElementTree.fromstring(client.get("/graph.svg", params=CS231N).content)
    ids = {element.get("id") for element in root.iter()}
    assert {"n0", "n4", "e0", "e3"} <= ids


def test_the_svg_names_the_numbers_of_the_lesson(client):
    text = client.get("/graph.svg", params=CS231N).text
    assert "−12" in text or "-12" in text


def test_embed_is_the_graph_alone_and_may_be_framed_anywhere(client):
    response = client.get("/embed", params=CS231N)
    assert response.status_code == 200
    assert "<svg" in response.text and 'id="expr"' not in response.text
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers


def test_embed_of_a_bad_expression_is_a_400_page(client):
    response = client.get("/embed", params={"expr": "x+"})
    assert response.status_code == 400 and "cannot be drawn" in response.text


@pytest.mark.parametrize("path", ["/", "/docs", "/api/graph?expr=x", "/healthz"])
def test_everything_else_refuses_to_be_framed(client, path):
    headers = client.get(path).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/embed?expr=x", "/graph.svg?expr=x", "/api/graph?expr=x", "/docs"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    csp = headers["content-security-policy"]
    assert "'unsafe-eval'" not in csp and "script-src 'self'" in csp or "default-src 'none'" in csp


def test_pages_have_no_inline_script_or_style_attributes(client):
    for path in ("/", "/embed?expr=x*y", "/docs", "/embed?expr=x%2B"):
        html = client.get(path).text
        assert "<script>" not in html and " onclick=" not in html and " onload=" not in html
        for script in html.split("<script")[1:]:
            head = script.split(">", 1)[0]
            assert "src=" in head or 'type="application/json"' in head, head


def test_qr_code_encodes_this_servers_page_for_the_same_query(client):
    response = client.get("/qr.svg", params=CS231N)
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    ElementTree.fromstring(response.content)


def qr_of(text: str) -> bytes:
    svg = io.BytesIO()
    segno.make(text, error="m").save(svg, **QR_STYLE)
    return svg.getvalue()


def test_qr_code_is_the_link_to_this_servers_page(client):
    response = client.get("/qr.svg", params={"expr": "x*y", "x": "2", "theme": "dark"})
    assert response.content == qr_of("http://testserver/?expr=x%2Ay&x=2&theme=dark")


def test_qr_code_uses_the_public_url_when_set(client):
    client.app.dependency_overrides[get_settings] = lambda: Settings(public_url="https://class.example")
    response = client.get("/qr.svg", params={"expr": "x*y", "x": "2"})
    assert response.content == qr_of("https://class.example/?expr=x%2Ay&x=2")


def test_a_link_too_long_for_a_qr_code_is_a_400(client):
    response = client.get("/qr.svg", params={"expr": "+".join(["x"] * 1500)})
    assert response.status_code == 400 and "QR" in response.json()["detail"]


def test_openapi_documents_the_graph_parameters(client):
    schema = client.get("/openapi.json").json()
    names = [p["name"] for p in schema["paths"]["/api/graph"]["get"]["parameters"]]
    assert names[:2] == ["expr", "granularity"] and "theme" in names
    assert client.get("/docs").status_code == 200


def test_static_assets_are_served_locally(client):
    for path in ("/static/app.css", "/static/js/page.js", "/static/vendor/katex-0.16.22/katex.min.js",
                 "/static/vendor/katex-0.16.22/fonts/KaTeX_Main-Regular.woff2",
                 "/static/vendor/swagger-ui-5.20.1/swagger-ui-bundle.js"):
        assert client.get(path).status_code == 200, path


def test_no_template_or_script_reaches_the_network():
    from chainrule.app.config import STATIC_DIR, TEMPLATES_DIR

    for folder in (TEMPLATES_DIR, STATIC_DIR / "js"):
        for path in folder.rglob("*"):
            if path.is_file():
                text = path.read_text()
                assert "http://" not in text and "https://" not in text, path


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_page_lists_every_op_of_the_engine(client):
    from chainrule import engine

    html = client.get("/").text
    for op in engine.OPS.values():
        assert f"<code>{op.name}</code>" in html, op.name


def test_every_preset_is_drawn_by_the_page(client):
    for preset in PRESETS:
        response = client.get("/?" + preset.query.query_string())
        assert response.status_code == 200 and 'class="graph"' in response.text, preset.slug
