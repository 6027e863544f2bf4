"""Properties of every generated expression, in both granularities.

Hypothesis writes expression text from x, y, z, w, small decimal constants, the binary
operators, unary minus and every function in OPS; values are decimals in [0.5, 2].
Sympy's own derivative (of an expression we build from the engine's graph node by node,
never from the text) is the reference; finite differences and PyTorch are two more.
Non-differentiable points (kinks of relu, abs, max, min) are kept out of the generated
properties and checked one by one in the torch table at the end.
"""
from __future__ import annotations

import bisect
import functools
import json
import math
import zlib

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chainrule.engine import ChainruleError, analyze, Lesson, explain
from chainrule.engine.autodiff import forward
from torch_oracle import replay, torch_ops
from chainrule.engine.ops import A, B, BINARY, CONSTANTS, OPS

settings.register_profile(
    "properties", max_examples=200, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PROPERTIES = settings.get_profile("properties")

GRANULARITIES = ("fused", "primitive")
VARIABLES = ("x", "y", "z", "w")
SYMBOLS = {name: sp.Symbol(name, positive=True) for name in VARIABLES}
FUNCTIONS = tuple(name for name, op in OPS.items() if op.is_function and op.elementwise)
# Domains, so the generated text stays real: these want a positive argument...
NEEDS_POSITIVE = {"log", "sqrt"}
# ...and these give a positive result from positive arguments (exp and sigmoid from any).
KEEPS_POSITIVE = {"exp", "sqrt", "sigmoid", "tanh", "relu", "abs", "max", "min"} & set(FUNCTIONS)
ALWAYS_POSITIVE = {"exp", "sigmoid"} & set(FUNCTIONS)
KINKED = {"relu", "abs", "max", "min"}  # where the derivative jumps: see the torch table
MAX_DEPTH = 5
MAGNITUDE = 1e4   # values and grads past this are outside what finite differences can check


# --- generated text ---------------------------------------------------------------------

def _paren(text: str) -> str:
    return text if text.replace("_", "").isalnum() else f"({text})"


def _binary(parts: tuple[str, str, str]) -> str:
    a, op, b = parts
    return f"{_paren(a)} {op} {_paren(b)}"


def _call(name: str, args) -> str:
    return f"{name}({', '.join(args)})"


CONSTANT_TEXT = st.one_of(st.integers(1, 30).map(lambda k: repr(k / 10)),
                          st.sampled_from(sorted(CONSTANTS)))
LEAVES = st.one_of(st.sampled_from(VARIABLES), st.sampled_from(VARIABLES), CONSTANT_TEXT)


@functools.cache
def expressions(depth: int, positive: bool = False) -> st.SearchStrategy[str]:
    """Returns expression text with a gate on top and at most `depth` gates nested;
    `positive`: its value is > 0 whenever the variables' values are."""
    if depth == 0:
        return LEAVES
    # a child is a gate three times as often as a leaf, so the trees grow past toy size
    anything = weighted((expressions(depth - 1), 3), (LEAVES, 1)) if depth > 1 else LEAVES
    pos = weighted((expressions(depth - 1, True), 3), (LEAVES, 1)) if depth > 1 else LEAVES
    power = st.tuples(pos, st.sampled_from(["^", "**"]), anything).map(_binary)
    # each function is one branch, or the dozen unary functions would outweigh the binary
    # operators and every tree be a chain
    if positive:
        binary = st.tuples(pos, st.sampled_from("+*/"), pos).map(_binary)
        functions = st.one_of(
            stably(KEEPS_POSITIVE).flatmap(lambda n: _function(n, pos)),
            stably(ALWAYS_POSITIVE).flatmap(lambda n: _function(n, anything)))
        return weighted((binary, 3), (power, 1), (functions, 2))
    ops = [op for op in BINARY if op != "^" and BINARY[op].elementwise]
    binary = st.tuples(anything, stably(ops), anything).map(_binary)
    negation = anything.map(lambda a: f"-{_paren(a)}")
    functions = stably(FUNCTIONS).flatmap(
        lambda n: _function(n, pos if n in NEEDS_POSITIVE else anything))
    return weighted((binary, 4), (negation, 1), (power, 1), (functions, 3))


def stably(names) -> st.SearchStrategy[str]:
    """Returns one of `names`, drawn so that adding an op later changes few derandomized
    examples: each name owns arcs of a 32-bit circle that end at hashes of it (consistent
    hashing, 32 arcs per name so their shares are even), and a draw is a point on the circle.
    With st.sampled_from, a new op would shift the index of every name after it. The drawn
    integer is hashed onto the circle, as hypothesis favours small and boundary integers."""
    ring = sorted((zlib.crc32(f"{name}#{k}".encode()), name) for name in names for k in range(32))
    points = [point for point, _ in ring]
    return st.integers(0, 2**32 - 1).map(lambda x: ring[
        bisect.bisect_left(points, zlib.crc32(x.to_bytes(4, "little"))) % len(ring)][1])


def weighted(*choices: tuple[st.SearchStrategy, int]) -> st.SearchStrategy:
    """Returns one of the strategies, drawn in proportion to its weight (st.one_of would
    merge repeated strategies into one branch)."""
    return st.sampled_from([s for s, w in choices for _ in range(w)]).flatmap(lambda s: s)


def _function(name: str, args: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*[args] * OPS[name].arity).map(functools.partial(_call, name))


EXPRESSIONS = st.integers(3, MAX_DEPTH).flatmap(expressions)
VALUE_TEXT = st.integers(500, 2000).map(lambda k: repr(k / 1000))   # "1.234", in [0.5, 2]
VALUES = st.fixed_dictionaries({name: VALUE_TEXT for name in VARIABLES})
# Anywhere, for the invariants, which hold at nan and inf too.
ANY_VALUE_TEXT = st.one_of(VALUE_TEXT, st.sampled_from(["0", "-1", "-0.5", "3", "800", "-800"]))
ANY_VALUES = st.fixed_dictionaries({name: ANY_VALUE_TEXT for name in VARIABLES})


# --- references -------------------------------------------------------------------------

def sympy_of(graph) -> sp.Expr:
    """Returns the output as one sympy expression, built node by node from the graph."""
    exprs: list[sp.Expr] = []
    for node in graph.nodes:
        if node.op == "var":
            exprs.append(SYMBOLS[node.text])
        elif node.op == "const":
            exprs.append(CONSTANTS[node.exact][1] if node.exact in CONSTANTS
                         else sp.Rational(node.exact))
        else:
            operands = dict(zip((A, B), (exprs[i] for i in node.inputs)))
            exprs.append(OPS[node.op].expr.xreplace(operands))
    return exprs[graph.output]


def sympy_grads(analysis, values: dict[str, str]) -> dict[str, float]:
    """Returns sympy's derivative of the whole output by each variable, at `values`."""
    expr = sympy_of(analysis.graph)
    at = {SYMBOLS[name]: sp.Rational(values[name]) for name in analysis.variables}
    result = {}
    for name in analysis.variables:
        d = sp.diff(expr, SYMBOLS[name]).xreplace(at)
        # away from the kinks a step or a sign is decided by its argument's sign
        d = d.replace(lambda e: isinstance(e, (sp.Heaviside, sp.sign)),
                      lambda e: sp.S.One if e.args[0].evalf(30) > 0
                      else (sp.S.NegativeOne if isinstance(e, sp.sign) else sp.S.Zero))
        result[name] = float(d.evalf(30))
    return result


def grads(analysis) -> dict[str, float]:
    return {name: float(analysis.numbers.grads[i]) for name, i in analysis.graph.variables.items()}


def differences_are_stable(analysis, name: str) -> bool:
    """True where central differences at two step sizes agree: where the function is too
    curved for them (tan near a pole of a huge argument), they are no oracle."""
    x = float(analysis.inputs[name])
    estimates = []
    for step in (1e-5, 1e-4):
        h = step * max(1.0, abs(x))
        ends = [forward(analysis.graph, {**{k: float(v) for k, v in analysis.inputs.items()},
                                         name: x + d})[analysis.graph.output] for d in (h, -h)]
        estimates.append((ends[0] - ends[1]) / (2 * h))
    return close(*estimates, rel=1e-4, scale=1e-6)


def finite_and_moderate(analysis, limit: float = MAGNITUDE) -> bool:
    p = analysis.numbers
    return all(math.isfinite(float(v)) and abs(float(v)) < limit for v in p.values + p.grads)


def clear_of_kinks(analysis, margin: float = 1e-3) -> bool:
    """True when every relu, abs, max and min is at least `margin` from its kink."""
    values = analysis.numbers.values
    for node in analysis.graph.nodes:
        if node.op in KINKED:
            a = float(values[node.inputs[0]])
            b = float(values[node.inputs[1]]) if len(node.inputs) > 1 else 0.0
            if abs(a - b) <= margin:
                return False
    return True


def close(a: float, b: float, rel: float, scale: float = 1.0) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), scale)


def same_float(a: float, b: float) -> bool:
    """Equal, with nan equal to nan."""
    return a == b or (math.isnan(a) and math.isnan(b))


# --- gradients agree with sympy, finite differences, and each other ---------------------

@pytest.mark.parametrize("granularity", GRANULARITIES)
@PROPERTIES
@given(expr=EXPRESSIONS, values=VALUES)
def test_gradients_agree_with_sympys_derivative(granularity, expr, values):
    a = analyze(expr, values, granularity=granularity)
    assume(finite_and_moderate(a, 1e8) and clear_of_kinks(a, margin=1e-9))
    reference = sympy_grads(a, values)
    for name, grad in grads(a).items():
        assert close(grad, reference[name], rel=1e-7, scale=1e-6), (expr, name, grad, reference)


@pytest.mark.parametrize("granularity", GRANULARITIES)
@PROPERTIES
@given(expr=EXPRESSIONS, values=VALUES)
def test_gradients_agree_with_central_differences(granularity, expr, values):
    a = analyze(expr, values, granularity=granularity)
    assume(finite_and_moderate(a) and clear_of_kinks(a))
    assume(all(differences_are_stable(a, name) for name in a.variables))
    out = abs(float(a.numbers.values[a.graph.output]))
    assert set(a.gradcheck) == set(a.variables)
    for name, check in a.gradcheck.items():
        assert check["analytic"] == grads(a)[name]
        # the difference quotient carries ~1e-10 of the output's size as rounding error
        assert close(check["analytic"], check["numeric"], rel=1e-5, scale=1e-4 * (1 + out)), \
            (expr, name, check)
        if abs(check["analytic"]) > 1e-2 * (1 + out):
            assert check["rel_error"] < 1e-5, (expr, name, check)


def local_conditioning(analysis, step: float = 1e-7) -> float:
    """Returns the sum over edges of each local gradient's condition number as computed: how
    much a relative change of its arguments (a, b, out) changes it, relatively. A formula
    that cancels (tanh's 1 - out² where out rounds near 1) has a large one; the rounding in
    the gradient is then about eps times it, in either granularity."""
    p, total = analysis.numbers, 0.0
    for e, edge in enumerate(analysis.graph.edges):
        node = analysis.graph.nodes[edge.target]
        args = [float(p.values[i]) for i in node.inputs] + [None] * (2 - len(node.inputs))
        args.append(float(p.values[edge.target]))
        rule, local = OPS[node.op].local_fns[edge.operand], float(p.local[e])
        for k, x in enumerate(args):
            if x is None or x == 0:
                continue
            moved = list(args)
            moved[k] = x * (1 + step)
            with np.errstate(all="ignore"):
                changed = float(rule(*(None if v is None else np.float64(v) for v in moved)))
            if math.isfinite(changed) and local != 0:
                total += abs(changed - local) / (abs(local) * step)
    return total


def absolute_gradients(analysis) -> dict[str, float]:
    """Returns, per variable, the backward pass with every local made positive: the size of
    the terms its gradient sums. Where they cancel (f - f gives 0 from terms of size 1), the
    rounding left over is relative to them, not to the gradient."""
    g, p = analysis.graph, analysis.numbers
    sizes = [0.0] * len(g.nodes)
    sizes[g.output] = 1.0
    for index in range(len(g.nodes) - 1, -1, -1):
        for e in g.in_edges[index]:
            sizes[g.edges[e].source] += sizes[index] * abs(float(p.local[e]))
    return {name: sizes[i] for name, i in g.variables.items()}


@PROPERTIES
@given(expr=EXPRESSIONS, values=VALUES)
def test_fused_and_primitive_give_the_same_gradients(expr, values):
    fused = analyze(expr, values, granularity="fused")
    primitive = analyze(expr, values, granularity="primitive")
    assume(finite_and_moderate(fused, 1e8) and finite_and_moderate(primitive, 1e8))
    assume(clear_of_kinks(fused, margin=0.0))
    out = (float(fused.numbers.values[fused.graph.output]),
           float(primitive.numbers.values[primitive.graph.output]))
    assert close(*out, rel=1e-9, scale=1e-9)
    # 1e-9, or what rounding in ill-conditioned local formulas can reach (64 eps per unit)
    conditioning = local_conditioning(fused) + local_conditioning(primitive)
    rel = max(1e-9, 64 * np.finfo(float).eps * conditioning)
    terms = absolute_gradients(fused)
    for name, grad in grads(fused).items():
        assert close(grad, grads(primitive)[name], rel=rel, scale=max(1e-9, terms[name])), \
            (expr, name, rel)


def test_the_tolerance_of_fused_against_primitive_grows_with_a_cancelling_local():
    """tanh's local 1 - out² at out near 1 loses digits; at a moderate point it does not."""
    steep = analyze("tanh(exp((x + w)/x))", {"x": "0.9", "w": "1.2"})
    gentle = analyze("tanh(x*w)", {"x": "0.9", "w": "1.2"})
    assert 64 * np.finfo(float).eps * local_conditioning(steep) > 1e-9
    assert 64 * np.finfo(float).eps * local_conditioning(gentle) < 1e-12


@PROPERTIES
@given(expr=EXPRESSIONS, values=VALUES)
def test_sharing_subexpressions_keeps_the_gradients(expr, values):
    plain, shared = analyze(expr, values), analyze(expr, values, share=True)
    assume(finite_and_moderate(plain, 1e8))
    assert len(shared.graph.nodes) <= len(plain.graph.nodes)
    terms = absolute_gradients(plain)
    for name, grad in grads(plain).items():
        assert close(grad, grads(shared)[name], rel=1e-9, scale=max(1e-9, terms[name])), \
            (expr, name)


# --- edge invariants on every generated graph, finite or not ----------------------------

@pytest.mark.parametrize("granularity", GRANULARITIES)
@PROPERTIES
@given(expr=EXPRESSIONS, values=ANY_VALUES)
def test_every_edge_is_upstream_times_local_and_grads_are_their_sums(granularity, expr, values):
    d = explain(expr, values, granularity=granularity).to_dict()
    nodes = {n["id"]: n for n in d["nodes"]}
    assert [n["id"] for n in d["nodes"]] == [f"n{i}" for i in range(len(d["nodes"]))]
    assert nodes[d["output"]["id"]]["grad"] == 1.0
    outgoing: dict[str, list[float]] = {n: [] for n in nodes}
    for e in d["edges"]:
        assert same_float(e["downstream"], e["upstream"] * e["local"]), e
        assert same_float(e["upstream"], nodes[e["target"]]["grad"]), e
        outgoing[e["source"]].append(e["downstream"])
    for node_id, downs in outgoing.items():
        if node_id == d["output"]["id"]:
            assert not downs
            continue
        total, grad = math.fsum(downs) if all(map(math.isfinite, downs)) else sum(downs), \
            nodes[node_id]["grad"]
        if math.isfinite(total):
            assert abs(grad - total) <= 1e-12 * max(1.0, sum(map(abs, downs))), (node_id, downs)
        else:
            assert same_float(grad, total) or math.isnan(grad), (node_id, downs, grad)
    for name, v in d["variables"].items():
        assert same_float(v["grad"], nodes[f"n{_index(d, name)}"]["grad"])


def _index(d: dict, name: str) -> int:
    return next(i for i, n in enumerate(d["nodes"]) if n["op"] == "var" and n["text"] == name)


@pytest.mark.parametrize("granularity", GRANULARITIES)
@PROPERTIES
@given(expr=EXPRESSIONS, values=ANY_VALUES)
def test_the_same_text_gives_the_same_ids_and_numbers(granularity, expr, values):
    first = explain(expr, values, granularity=granularity).to_dict()
    second = explain(expr, values, granularity=granularity).to_dict()
    assert json.dumps(first) == json.dumps(second)   # nan == nan as text


# --- a torch oracle, with the conventions at non-differentiable points -------------------

def torch_grads(expr: str, values: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Returns PyTorch's output and gradients of the expression as typed (the fused graph)."""
    torch = pytest.importorskip("torch")
    graph = analyze(expr, values).graph
    leaves = {name: torch.tensor(float(values[name]), dtype=torch.float64, requires_grad=True)
              for name in graph.variables}
    out = replay(torch, graph, leaves)
    out.backward()
    return out.item(), {n: float(t.grad) for n, t in leaves.items()}


def test_the_torch_oracle_knows_every_op():
    torch = pytest.importorskip("torch")
    assert set(torch_ops(torch)) == set(OPS)


TORCH_TABLE = [
    ("(x+y)*z", dict(x="-2", y="5", z="-4")),
    ("sigmoid(w0*x0 + w1*x1 + w2)", dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3")),
    ("x*x", dict(x="-3")),
    ("x - y / z", dict(x="1.5", y="2", z="-0.5")),
    ("-x^2 + x**y", dict(x="1.5", y="2.5")),
    ("x^2", dict(x="-2")),
    ("x^y", dict(x="-2", y="2")),           # d/dy is ln(-2): nan for both
    ("x^y", dict(x="0", y="-1")),
    ("exp(x) * log(y) + sqrt(z)", dict(x="0.3", y="2", z="4")),
    ("sin(x) * cos(y) / tan(z)", dict(x="0.3", y="1.2", z="0.7")),
    ("tanh(x) + sigmoid(y) * relu(z)", dict(x="0.8", y="-1", z="2")),
    ("relu(x)", dict(x="0")),               # relu'(0) = 0
    ("relu(x)", dict(x="-1")),
    ("relu(x - y)", dict(x="1", y="1")),
    ("abs(x)", dict(x="0")),                # abs'(0) = 0
    ("abs(x)", dict(x="-2")),
    ("max(x, y)", dict(x="1", y="1")),      # a tie splits the gradient in halves
    ("min(x, y)", dict(x="1", y="1")),
    ("max(x, x)", dict(x="2")),
    ("max(x, y) * min(x, y)", dict(x="2", y="3")),
    ("sqrt(x)", dict(x="0")),               # sqrt at 0: grad inf
    ("log(x)", dict(x="0")),
    ("x / y", dict(x="1", y="0")),
    ("exp(x)", dict(x="1000")),             # overflow: inf, flowing on
    ("tanh(x)", dict(x="800")),
    ("x^y", dict(x="0", y="2")),            # pow at 0 follows torch: 0, not 0·inf = nan
    ("x^y", dict(x="0", y="0.5")),
    ("x^0", dict(x="0")),
]

def _torch_cases():
    for case in TORCH_TABLE:
        expr, values = case.values if hasattr(case, "values") else case
        marks = list(getattr(case, "marks", ()))
        for granularity in GRANULARITIES:
            yield pytest.param(expr, values, granularity, marks=marks,
                               id=f"{granularity}:{expr}@{','.join(values.values())}")


@pytest.mark.parametrize("expr,values,granularity", list(_torch_cases()))
def test_gradients_agree_with_torch(expr, values, granularity):
    torch_out, torch_grad = torch_grads(expr, values)
    a = analyze(expr, values, granularity=granularity)
    ours = float(a.numbers.values[a.graph.output])
    assert np.isclose(ours, torch_out, rtol=1e-12, atol=1e-15, equal_nan=True), (ours, torch_out)
    for name, grad in grads(a).items():
        assert np.isclose(grad, torch_grad[name], rtol=1e-12, atol=1e-15, equal_nan=True), \
            (name, grad, torch_grad[name])


# --- arrays: random expressions over every op and shape, only the engine's own errors ----

ARRAY_SHAPES = {"s": (), "v": (3,), "u": (2,), "M": (2, 3), "N": (3, 2), "r": (1, 3)}


def array_expressions(depth: int) -> st.SearchStrategy[str]:
    """Returns text over every op in OPS (drawn stably) and operands of every shape, sizes
    that fit or not: a shape error must be a ChainruleError, never another exception."""
    leaves = st.one_of(stably(ARRAY_SHAPES), CONSTANT_TEXT)
    if depth == 0:
        return leaves
    child = weighted((array_expressions(depth - 1), 2), (leaves, 1))
    return stably(OPS).flatmap(lambda name: st.tuples(*[child] * OPS[name].arity).map(
        functools.partial(_typed, name)))


def _typed(name: str, args) -> str:
    op = OPS[name]
    if name == "neg":
        return f"-{_paren(args[0])}"
    if op.typed:
        return _binary((args[0], op.typed, args[1]))
    return _call(name, args)


ARRAY_VALUES = st.fixed_dictionaries({
    name: st.lists(st.sampled_from(["0.5", "-1.5", "2", "0", "0.25", "-0.75"]),
                   min_size=max(1, math.prod(shape)), max_size=max(1, math.prod(shape)))
    .map(lambda xs, shape=shape: xs[0] if not shape else
         json.dumps(np.array(xs, dtype=float).reshape(shape).tolist()))
    for name, shape in ARRAY_SHAPES.items()})


@settings(PROPERTIES, max_examples=300)
@given(expr=st.integers(1, 4).flatmap(array_expressions), values=ARRAY_VALUES,
       share=st.booleans())
def test_array_expressions_answer_or_refuse_with_the_engines_own_error(expr, values, share):
    try:
        a = analyze(expr, values, share=share)
    except ChainruleError:
        return
    d = Lesson(a).to_dict()
    p = a.numbers
    for i, value in enumerate(p.values):   # every gradient has its node's shape
        assert np.shape(p.grads[i]) == np.shape(value), (expr, i)
    for e, edge in enumerate(a.graph.edges):
        assert np.shape(p.upstream[e]) == np.shape(p.values[edge.target])
        assert np.shape(p.downstream[e]) == np.shape(p.values[edge.source])
    assert json.loads(json.dumps(d, default=str))
