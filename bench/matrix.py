"""Prints forward+backward time of a 2-layer net with wide layers: chainrule against PyTorch.

    python bench/matrix.py            # widths 10, 100, 1000
    python bench/matrix.py 1000       # chosen widths

The net is the one seed 000 and 002 teach, typed as a person would:
    mse(W2 @ relu(W1 @ x), y) + lam*(sqnorm(W1) + sqnorm(W2))
with W1 (width × width), W2 (10 × width), x (width), y (10). Columns:
  chainrule   engine.autodiff.forward + backward with the Arrays numbers on the prebuilt graph, with
              the request size limits off (they bound what a URL may ask for)
  analyze     engine.analyze end to end from the JSON value texts, finite differences
              off; nan where the texts pass the typed-value limit (20,000 characters)
  torch       the same ops in torch autograd, float64, CPU, one thread
Times are the best of several runs (time.perf_counter); ratios below 1 favour chainrule.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from chainrule import engine  # noqa: E402
import chainrule.engine.gradcheck  # noqa: E402
from chainrule.engine import analyze  # noqa: E402
from chainrule.engine.autodiff import Arrays, backward, forward  # noqa: E402
from chainrule.engine.graph import build_graph  # noqa: E402

NET = "mse(W2 @ relu(W1 @ x), y) + lam*(sqnorm(W1) + sqnorm(W2))"


def best(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(widths: list[int]) -> None:
    import torch
    torch.set_num_threads(1)
    engine.gradcheck.GRADCHECK_ELEMENT_OPS = 0
    rng = np.random.default_rng(0)
    print(f"2-layer net {NET}")
    print(f"{'width':>6} | {'chainrule':>10} {'analyze':>10} {'torch':>10} | {'cr/torch':>8}")
    print("-" * 56)
    for width in widths:
        arrays = {"W1": rng.normal(size=(width, width)) / np.sqrt(width),
                  "W2": rng.normal(size=(10, width)) / np.sqrt(width),
                  "x": rng.normal(size=width), "y": rng.normal(size=10)}
        inputs = {**arrays, "lam": 0.01}
        graph = build_graph(NET)
        repeats = 20 if width < 1000 else 5

        def ours():
            numbers = Arrays(graph, max_elements=None, max_element_ops=None, max_answer=None)
            return backward(graph, forward(graph, inputs, numbers), numbers, 1.0)

        texts = {name: json.dumps(a.tolist()) for name, a in arrays.items()}
        texts["lam"] = "0.01"
        tensors = {name: torch.tensor(a, requires_grad=True) for name, a in arrays.items()}

        def theirs():
            for t in tensors.values():
                t.grad = None
            W1, W2, x, y = (tensors[k] for k in ("W1", "W2", "x", "y"))
            loss = ((W2 @ torch.relu(W1 @ x) - y) ** 2).mean() + 0.01 * (
                (W1 * W1).sum() + (W2 * W2).sum())
            loss.backward()
            return W1.grad

        ours_grad = ours().grads[graph.variables["W1"]]
        assert np.allclose(ours_grad, theirs().numpy()), "gradients disagree"
        t_ours = best(ours, repeats)
        try:
            t_analyze = best(lambda: analyze(NET, texts), max(2, repeats // 5))
        except engine.ChainruleError:  # past the value-size limit of typed values
            t_analyze = float("nan")
        t_torch = best(theirs, repeats)
        print(f"{width:>6} | {t_ours * 1e3:>8.2f}ms {t_analyze * 1e3:>8.1f}ms "
              f"{t_torch * 1e3:>8.2f}ms | {t_ours / t_torch:>8.2f}")


if __name__ == "__main__":
    main([int(w) for w in sys.argv[1:]] or [10, 100, 1000])
