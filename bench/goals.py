"""Issue 13's latency goals, each printed beside its measurement and the number it had before, in one run.

    python3 bench/goals.py                          # this checkout
    python3 bench/goals.py --before /tmp/before     # and a checkout of the code before, measured the same way
    python3 bench/goals.py --no-browser             # skip the keystroke goal (Chromium)

Each checkout is served as `chainrule serve` starts by default (its own port), and every request asks for
values no request asked before, so no answer comes from the cache: what is timed is the whole work of one
answer, over HTTP on loopback, one request at a time:

- /api/graph and /graph.svg for every worked example of the seed notes (app/presets.py);
- /api/graph for a 1,000-operation expression (bench/engine.py's random tree of +, * and relu over 16
  variables);
- a keystroke in a value field to the new drawing in the page's DOM, in Chromium (Playwright): the time from
  the key's `keydown` to the moment the <svg> is replaced and `body.updating` is gone.

Figures are medians (p50) of N requests (`--repeat`). With --before both checkouts are served at once and
take turns request by request (and keystroke by keystroke), so the machine's other load falls on both alike;
the load average is printed with the figures.
"""

import argparse
import importlib.util
import os
import random
import re
import statistics
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
from chainrule.app.presets import PRESETS  # noqa: E402


def _script(name: str):
    """Returns bench/NAME.py as a module (bench/engine.py is not chainrule.engine)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


random_text = _script("engine").random_text
load = _script("load")
free_port, start_server = load.free_port, load.start_server

# goal name -> the goal, in milliseconds (p50)
GOALS = {
    "/api/graph, seed examples": 5.0,
    "/api/graph, 1,000 ops": 60.0,
    "/graph.svg, seed examples": 15.0,
    "keystroke to drawing": 50.0,
}
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@contextmanager
def served(root: Path):
    """Serve the checkout at `root` as `chainrule serve` starts by default; yield its base URL."""
    port = free_port()
    process = start_server(port, root=root)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def fresh(params: list[tuple[str, str]], k: int) -> list[tuple[str, str]]:
    """Returns the example's parameters with its first variable's first number moved by k millionths: the same
    graph at values never asked before (so the answer is computed, not cached)."""
    out, moved = [], False
    for name, value in params:
        if not moved and name not in ("expr", "exact", "upstream") and NUMBER.search(value):
            value = NUMBER.sub(lambda m: f"{float(m.group()) + k * 1e-6:.6f}", value, count=1)
            moved = True
        out.append((name, value))
    return out


def thousand_ops(k: int) -> list[tuple[str, str]]:
    text = random_text(1000, random.Random(1000))
    names = sorted(set(re.findall(r"[a-z]\w*", text)) - {"relu"})
    return [("expr", text)] + [(name, f"{0.5 + (k * 16 + i) * 1e-6:.6f}") for i, name in enumerate(names)]


def get(client: httpx.Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code} from {url[:100]}: {response.text[:200]}")
    return elapsed * 1000


def http_goals(bases: list[str], repeat: int) -> list[dict[str, float]]:
    """Returns each server's p50 per goal; the servers take turns, request by request, so that the machine's
    other load falls on all of them alike."""
    seeds = [p.query.params() for p in PRESETS]
    plans = {
        "/api/graph, seed examples": [("/api/graph", fresh(p, k + 1)) for k in range(repeat) for p in seeds],
        "/api/graph, 1,000 ops": [("/api/graph", thousand_ops(k)) for k in range(max(5, repeat // 2))],
        "/graph.svg, seed examples": [("/graph.svg", fresh(p, k + 1)) for k in range(repeat) for p in seeds],
    }
    figures: list[dict[str, float]] = [{} for _ in bases]
    with httpx.Client(timeout=60) as client:
        for base in bases:
            for params in seeds:   # the first call of each kind warms the workers
                client.get(f"{base}/graph.svg?{urlencode(params)}")
        for goal, plan in plans.items():
            times: list[list[float]] = [[] for _ in bases]
            for path, params in plan:
                for i, base in enumerate(bases):
                    times[i].append(get(client, f"{base}{path}?{urlencode(params)}"))
            for i in range(len(bases)):
                figures[i][goal] = statistics.median(times[i])
    return figures


KEYSTROKE_SCRIPT = """() => {
  window.__keydown = 0; window.__drawn = 0;
  addEventListener('keydown', () => { window.__keydown = performance.now(); }, true);
  new MutationObserver(() => { if (document.getElementById('graph').querySelector('svg')) window.__drawn = performance.now(); })
    .observe(document.getElementById('graph'), {childList: true});
}"""


def keystroke_ms(bases: list[str], repeat: int) -> list[float]:
    """Types digits into the neuron's w0 field of one page per server, taking turns; returns each one's median
    time from keydown to the new drawing."""
    from playwright.sync_api import sync_playwright
    neuron = next(p for p in PRESETS if p.slug == "cs231n-neuron")
    times: list[list[float]] = [[] for _ in bases]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        pages = []
        for base in bases:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{base}/?{urlencode(neuron.query.params())}")
            page.wait_for_selector("#graph svg")
            page.evaluate(KEYSTROKE_SCRIPT)
            page.locator("#value-w0").click()
            page.keyboard.press("End")
            page.keyboard.type(".")
            page.wait_for_function("() => !document.body.classList.contains('updating')")
            pages.append(page)
        for k in range(repeat):
            for i, page in enumerate(pages):
                page.bring_to_front()
                page.wait_for_timeout(200)   # past any pause the page takes before it asks
                page.keyboard.press(str(k % 9 + 1))   # 2.1, 2.12, ...: every keystroke a new value
                page.wait_for_function("() => window.__drawn > window.__keydown && "
                                       "!document.body.classList.contains('updating')", timeout=10_000)
                times[i].append(page.evaluate("window.__drawn - window.__keydown"))
        browser.close()
    return [statistics.median(each) for each in times]


def measure(roots: list[Path], repeat: int, browser: bool) -> list[dict[str, float]]:
    with ExitStack() as stack:
        bases = [stack.enter_context(served(root)) for root in roots]
        figures = http_goals(bases, repeat)
        if browser:
            for each, ms in zip(figures, keystroke_ms(bases, repeat)):
                each["keystroke to drawing"] = ms
    return figures


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--before", type=Path, help="a checkout of the code before, measured in the same run")
    args.add_argument("--repeat", type=int, default=20, help="requests per example and goal")
    args.add_argument("--no-browser", action="store_true")
    options = args.parse_args(argv)
    roots = [ROOT] + ([options.before] if options.before else [])
    figures = measure(roots, options.repeat, not options.no_browser)
    now, before = figures[0], (figures[1] if options.before else {})
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{options.repeat} requests per example and goal, checkouts taking turns")
    print(f"{'goal (p50)':<28} {'goal':>8} {'before':>9} {'now':>9}")
    missed = 0
    for name, goal in GOALS.items():
        if name not in now:
            continue
        was = f"{before[name]:7.1f}ms" if name in before else "        -"
        met = now[name] < goal
        missed += not met
        print(f"{name:<28} {'<' + format(goal, 'g'):>6}ms {was} {now[name]:7.1f}ms  {'met' if met else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
