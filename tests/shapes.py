"""Big graphs of a chosen number of operations, in the shapes people bring (tests and bench/big.py use them).

- mlp: a scalar MLP as a notebook writes it out, one statement per neuron (`h3 = tanh(0.5*x1 + ... + 0.1)`) and
  a loss that sums them: what micrograd builds;
- chain: statements that each use the last one and two shared variables (`a7 = sin(a6*x + y)`): deep, with
  variables used at every depth;
- sum: one long sum of products over shared variables, written without names;
- tree: a random expression of + × and tanh over 16 variables, no names, no sums to speak of.

Each returns text of exactly `ops` operations (the tests count them in the built graph).

>>> from chainrule.engine.graph import build_graph
>>> [sum(1 for n in build_graph(shape(200)).nodes if n.inputs) for shape in SHAPES.values()]
[200, 200, 200, 200]
"""
from __future__ import annotations

import random

INPUTS = 8           # the MLP's inputs, x1..x8
NEURON_INPUTS = 4    # each neuron: 4 products, 4 sums, a tanh: 9 operations


def mlp(ops: int) -> str:
    """Neurons of NEURON_INPUTS inputs each and L, their sum; topped up to `ops` with + x1."""
    rnd = random.Random(ops)
    per_neuron = 2 * NEURON_INPUTS + 1
    count = max(1, (ops + 1) // (per_neuron + 1))
    lines = []
    for k in range(count):
        terms = " + ".join(f"{rnd.uniform(0.1, 0.9):.2f}*x{(k + j) % INPUTS + 1}" for j in range(NEURON_INPUTS))
        lines.append(f"h{k + 1} = tanh({terms} + {rnd.uniform(0.1, 0.9):.2f})")
    used = count * per_neuron + count - 1
    lines.append("L = " + " + ".join([f"h{k + 1}" for k in range(count)] + ["x1"] * (ops - used)))
    return "; ".join(lines)


def chain(ops: int) -> str:
    """a1 = sin(x), then a_k = sin(a_{k-1}*x + y): 3 operations each; topped up with + y."""
    count = 1 + (ops - 1) // 3
    lines = ["a1 = sin(x)"] + [f"a{k} = sin(a{k - 1}*x + y)" for k in range(2, count + 1)]
    return "; ".join(lines) + " + y" * (ops - 1 - 3 * (count - 1))


def long_sum(ops: int) -> str:
    """x1*y1 + x2*y2 + ... over 150 x's and 40 y's (each used many times); an odd count ends with + x0."""
    terms = [f"x{k % 150}*y{k % 40}" for k in range((ops + 1) // 2)]
    return "+".join(terms + ["x0"] * (ops - (2 * len(terms) - 1)))


def tree(ops: int) -> str:
    """A random tree of + and × (a third of them under tanh) over v0..v15."""
    rnd = random.Random(ops)
    items = [f"v{rnd.randrange(16)}" for _ in range(ops + 1)]
    made = 0
    while len(items) > 1:
        k = rnd.randrange(len(items) - 1)
        text = f"({items[k]}{rnd.choice('+*')}{items[k + 1]})"
        made += 1
        if made + len(items) - 2 < ops and rnd.random() < 0.3:   # room for one more operation
            text, made = f"tanh{text}", made + 1
        items[k:k + 2] = [text]
    return items[0]


SHAPES = {"mlp": mlp, "chain": chain, "sum": long_sum, "tree": tree}
