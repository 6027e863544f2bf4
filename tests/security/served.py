"""A real `chainrule serve` in a subprocess (the CLI, its protocol, its pool), and what the tests read from it."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TICK_S = 1 / os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def chainrule_serve(**settings):
    """Run `chainrule serve` on a free loopback port with CHAINRULE_* settings; yield (port, process)."""
    port = free_port()
    env = {**os.environ, **{f"CHAINRULE_{name.upper()}": str(value) for name, value in settings.items()}}
    process = subprocess.Popen([sys.executable, "-m", "chainrule.app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while get(port, "/healthz", timeout=1)[0] != 200:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("chainrule serve did not start")
            time.sleep(0.2)
        yield port, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def get(port: int, path: str, timeout: float = 120, headers: dict | None = None) -> tuple[int, float, bytes, dict]:
    """GET an already encoded path; return (status, seconds, body, headers), status 0 when nothing answered."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - start, body, {k.lower(): v for k, v in response.getheaders()}
    except OSError:
        return 0, time.perf_counter() - start, b"", {}
    finally:
        connection.close()


def tree(pid: int) -> list[int]:
    """Return pid and every process it started, and they started, that is still running."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree_cpu_s(pid: int) -> float:
    """Return the CPU time of the process tree, ended children included (their time is in cutime/cstime)."""
    total = 0
    for current in tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(tick) for tick in fields[11:15])
        except (OSError, IndexError):
            continue
    return total * TICK_S


def tree_rss_mb(pid: int) -> float:
    """Return the resident memory of the process tree in MB."""
    total = 0
    for current in tree(pid):
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE_BYTES
        except (OSError, IndexError):
            continue
    return total / 2**20


def ask_all(port: int, paths: list[str]) -> list[tuple]:
    """GET every path at once (a thread each); return (path, status, seconds, body head, headers) per path.

    Run it in a process of its own, so that reading big answers does not slow the caller's own timing.
    """
    from concurrent.futures import ThreadPoolExecutor

    def ask(path: str):
        status, seconds, body, headers = get(port, path)
        return path[:60], status, seconds, body[:300], headers

    with ThreadPoolExecutor(len(paths)) as threads:
        return list(threads.map(ask, paths))
