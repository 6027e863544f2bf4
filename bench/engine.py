"""Prints forward+backward time per op for chainrule, micrograd and PyTorch autograd.

    python bench/engine.py            # sizes 10, 100, 1,000, 10,000 ops
    python bench/engine.py 10 100     # chosen sizes

The graphs are random trees of the ops all three support (+, * and relu; micrograd 0.1.0
has no tanh) over 16 shared variables in [-1, 1], built as expression text. One parse
takes at most engine.parse.MAX_OPS (2,500) operations, so a larger graph is parsed as
chunks of text whose trees are joined by `+` gates and built by the graph builder that
build_graph uses (engine.graph._Builder): the same nodes build_graph would give if the
limit were higher. micrograd and PyTorch replay that graph node by node, so all three
compute the same numbers (checked before timing).

Columns, all per op (an op is a gate: a non-leaf node):
  chainrule      engine.autodiff.forward + backward on the prebuilt graph
  analyze        engine.analyze(text, values) end to end: parse, graph, both passes; the
                 finite-difference check is switched off (GRADCHECK_ELEMENT_OPS = 0) as the
                 other columns have none; empty past the parser's 2,500 ops
  +to_dict       analyze and Analysis.to_dict(): what the web layer pays
  micrograd      micrograd.engine.Value: building the graph is its forward
  torch          torch autograd on 0-d float64 tensors, CPU, one thread
Times are the best of several runs (time.perf_counter).
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import chainrule.engine.gradcheck  # noqa: E402
from chainrule.engine import analyze, explain  # noqa: E402
from chainrule.engine.autodiff import backward, forward  # noqa: E402
from chainrule.engine.graph import Graph, _Builder, build_graph  # noqa: E402
from chainrule.engine.parse import MAX_OPS, Tree, parse  # noqa: E402

SIZES = (10, 100, 1_000, 10_000)
VARIABLES = [f"x{i}" for i in range(16)]
SEED = 0
BUDGET = 1.0   # seconds of repeats per measurement, at most
MAX_REPEATS = 50


def random_text(ops: int, rng: random.Random) -> str:
    """Returns a random expression of exactly `ops` gates: one in six a relu, the rest + or *
    joining two subtrees drawn at random from a pool that starts as ops + 1 variables."""
    relus = ops // 6
    kinds = ["relu"] * relus + ["join"] * (ops - relus)
    rng.shuffle(kinds)
    pool = [rng.choice(VARIABLES) for _ in range(ops - relus + 1)]
    for kind in kinds:
        if kind == "relu":
            i = rng.randrange(len(pool))
            pool[i] = f"relu({pool[i]})"
        else:
            a = pool.pop(rng.randrange(len(pool)))
            b = pool.pop(rng.randrange(len(pool)))
            pool.append(f"({a} {rng.choice('+*')} {b})")
    return pool[0]


def chunks_for(ops: int, rng: random.Random) -> list[str]:
    """Returns expression texts of at most MAX_OPS gates each, `ops` gates with the joins."""
    n = -(-(ops + 1) // (MAX_OPS + 1))           # chunks, and n - 1 joining `+` gates
    sizes = [(ops - (n - 1)) // n] * n
    sizes[0] += ops - (n - 1) - sum(sizes)
    return [random_text(s, rng) for s in sizes]


def build(chunks: list[str]) -> Graph:
    """Returns the graph of the chunks joined by `+`: build_graph's graph for one chunk."""
    if len(chunks) == 1:
        return build_graph(chunks[0])
    tree = parse(chunks[0])
    for text in chunks[1:]:
        tree = Tree("add", (tree, parse(text)))
    builder = _Builder(expand=False, share=False)
    builder.graph.output = builder.build(tree, {})
    return builder.graph


def gates(graph: Graph) -> int:
    return sum(1 for node in graph.nodes if not node.is_leaf)


# --- the peers, replaying the same graph ---------------------------------------------------

def run_chainrule(graph: Graph, inputs: dict) -> dict:
    p = backward(graph, forward(graph, inputs))
    return {name: float(p.grads[i]) for name, i in graph.variables.items()}


def run_micrograd(graph: Graph, values: dict) -> dict:
    from micrograd.engine import Value
    out = [None] * len(graph.nodes)
    leaves = {}
    for i, node in enumerate(graph.nodes):
        if node.op == "var":
            out[i] = leaves[node.text] = Value(values[node.text])
        elif node.op == "const":
            out[i] = Value(node.const)
        elif node.op == "add":
            out[i] = out[node.inputs[0]] + out[node.inputs[1]]
        elif node.op == "mul":
            out[i] = out[node.inputs[0]] * out[node.inputs[1]]
        else:
            out[i] = out[node.inputs[0]].relu()
    out[graph.output].backward()
    return {name: v.grad for name, v in leaves.items()}


def run_torch(graph: Graph, values: dict) -> dict:
    import torch
    out = [None] * len(graph.nodes)
    leaves = {}
    for i, node in enumerate(graph.nodes):
        if node.op == "var":
            out[i] = leaves[node.text] = torch.tensor(values[node.text], dtype=torch.float64,
                                                      requires_grad=True)
        elif node.op == "const":
            out[i] = torch.tensor(node.const, dtype=torch.float64)
        elif node.op == "add":
            out[i] = out[node.inputs[0]] + out[node.inputs[1]]
        elif node.op == "mul":
            out[i] = out[node.inputs[0]] * out[node.inputs[1]]
        else:
            out[i] = torch.relu(out[node.inputs[0]])
    out[graph.output].backward()
    return {name: t.grad.item() for name, t in leaves.items()}


def best(fn, budget: float = BUDGET) -> float:
    """Returns the best time of up to MAX_REPEATS calls, stopping after `budget` seconds."""
    times, start = [], time.perf_counter()
    while len(times) < MAX_REPEATS and (len(times) < 3 or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def agree(a: dict, b: dict) -> bool:
    return all(np.isclose(a[k], b[k], rtol=1e-9, atol=1e-12) for k in a)


def main(sizes=SIZES) -> None:
    import torch
    torch.set_num_threads(1)
    # micrograd's backward sorts the graph recursively, one frame per level of depth
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    engine.gradcheck.GRADCHECK_ELEMENT_OPS = 0    # no finite differences in the analyze column
    rng = random.Random(SEED)
    values = {name: rng.uniform(-1, 1) for name in VARIABLES}
    inputs = {name: np.float64(v) for name, v in values.items()}
    texts = {name: repr(v) for name, v in values.items()}

    header = (f"{'ops':>6} {'depth':>5} | {'chainrule':>9} {'analyze':>9} {'+to_dict':>9} "
              f"{'micrograd':>9} {'torch':>9} | {'cr/micro':>8} {'cr/torch':>8}")
    print("time per op in microseconds (best of up to "
          f"{MAX_REPEATS} runs), random trees of +, *, relu over 16 variables")
    print(header)
    print("-" * len(header))
    for size in sizes:
        chunks = chunks_for(size, rng)
        graph = build(chunks)
        n = gates(graph)
        ours = run_chainrule(graph, inputs)
        assert agree(ours, run_micrograd(graph, values)), "micrograd disagrees"
        assert agree(ours, run_torch(graph, values)), "torch disagrees"

        t_cr = best(lambda: run_chainrule(graph, inputs))
        if len(chunks) == 1:
            assert analyze(chunks[0], texts).gradcheck == {}
            t_an = best(lambda: analyze(chunks[0], texts))
            t_dict = best(lambda: explain(chunks[0], texts).to_dict())
        else:
            t_an = t_dict = float("nan")
        t_mg = best(lambda: run_micrograd(graph, values))
        t_th = best(lambda: run_torch(graph, values))
        us = [1e6 * t / n for t in (t_cr, t_an, t_dict, t_mg, t_th)]
        cells = " ".join(f"{u:9.2f}" if u == u else f"{'-':>9}" for u in us)
        print(f"{n:>6} {depth(graph):>5} | {cells} | {t_cr / t_mg:8.2f} {t_cr / t_th:8.2f}")
    print(f"(analyze: empty past {MAX_OPS} ops, the parser's limit; the larger graph is "
          "parsed in chunks and built directly)")


def depth(graph: Graph) -> int:
    level = [0] * len(graph.nodes)
    for i, node in enumerate(graph.nodes):
        if node.inputs:
            level[i] = 1 + max(level[j] for j in node.inputs)
    return level[graph.output]


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
