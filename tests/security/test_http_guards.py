"""`chainrule serve` against slow and greedy clients (issue 14, items 2 and 9), and links that never come from
the Host header (item 8). Real server, real sockets."""

import json
import signal
import socket
import time
from urllib.parse import urlencode

import pytest

from served import chainrule_serve, get

GUARDS = {"head_timeout_s": 1.0, "max_connections": 8, "max_pending_head_bytes": 200_000}


@pytest.fixture(scope="module")
def port():
    with chainrule_serve(**GUARDS) as (port, _):
        yield port


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    return sock


def answer_of(sock: socket.socket) -> bytes:
    """Return what the server sends before it closes (b"" for a silent close)."""
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return data


def test_a_client_that_trickles_its_headers_is_cut_off_at_the_head_deadline(port):
    sock = connect(port)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: a\r\n")
    start = time.monotonic()
    try:
        while time.monotonic() - start < 5:  # a header line every 0.3 s: never idle, never finished
            sock.sendall(b"X-Slow: 1\r\n")
            time.sleep(0.3)
    except (BrokenPipeError, ConnectionResetError):
        pass
    seconds = time.monotonic() - start
    assert answer_of(sock).startswith(b"HTTP/1.1 408") or seconds < 5
    assert seconds < GUARDS["head_timeout_s"] + 1.5


def test_a_connection_that_sends_nothing_is_closed_at_the_head_deadline(port):
    sock = connect(port)
    start = time.monotonic()
    assert answer_of(sock) == b""
    assert time.monotonic() - start < GUARDS["head_timeout_s"] + 1.5


def test_the_connections_past_the_cap_are_refused_at_once(port):
    held = [connect(port) for _ in range(GUARDS["max_connections"])]
    time.sleep(0.2)
    extra = connect(port)
    assert answer_of(extra).startswith(b"HTTP/1.1 503")
    for sock in held:
        sock.close()


def test_unfinished_request_heads_share_one_byte_budget(port):
    first, second, third = (connect(port) for _ in range(3))
    for sock in (first, second):
        sock.sendall(b"GET /api/graph?expr=" + b"x" * 90_000)  # a request line, never finished
    time.sleep(0.2)
    third.sendall(b"GET /api/graph?expr=" + b"x" * 90_000)
    assert answer_of(third).startswith(b"HTTP/1.1 503")
    assert answer_of(first).startswith(b"HTTP/1.1 408")  # the others end at their deadline


def test_a_finished_request_is_answered_after_all_that(port):
    assert get(port, "/api/graph?expr=x*y&x=2&y=3")[0] == 200


def test_a_request_head_past_its_size_is_refused(port):
    status, seconds, _, _ = get(port, "/api/graph?expr=" + "x" * 130_000, timeout=5)
    assert status in (0, 400, 431) and seconds < 3  # 0: closed while the client was still sending


def test_links_and_qr_codes_never_come_from_the_host_header(port):
    query = urlencode({"expr": "x*y", "x": "2"})
    for route in ("/embed", "/qr.svg", "/"):
        honest = get(port, f"{route}?{query}")
        forged = get(port, f"{route}?{query}", headers={"Host": "evil.example"})
        assert honest[0] == forged[0] == 200 and honest[2] == forged[2], route
        assert b"evil.example" not in forged[2]
    assert f"http://127.0.0.1:{port}/?".encode() in get(port, f"/embed?{query}")[2]


def test_shutdown_ends_within_seconds_with_a_heavy_request_in_flight():
    costly = urlencode({"expr": "sin(x)*x+x", "x": "[" + ",".join(["1"] * 9_999) + "]"})
    with chainrule_serve(task_cpu_s=60, shutdown_timeout_s=2) as (port, server):
        sock = connect(port)
        sock.sendall(f"GET /api/graph?{costly}&y=1 HTTP/1.1\r\nHost: a\r\n\r\n".encode())
        time.sleep(0.5)
        start = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        assert time.monotonic() - start < 5
        sock.close()
