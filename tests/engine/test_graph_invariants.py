"""What build_graph promises for any text, checked on a table of texts: every preset, random
expressions of several sizes (the shape of bench/engine.py's random_text, with every operator
and every spelling a student types) and statements, in both granularities, shared or not.

The promises: the canonical text reads back to the same text; every gate's text computes the
gate's number; every gate is its operands written out (its text, LaTeX and precedence follow
from theirs); nodes, edges and names agree; every start points at what was typed there; the
tokens cover the text. (The canonical text is how a person writes it, not a serialization of
the tree: x*(y/z) is written x*y/z, so a read-back may group differently.)
"""
import math
import random

import pytest

from chainrule.app.presets import PRESETS
from chainrule.engine.autodiff import forward
from chainrule.engine.graph import _latex_name, build_graph
from chainrule.engine.ops import CONSTANTS, FUNCTIONS, OPS
from chainrule.engine.tokens import MEANS, tokenize

VARIABLES = [f"x{i}" for i in range(16)]
BINARY = {"+": ["+"], "-": ["-", "\u2212"], "*": ["*", "·", "×"], "/": ["/", "÷"], "^": ["^", "**"]}


def random_expression(ops: int, rng: random.Random) -> str:
    """Returns a random expression of about `ops` gates, grown like bench/engine.py's
    random_text: gates join or wrap members of a pool of variables and numbers, with or without
    parentheses (so precedence decides), typed in any of the spellings we read. Each member
    keeps how deep it nests, so that no text passes the nesting limit."""
    pool = [(rng.choice(VARIABLES + ["2", "0.5", "pi", "e"]), 0) for _ in range(ops // 2 + 1)]
    for _ in range(ops):
        i = rng.randrange(len(pool))
        kind = rng.choice(["join"] * 6 + ["function", "neg", "square", "root", "max"])
        if kind in ("join", "max") and len(pool) > 1:
            (a, depth_a), (b, depth_b) = pool.pop(i), pool.pop(rng.randrange(len(pool)))
            depth = max(depth_a, depth_b) + 3
            op = rng.choice(rng.choice(list(BINARY.values())))
            joined = f"{a} {op} {b}" if rng.random() < 0.5 else f"{a}{op}{b}"
            if kind == "max":
                pool.append((f"max({a}, {b})", depth))
            else:
                pool.append((f"({joined})" if rng.random() < 0.7 else joined, depth))
            continue
        text, depth = pool[i]
        if depth > 90:
            continue
        if kind == "neg":
            pool[i] = f"-({text})", depth + 3
        elif kind == "square":
            pool[i] = f"({text})²", depth + 3
        elif kind == "root":
            pool[i] = f"√({text})", depth + 3
        else:
            function = rng.choice(["relu", "sigmoid", "σ", "tanh", "exp", "sin"])
            pool[i] = f"{function}({text})", depth + 3
    while len(pool) > 1:
        pool.append((f"({pool.pop()[0]} + {pool.pop()[0]})", 0))
    return pool[0][0]


STATEMENTS = [
    "q = x + y; f = q*z",
    "q = x + y\nf = q*z",
    "q = x − y + 2·y; f = q × z",
    "a = x*y; b = a + a; c = b*b",
    "h = sigmoid(w*x + b); L = (h - t)^2",
    "n = x1*w1 + x2*w2 + b; o = tanh(n)",
    "u = x\n  *y\nv = u +\n u",
    "apple_price = apple*apple_num; price = apple_price*tax",
    "s = x*y + x*y; f = s*(x*y)",
]
TEXTS = ([(p.query.expr, tuple(p.query.values)) for p in PRESETS]
         + [(random_expression(ops, random.Random(ops)), ()) for ops in (1, 2, 3, 5, 8, 13, 40, 150, 1000)]
         + [(random_expression(30, random.Random(seed)), ("e",)) for seed in range(3)]
         + [(text, ()) for text in STATEMENTS])
CASES = [pytest.param(text, given, granularity, share, id=f"{i}-{granularity}-{'shared' if share else 'own'}")
         for i, (text, given) in enumerate(TEXTS) for granularity in ("fused", "primitive")
         for share in (False, True)]
# a gate's number is computed over floats here: array ops need array values
SCALAR_CASES = [case for case in CASES if not build_graph(case.values[0], case.values[2], case.values[3],
                                                          given=case.values[1]).has_array_ops]


def as_operand(node) -> str:
    """Returns how a node is written inside another's text: a named node by its name."""
    return node.name or node.text


def written_out(graph, node) -> str:
    """Returns the node typed from its operands' texts with every grouping explicit: its own
    text must be this text with the parentheses that are not needed taken out."""
    operands = [f"({as_operand(graph.nodes[i])})" for i in node.inputs]
    op = OPS[node.op]
    if op.is_function:
        return f"{op.name}({', '.join(operands)})"
    if op.name == "neg":
        return f"-{operands[0]}"
    return f" {op.typed} ".join(operands)


@pytest.mark.parametrize("text, given, granularity, share", CASES)
def test_the_canonical_text_builds_a_graph_with_the_same_text(text, given, granularity, share):
    graph = build_graph(text, granularity, share, given=given)
    again = build_graph(graph.text, granularity, share, given=given)
    assert again.text == graph.text
    assert (list(again.variables), list(again.names)) == (list(graph.variables), list(graph.names))


@pytest.mark.parametrize("text, given, granularity, share", SCALAR_CASES)
def test_every_gate_text_computes_the_gates_number(text, given, granularity, share):
    """Regrouping aside (x*(y/z) is written x*y/z), a gate's text is its function: a
    parenthesis left out where it was needed would change the number."""
    graph = build_graph(text, granularity, share, given=given)
    rng = random.Random(len(text))
    inputs = {name: rng.uniform(0.5, 1.5) for name in graph.variables}
    values = forward(graph, inputs)
    named = {name: values[i] for name, i in graph.names.items()}   # a later text reads q by name
    finite = [i for i, value in enumerate(values) if math.isfinite(value)]
    for i in finite:
        alone = build_graph(graph.nodes[i].text, "fused", given=given)
        value = forward(alone, {**inputs, **named})[alone.output]
        assert math.isclose(value, values[i], rel_tol=1e-9, abs_tol=1e-12)
    assert len(finite) >= len(values) / 2                     # not vacuous: most gates are numbers


@pytest.mark.parametrize("text, given, granularity, share", CASES)
def test_every_gate_is_its_operands_written_out(text, given, granularity, share):
    """A gate's text and LaTeX follow from its op and its operands'. The text of an operand
    may regroup when read again (x*(y/z) is written x*y/z), and so may its LaTeX (a nested
    \\frac): LaTeX is compared where the operands came back the same, which is most gates."""
    graph = build_graph(text, granularity, share, given=given)
    latex_compared = 0
    for node in graph.nodes:
        if node.op == "const":
            assert node.const == (CONSTANTS[node.exact][0] if node.exact in CONSTANTS else float(node.text))
            continue
        alone = build_graph(node.text if node.op == "var" else written_out(graph, node), "fused", given=given)
        out = alone.nodes[alone.output]
        assert (out.op, out.text, out.precedence) == (node.op, node.text, node.precedence)
        operands = [graph.nodes[i] for i in node.inputs]
        if [alone.nodes[i].latex for i in out.inputs] == [_latex_name(n.name) if n.name else n.latex
                                                          for n in operands]:
            assert out.latex == node.latex
            latex_compared += 1
    assert latex_compared >= sum(1 for n in graph.nodes if n.op != "const") / 2   # not vacuous


@pytest.mark.parametrize("text, given, granularity, share", CASES)
def test_nodes_edges_and_names_agree(text, given, granularity, share):
    graph = build_graph(text, granularity, share, given=given)
    edges = [(e.source, e.target, e.operand) for e in graph.edges]
    assert edges == [(s, i, k) for i, n in enumerate(graph.nodes) for k, s in enumerate(n.inputs)]
    assert all(s < i for s, i, _ in edges)                      # topological: operands first
    assert [graph.edges[e].target for edges_in in graph.in_edges for e in edges_in] == \
        [e.target for e in graph.edges]
    assert [graph.nodes[i].name for i in graph.names.values()][-1:] in ([graph.nodes[graph.output].name], [])
    starts = [graph.nodes[i].start for i in graph.variables.values()]
    assert starts == sorted(starts)                             # variables in order of first use


@pytest.mark.parametrize("text, given, granularity, share", CASES)
def test_every_start_points_at_what_was_typed_there(text, given, granularity, share):
    graph = build_graph(text, granularity, share, given=given)
    tokens = {start: (kind, meaning) for kind, meaning, start, _ in tokenize(text)}
    first_use = {}
    for kind, meaning, start, _ in tokenize(text):
        if kind == "name":
            first_use.setdefault(meaning, start)
    for node in graph.nodes:
        if node.op == "const":
            continue
        if node.op == "var":
            assert node.start == first_use[node.text]
            continue
        kind, meaning = tokens[node.start]           # a gate starts where a token starts
        if granularity == "primitive" and meaning in FUNCTIONS and FUNCTIONS[meaning].primitive:
            continue                                 # a gate of a function written out
        if node.op in FUNCTIONS:                     # where its name (or √) was typed
            assert (kind, meaning) in (("name", node.op), ("op", "√" if node.op == "sqrt" else None))
        elif node.op == "neg":
            assert (kind, meaning) == ("op", "-")
        else:                                        # where its left operand starts
            assert kind in ("name", "number") or meaning in ("-", "√")


@pytest.mark.parametrize("text", [text for text, _ in TEXTS])
def test_the_tokens_cover_the_text_with_what_was_typed(text):
    tokens = tokenize(text)
    assert tokens[-1] == ("end", "", len(text), len(text))
    at = 0
    for kind, meaning, start, end in tokens[:-1]:
        assert text[at:start].isspace() or at == start          # only spaces between tokens
        typed = text[start:end]
        if kind in ("name", "op"):
            assert meaning == MEANS.get(typed, typed)
        elif kind == "number":
            assert float(meaning) == float(typed.replace("\u2212", "-"))
        at = end
    assert not text[at:].strip()
