"""Groups: the repeated or deep structure of a big graph, each drawn as one box that a click opens.

A group is a gate (its output) and the gates and leaves that only it uses:
- a statement, `h1 = tanh(w1*x1 + w2*x2 + b)`: the gates the person wrote under that name;
- a neuron, an activation (tanh, σ, ReLU) of a sum of terms, written without a name;
- in a big graph, what is left: a stretch of at most SUBTREE_GATES gates without names or shared nodes;
- a long sum, `w1*x1 + w2*x2 + ... + b`: its chain of + and the products that only it uses (a sum of more than
  MAX_TERMS terms is a row of boxes of MAX_TERMS terms each).

Groups never overlap (statements first, then neurons, then sums) and never nest; a group is named by its output's
lecture name (the statement's name, else q₁₂), so `open=h1,q₁₂` reads like the drawing. Leaves used by one group
alone (a neuron's weights and bias) are inside it; inputs shared with other groups stay outside.

Which groups are drawn collapsed (`collapsed`): with groups=auto, every group of a graph of more than
GROUP_NODES nodes (lecture-size graphs are drawn as they always were); groups=all collapses them at any size,
groups=none never. A name in `open` draws that group's gates.

>>> from chainrule.engine.analysis import analyze
>>> from chainrule.engine.lesson import Lesson
>>> lesson = Lesson(analyze("h = tanh(a*x + b*y + c); f = h*h"))
>>> [(group.name, group.kind, group.gates) for group in find_groups(lesson)]
[('h', 'neuron', 5)]
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

from .errors import ChainruleError

GROUP_NODES = 100        # groups=auto collapses the groups of a graph with more nodes than this
MIN_GATES = 3            # a group of fewer gates saves nothing
MIN_SUM_TERMS = 4        # an unnamed sum of fewer terms is read at a glance
MAX_TERMS = 32           # a longer sum is drawn as several boxes, so that opening one stays quick
SUBTREE_GATES = 24       # the largest unnamed stretch of a big graph drawn as one box
MAX_GATES = 64           # a longer statement is not one box: the neurons and sums inside it are
MAX_OPEN_CHARS = 4_000   # the open= option's text
COPY_SPAN = 2            # ranks a variable's edge may span in a big drawing before its use gets a copy of its name
SUMS = ("add", "sub")     # the gates of a sum: a − b is a sum with a term negated
ACTIVATIONS = ("tanh", "sigmoid", "relu")


@dataclass(frozen=True)
class Group:
    name: str                 # the output's lecture name
    kind: str                 # neuron, sum or statement
    output: int               # the node whose value and gradient the box shows
    members: frozenset[int]   # every node inside, the output included
    gates: int                # how many of them are gates (not leaves)
    terms: int                # a sum's terms, a neuron's sum's terms (0 for a statement)


def read_open(raw: str) -> str:
    """Reads the open= option: group names separated by commas (unknown names are ignored: a link keeps working
    while its expression is edited)."""
    if len(raw) > MAX_OPEN_CHARS:
        raise ChainruleError(f"open is {len(raw)} characters long; the limit is {MAX_OPEN_CHARS}")
    return ",".join(name.strip() for name in raw.split(",") if name.strip()) or None


def open_names(text: str | None) -> set[str]:
    return {name for name in (text or "").split(",") if name}


def find_groups(lesson) -> list[Group]:
    """Returns the lesson's groups, in the order of their outputs (memoised on the lesson)."""
    if "groups" not in lesson.memo:
        lesson.memo["groups"] = _find(lesson)
    return lesson.memo["groups"]


def collapsed(lesson, groups: str, open_: str | None) -> dict[int, Group]:
    """Returns node -> its collapsed group, for every node inside a group drawn as one box."""
    g = lesson.graph
    if groups == "none" or (groups == "auto" and len(g.nodes) <= GROUP_NODES):
        return {}
    opened = open_names(open_)
    inside: dict[int, Group] = {}
    for group in find_groups(lesson):
        if group.name not in opened:
            inside.update((i, group) for i in group.members)
    return inside


def is_big(lesson) -> bool:
    """A graph past GROUP_NODES nodes: drawn for pan and zoom, its far uses of a variable repeated near them."""
    return len(lesson.graph.nodes) > GROUP_NODES


@dataclass(frozen=True)
class Drawn:
    """What a drawing shows of the graph: the edges between the boxes drawn (a collapsed group is its output's box),
    one per pair; the uses of a variable drawn as a small copy of its name beside the gate that uses it; and the
    variables a closed box uses far from where they are drawn, written inside the box instead of an edge."""

    edges: list[tuple[int, int, int]]   # (source, target, the first edge of the graph between them)
    copies: set[int]                    # indices into `edges` whose source is drawn as a copy
    written: dict[int, list[int]]       # a closed box's output -> the far variables it uses


def drawn(lesson, inside: dict[int, Group], big: bool) -> Drawn:
    """Returns the edges between drawn boxes. In a big drawing a variable's uses more than COPY_SPAN ranks right of
    its first use are drawn from a copy of its name, or named inside the closed box that uses it: the long edges
    they would need cost Graphviz most (a chain of 300 statements each using x and y took 70 s to lay out)."""
    g = lesson.graph
    box = [inside[i].output if i in inside else i for i in range(len(g.nodes))]
    edges, seen = [], set()
    for e, edge in enumerate(g.edges):
        pair = (box[edge.source], box[edge.target])
        if pair == (edge.source, edge.target):
            edges.append((*pair, e))          # drawn as it is (x*x keeps its two edges)
        elif pair[0] != pair[1] and pair not in seen:
            seen.add(pair)                    # into or out of a box: once
            edges.append((*pair, e))
    if not big:
        return Drawn(edges, set(), {})
    depth = [0] * len(g.nodes)
    for source, target, _ in edges:   # in the graph's order: sources before targets
        depth[target] = max(depth[target], depth[source] + 1)
    nearest: dict[int, int] = {}
    for source, target, _ in edges:
        if g.nodes[source].op == "var":
            nearest[source] = min(nearest.get(source, depth[target]), depth[target])
    kept, copies, written = [], set(), {}
    for source, target, e in edges:
        if g.nodes[source].op == "var" and depth[target] > nearest[source] + COPY_SPAN:
            if target in inside:
                written.setdefault(target, []).append(source)
                continue
            copies.add(len(kept))
        kept.append((source, target, e))
    return Drawn(kept, copies, written)


def _find(lesson) -> list[Group]:
    g = lesson.graph
    consumers: list[list[int]] = [[] for _ in g.nodes]
    for edge in g.edges:
        consumers[edge.source].append(edge.target)
    taken: set[int] = set()
    found: list[Group] = []

    def free(i: int) -> bool:   # a gate that only one other node uses and nobody named
        node = g.nodes[i]
        return not node.is_leaf and not node.name and i != g.output and i not in taken \
            and len(consumers[i]) == 1

    def sum_chain(root: int) -> tuple[set[int], list[int]]:
        """Returns the + gates of the chain under `root` and the chain's terms."""
        adds, terms, stack = {root}, [], list(g.nodes[root].inputs)
        while stack:
            i = stack.pop()
            if g.nodes[i].op in SUMS and free(i):
                adds.add(i)
                stack.extend(g.nodes[i].inputs)
            else:
                terms.append(i)
        return adds, terms

    def close(members: set[int], gate_ops: tuple[str, ...] | None) -> set[int]:
        """Adds what only the group uses below its members: leaves, and gates of `gate_ops` (any gate for None).
        Highest index first: a node's users come after it, so all of them are decided when it is."""
        frontier = [-u for m in members for u in g.nodes[m].inputs]
        heapq.heapify(frontier)
        while frontier:
            u = -heapq.heappop(frontier)
            node = g.nodes[u]
            if u in members or u in taken or u == g.output or node.name and not node.is_leaf:
                continue   # already in, in another group, the output, or a statement of its own
            if not all(c in members for c in consumers[u]):
                continue   # used outside the group too
            if node.is_leaf or gate_ops is None or node.op in gate_ops:
                members.add(u)
                for v in node.inputs:
                    heapq.heappush(frontier, -v)
        return members

    def add(root: int, kind: str, members: set[int], terms: int) -> bool:
        gates = sum(1 for i in members if not g.nodes[i].is_leaf)
        if gates >= MIN_GATES:
            taken.update(members)
            found.append(Group(lesson.name(root), kind, root, frozenset(members), gates, terms))
        return gates >= MIN_GATES

    # statements: what the person wrote under a name (down to other names and shared nodes), if not too long
    for root, node in enumerate(g.nodes):
        if node.name and not node.is_leaf:
            members = close({root}, None)
            kind, terms = "statement", 0
            if node.op in ACTIVATIONS and node.inputs[0] in members and g.nodes[node.inputs[0]].op in SUMS:
                kind, terms = "neuron", len(sum_chain(node.inputs[0])[1])
            elif node.op in SUMS:
                kind, terms = "sum", len(sum_chain(root)[1])
            if sum(1 for i in members if not g.nodes[i].is_leaf) <= MAX_GATES:
                add(root, kind, members, terms)
    # neurons, then long sums, written without names
    for root in range(len(g.nodes) - 1, -1, -1):
        node = g.nodes[root]
        if root in taken or node.op not in ACTIVATIONS:
            continue
        inner = node.inputs[0]
        if g.nodes[inner].op in SUMS and free(inner):
            adds, terms = sum_chain(inner)
            if 2 <= len(terms) <= MAX_TERMS:
                add(root, "neuron", close({root} | adds, ("mul", "neg")), len(terms))

    def sums(least_terms: int) -> None:
        for root in range(len(g.nodes) - 1, -1, -1):
            node = g.nodes[root]
            if root in taken or node.op not in SUMS or free(root) and g.nodes[consumers[root][0]].op in SUMS:
                continue   # the top of a chain only: an add that feeds another add is inside that one's chain
            adds, terms = sum_chain(root)
            if len(terms) < least_terms:
                continue
            # a longer sum is a row of boxes of MAX_TERMS terms each, so that opening one draws a few gates
            order = sorted(adds, reverse=True)
            for start in range(0, len(order), MAX_TERMS - 1):
                piece = set(order[start:start + MAX_TERMS - 1])
                top = max(piece)
                if all(c in piece for i in piece - {top} for c in consumers[i]):   # one way out: its top
                    add(top, "sum", close(piece, ("mul", "neg")),
                        sum(1 for i in piece for u in g.nodes[i].inputs if u not in piece))

    sums(MAX_TERMS)   # the sums too long for one box first: the stretches below would cut them up
    # what is left of a big graph (a random expression has no neurons nor long sums, and Graphviz pays for every node
    # it places) is cut, children first, into stretches of about SUBTREE_GATES gates without names or shared nodes
    if is_big(lesson):
        open_size = [0] * len(g.nodes)   # gates under a node not yet in a group
        for i, node in enumerate(g.nodes):
            if node.is_leaf or i in taken:
                continue
            below = sorted({u for u in node.inputs if free(u) and open_size[u]}, key=lambda u: open_size[u])
            size = 1 + sum(open_size[u] for u in below)
            while size > SUBTREE_GATES and below:   # the largest stretch below becomes a box of its own
                u = below.pop()
                if add(u, "subexpression", close({u}, None), 0):
                    size -= open_size[u]
            open_size[i] = size
            if not free(i):
                add(i, "subexpression", close({i}, None), 0)
    sums(MIN_SUM_TERMS)
    found.sort(key=lambda group: group.output)
    return found
