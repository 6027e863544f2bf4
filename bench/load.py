"""A class at once, on loopback: N clients open the same shared link within a window, then each changes a value.

    python3 bench/load.py                     # 300 clients, `chainrule serve` as it starts by default
    python3 bench/load.py --clients 30 --window 2
    python3 bench/load.py --memory 300        # then 300 distinct large answers: the server's memory before/after
    python3 bench/load.py --before /tmp/old   # the same first against another checkout (the code before)

Starts `chainrule serve --workers W` on a free 127.0.0.1 port, runs the two phases, prints p50, p99 and
requests/s of each, and stops the server. Exits 1 when any request failed (an error status or no answer).
Every client makes a fixed number of requests, so the run ends by itself. The memory phase asks for N
answers of ~330 KB each (x*x+x over 3,000 elements), half of them differing only by a value the expression
does not use, and prints the resident memory of the server and every process it started.
"""

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
SHARED = {"expr": "sigmoid(w0*x0 + w1*x1 + w2)", "w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3",
          "theme": "projector"}


@dataclass
class Phase:
    """The requests of one phase: their latencies, failures, and the wall time it took."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")

    def report(self) -> str:
        ordered = sorted(self.latencies)
        p50, p99 = self.p50, self.p99
        rate = len(ordered) / self.seconds if self.seconds else 0.0
        return (f"{self.name:<14} {len(ordered):5d} requests  errors {len(self.errors):3d}  "
                f"p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  {rate:7.1f} requests/s  "
                f"({self.seconds:.1f} s)")


def free_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int | None = None, root: Path = ROOT) -> subprocess.Popen:
    """Start `chainrule serve --workers N` (as it starts by default when None) of the checkout at `root` on
    127.0.0.1:port and return the process once it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "chainrule.app.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         *(["--workers", str(workers)] if workers is not None else [])], cwd=root, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


async def fetch(client: httpx.AsyncClient, url: str, phase: Phase) -> None:
    """GET url once, recording its latency, or its failure."""
    start = time.perf_counter()
    try:
        response = await client.get(url)
        if response.status_code != 200:
            phase.errors.append(f"{response.status_code} {url[:80]}")
    except httpx.HTTPError as error:
        phase.errors.append(f"{type(error).__name__} {url[:80]}")
        return
    phase.latencies.append(time.perf_counter() - start)


async def student(client: httpx.AsyncClient, delay: float, urls: list[str], phase: Phase) -> None:
    """Wait `delay` seconds, then make these requests one after another, as a page does."""
    await asyncio.sleep(delay)
    for url in urls:
        await fetch(client, url, phase)


async def run_phase(client: httpx.AsyncClient, phase: Phase, plans: list[list[str]], window: float) -> Phase:
    """Run every client's plan, each starting at a random moment within the window."""
    start = time.perf_counter()
    await asyncio.gather(*(student(client, random.uniform(0, window), urls, phase) for urls in plans))
    phase.seconds = time.perf_counter() - start
    return phase


async def class_at_once(base: str, clients: int, window: float) -> tuple[Phase, Phase]:
    """Return the two phases: everyone opens the shared link (page, then the page's /api/view), then each
    changes x0 to a value of their own (/api/view, as the page asks when a value changes)."""
    shared = urlencode(SHARED)
    opening = [[f"{base}/?{shared}", f"{base}/static/app.css", f"{base}/static/js/page.js",
                f"{base}/api/view?{shared}"] for _ in range(clients)]
    changing = [[f"{base}/api/view?{urlencode({**SHARED, 'x0': f'{-1 + (i + 1) / 1000:g}'})}"]
                for i in range(clients)]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        first = await run_phase(client, Phase("open link"), opening, window)
        second = await run_phase(client, Phase("change value"), changing, window)
    return first, second


def tree_rss_mb(pid: int) -> float:
    """Return the proportional resident memory (PSS: a page shared by n processes counts 1/n in each) of
    process pid and all its descendants, in MB: forked workers share the engine's pages with their parent."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(rollup.split("\nPss:")[1].split()[0]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / 2**20


async def distinct_large_answers(base: str, count: int) -> Phase:
    """Ask for `count` large answers one after another: half under distinct values, half under ignored names."""
    ones = ",".join(["1"] * 2_999)
    phase = Phase("large answers")
    async with httpx.AsyncClient(timeout=60) as client:
        start = time.perf_counter()
        for i in range(count):
            params = {"expr": "x*x+x", "x": f"[{i // 2},{ones}]"} if i % 2 == 0 else \
                {"expr": "x*x+x", "x": f"[0,{ones}]", "k": str(i)}
            await fetch(client, f"{base}/api/graph?{urlencode(params)}", phase)
        phase.seconds = time.perf_counter() - start
    return phase


def run(clients: int, window: float, workers: int = 1, memory: int = 0, root: Path = ROOT) -> tuple[list[Phase], list[str]]:
    """Serve the checkout at `root`, run the phases, stop the server; return the phases and the memory lines."""
    port = free_port()
    server = start_server(port, workers, root)
    lines = []
    try:
        base = f"http://127.0.0.1:{port}"
        lines.append(f"server memory (PSS) at start: {tree_rss_mb(server.pid):.0f} MB")
        phases = list(asyncio.run(class_at_once(base, clients, window)))
        lines.append(f"after the class: {tree_rss_mb(server.pid):.0f} MB")
        if memory:
            phases.append(asyncio.run(distinct_large_answers(base, memory)))
            lines.append(f"after {memory} large answers: {tree_rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=15)
    return phases, lines


def main(argv: list[str] | None = None) -> int:
    """Run the load test (and with --before, first the same against another checkout); return 0 when no request
    failed."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--clients", type=int, default=300)
    args.add_argument("--window", type=float, default=10.0, help="seconds over which the clients arrive")
    args.add_argument("--workers", type=int, default=1, help="server processes (chainrule serve --workers)")
    args.add_argument("--memory", type=int, default=0, metavar="N", help="then N distinct large answers")
    args.add_argument("--before", type=Path, help="a checkout of the code before, run first the same way")
    options = args.parse_args(argv)
    failed = False
    for label, root in ([("before", options.before)] if options.before else []) + [("now", ROOT)]:
        phases, memory = run(options.clients, options.window, options.workers, options.memory, root)
        print(f"{label}: {options.clients} clients, {options.workers} server processes, arriving within "
              f"{options.window:g} s (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        print("; ".join(memory))
        for phase in phases:
            print(phase.report())
            for error in phase.errors[:5]:
                print("   ", error)
        failed = failed or any(phase.errors for phase in phases)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
