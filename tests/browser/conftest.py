"""Browser fixtures: a real uvicorn on a free loopback port, a second origin for iframes, and Debian's chromium."""

import http.server
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from playwright import sync_api as playwright_api  # not importorskip: browser tests are not optional

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def server() -> str:
    """Return the base URL of chainrule served by uvicorn in a subprocess, for the whole session."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "chainrule.app.main:app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("uvicorn did not start")
        time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def other_origin(tmp_path_factory, server) -> str:
    """Return the base URL of a second, unrelated web server: /slides.html frames chainrule's /embed, /deck.html
    is an empty frame in a deck that records what reaches it."""
    folder = tmp_path_factory.mktemp("slides")
    (folder / "slides.html").write_text(
        "<!doctype html><title>slides</title><link rel=icon href='data:,'><h1>Lecture 4</h1>"
        f'<iframe id="graph" src="{server}/embed?expr=(x%2By)*z&x=-2&y=5&z=-4" width="800" height="450"></iframe>')
    # A deck on another site: it records the messages the frame posts (as Reveal.js's postMessage API receives
    # them) and the keys that reach the deck itself once the frame hands the keyboard back.
    (folder / "deck.html").write_text(
        "<!doctype html><title>deck</title><link rel=icon href='data:,'><h1>Lecture 4</h1>"
        '<iframe id="graph" width="960" height="540" style="border:0"></iframe><script src="deck.js"></script>')
    (folder / "deck.js").write_text(
        "window.received = []; window.keys = [];"
        "addEventListener('message', (event) => received.push(event.data));"
        "addEventListener('keydown', (event) => keys.push(event.key));")
    handler = lambda *args: http.server.SimpleHTTPRequestHandler(*args, directory=str(folder))  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    httpd.RequestHandlerClass.log_message = lambda *args: None
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Return Debian's chromium driven by Playwright, for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """Return a fresh 1280x720 page that fails the test on any console error or failed request."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=server)
    context.set_default_timeout(10_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    problems = page.console_problems = []  # a test that expects an error takes it out of this list
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not [p for p in problems if "400" not in p], problems


@pytest.fixture(scope="session")
def shoot():
    """Return a function that saves a screenshot of a page as screenshots/NAME.png and returns its path."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return save
