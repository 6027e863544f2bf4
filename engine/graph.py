"""Statements -> Graph: the gates as typed, in topological order, with stable ids.

Nodes are created children first, so the list order is a topological order and ids
(n0, n1, ...) are stable for the same text. A variable is one node however often it is
used (fan-out), and so is a named statement (`q = x + y; f = q*z`: q is one node, named
q); constants are nodes of their own; each op occurrence is its own gate, unless `share`
asks identical subexpressions to be one node.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, NamedTuple

from .errors import LimitError
from .ops import CONSTANTS, OPS
from .parse import CONSTANT_SPELLINGS, MAX_OPS, Tree, parse, parse_program

MAX_VARIABLES = 1_000
_ATOM = 9  # precedence of names, numbers and function calls


class Node(NamedTuple):   # a record, made as a tuple is (a third of a frozen dataclass's cost): thousands per request
    op: str                    # "var", "const" or an op name
    inputs: tuple[int, ...]    # indices of operand nodes; a node may appear twice (x*x)
    text: str                  # the subexpression as text, e.g. "x + y"
    latex: str
    precedence: int = _ATOM
    const: float = 0.0         # a constant's value
    exact: str = ""            # a constant's exact text ("1.1", "pi"), for exact mode
    start: int = 0             # where it was typed, for messages
    name: str = ""             # the statement's name (q in q = x + y), "" if unnamed

    @property
    def is_leaf(self) -> bool:
        return not self.inputs


class Edge(NamedTuple):
    source: int
    target: int
    operand: int               # which operand of the target the source is


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    variables: dict[str, int] = field(default_factory=dict)  # name -> node, first use first
    output: int = -1
    in_edges: list[list[int]] = field(default_factory=list)  # node -> its edges, by operand
    names: dict[str, int] = field(default_factory=dict)  # statement name -> node, in order

    @property
    def has_array_ops(self) -> bool:
        return any(n.op in OPS and not OPS[n.op].elementwise for n in self.nodes)

    def id(self, index: int) -> str:
        return f"n{index}"

    @property
    def text(self) -> str:
        """Returns the whole input as canonical text: "q = x + y; f = q*z", or the output's
        text for one expression."""
        out = self.nodes[self.output]
        lines = [f"{name} = {self.nodes[i].text}" for name, i in self.names.items()]
        return "; ".join(lines if out.name else lines + [out.text])


def build_graph(text: str, granularity: str = "fused", share: bool = False, *,
                given: Iterable[str] = ()) -> Graph:
    """Returns the graph of `text` (parsed safely), with fused or primitive gates; the last
    statement is the output. `given` names the variables that have values (`e` is Euler's
    number unless it is one of them; a value for pi is refused).

    >>> g = build_graph("q = x + y; f = q*z")
    >>> [g.nodes[i].text for i in g.names.values()], g.nodes[g.output].name
    (['x + y', 'q*z'], 'f')
    """
    if granularity not in ("fused", "primitive"):
        raise LimitError(f"granularity must be 'fused' or 'primitive', not {granularity!r}")
    builder = _Builder(granularity == "primitive", share)
    graph = builder.graph
    env: dict[str, int] = {}
    for statement in parse_program(text, given):
        index = builder.build(statement.tree, env)
        if statement.name:
            node = graph.nodes[index]
            if not node.name:   # with share, two statements may compute one node
                graph.nodes[index] = node._replace(name=statement.name)
            env[statement.name] = graph.names[statement.name] = index
    graph.output = index
    if len(graph.nodes) - len(graph.variables) > 2 * MAX_OPS:
        raise LimitError(f"the expanded graph has more than {2 * MAX_OPS} nodes; "
                         "that is the limit")
    return graph


@lru_cache(maxsize=None)
def _primitive_tree(op_name: str) -> Tree:
    return parse(OPS[op_name].primitive)


class _Builder:
    def __init__(self, expand: bool, share: bool):
        self.graph = Graph()
        self.expand = expand
        self.shared: dict | None = {} if share else None

    def build(self, tree: Tree, env: dict[str, int], at: int | None = None) -> int:
        """Returns the node of `tree`; walks with explicit stacks, never recursion deep.

        `env` maps names to nodes already built: a primitive template's `a` is its operand;
        `at` is where the expanded function was typed, for the template's gates. A subtree
        that occurs twice is built twice (the parser never shares one; `share` merges them).
        """
        # Each subtree before its operands, the last operand first: reversed, this is
        # operands before the op, left to right, the order nodes are numbered in.
        order = []
        stack = [tree]
        while stack:
            t = stack.pop()
            order.append(t)
            stack.extend(t.args)
        built: list[int] = []               # the nodes of operands not yet used
        for t in reversed(order):
            if t.args:
                n = len(t.args)
                inputs = tuple(built[-n:])
                del built[-n:]
            else:
                inputs = ()
            built.append(self.node_for(t, inputs, env, at))
        return built[0]

    def node_for(self, t: Tree, inputs: tuple[int, ...], env: dict[str, int],
                 at: int | None) -> int:
        graph = self.graph
        if t.op == "var":
            name = t.name
            if name in env:
                return env[name]
            index = graph.variables.get(name)
            if index is None:
                if len(graph.variables) >= MAX_VARIABLES:
                    raise LimitError(f"more than {MAX_VARIABLES:,} variables at {t.start}",
                                     t.start)
                index = graph.variables[name] = self.add(
                    Node("var", (), name, _latex_name(name), start=t.start))
            return index
        if t.op == "const":
            constant = CONSTANT_SPELLINGS.get(t.name, t.name)
            if constant in CONSTANTS:
                return self.add(Node("const", (), t.name, _CONST_LATEX[constant],
                                     const=t.value, exact=constant))
            return self.add(Node("const", (), _number_text(t.name), _number_text(t.name),
                                 const=t.value, exact=t.name))
        op = OPS[t.op]
        if self.expand and op.primitive:
            return self.build(_primitive_tree(op.name), {"a": inputs[0]}, t.start)
        shared = self.shared
        if shared is not None and (t.op, inputs) in shared:
            return shared[t.op, inputs]
        index = self.add(_op_node(op, inputs, graph.nodes, t.start if at is None else at))
        if shared is not None:
            shared[t.op, inputs] = index
        return index

    def add(self, node: Node) -> int:
        graph = self.graph
        index = len(graph.nodes)
        graph.nodes.append(node)
        graph.in_edges.append([])
        for operand, source in enumerate(node.inputs):
            graph.in_edges[index].append(len(graph.edges))
            graph.edges.append(Edge(source, index, operand))
        return index


_CONST_LATEX = {"pi": r"\pi", "E": "e"}


def _number_text(literal: str) -> str:
    """Returns a literal as people write it: 1.50 -> 1.5, 2.0 -> 2, 1e-3 -> 0.001."""
    value = float(literal)
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


_INDEXED_NAME = re.compile(r"([A-Za-z]+)_?(\d+)")   # w0, x_1


def _latex_name(name: str) -> str:
    """Returns w0 as w_{0} and x_1 as x_{1}; long names as \\mathrm{...}."""
    m = _INDEXED_NAME.fullmatch(name)
    if m and len(m.group(1)) == 1:
        return f"{m.group(1)}_{{{m.group(2)}}}"
    escaped = name.replace("_", r"\_")
    return escaped if len(name) == 1 else rf"\mathrm{{{escaped}}}"


def _operand(node: Node) -> Node:
    """Returns how a node reads as an operand: a named one by its name, so that texts stay
    as long as their statement (a chain of statements that each use the last one twice
    would otherwise double its text at each step)."""
    if not node.name:
        return node
    return Node(node.op, (), node.name, _latex_name(node.name))


def _op_node(op, inputs: tuple[int, ...], nodes: list[Node], start: int) -> Node:
    """Returns the node of `op` over `inputs`, typed at `start`, with its text and LaTeX."""
    args = [_operand(nodes[i]) for i in inputs]
    if op.is_function:
        text = f"{op.name}({', '.join([a.text for a in args])})"
        return Node(op.name, inputs, text, _fill(op.latex, [a.latex for a in args]), start=start)
    prec = op.precedence
    if op.name == "neg":
        (a,) = args
        wrap = a.precedence <= prec
        return Node("neg", inputs, f"-{_paren(a.text, wrap)}",
                    "-" + _paren(a.latex, wrap, latex=True), prec, start=start)
    a, b = args
    right_assoc = op.name == "pow"
    wrap_a = a.precedence < prec or (right_assoc and a.precedence <= prec)
    wrap_b = b.precedence < prec or (not right_assoc and b.precedence <= prec
                                     and op.name in ("sub", "div"))
    spaced = f" {op.typed} " if prec == 1 or op.typed == "@" else op.typed
    text = _paren(a.text, wrap_a) + spaced + _paren(b.text, wrap_b)
    grouped = op.name == "div"  # \frac groups its operands; pow's exponent is in braces
    latex = _fill(op.latex, [_paren(a.latex, wrap_a and not grouped, latex=True),
                             _paren(b.latex, wrap_b and not grouped and not right_assoc,
                                    latex=True)])
    return Node(op.name, inputs, text, latex, prec, start=start)


def _paren(text: str, wrap: bool, latex: bool = False) -> str:
    if not wrap:
        return text
    return rf"\left({text}\right)" if latex else f"({text})"


def _fill(template: str, operands: list[str]) -> str:
    filled = template.replace("§a§", operands[0])
    return filled.replace("§b§", operands[1]) if len(operands) == 2 else filled
