"""Groups: a neuron, a long sum, a statement, and in big graphs stretches of the rest, each drawn as one box that a
click opens; lecture-size graphs are drawn exactly as before unless groups=all is asked."""

import re

import pytest

from chainrule.app.presets import PRESETS
from chainrule.engine import analyze
from chainrule.engine.groups import GROUP_NODES, MAX_GATES, SUBTREE_GATES, find_groups
from chainrule.engine.lesson import Lesson
from chainrule.engine.labels import _num
from chainrule.engine.render import View, to_dot
from tests.shapes import SHAPES


def lesson(expr, values=None):
    return Lesson(analyze(expr, values or {}))


def found(expr):
    les = lesson(expr)
    return [(group.name, group.kind, sorted(les.name(i) for i in group.members)) for group in find_groups(les)]


# what a person sees as one thing, and what stays outside it (inputs other boxes use too)
CASES = [
    ("a neuron written without a name holds its weights and bias, not its inputs",
     "tanh(a*x + b*y + c)*tanh(d*x + e*y + k)",
     [("q₁₀", "neuron", ["d", "e", "k", "q₁₀", "q₆", "q₇", "q₈", "q₉"]),
      ("q₅", "neuron", ["a", "b", "c", "q₁", "q₂", "q₃", "q₄", "q₅"])]),
    ("a named neuron is named by its statement", "h = tanh(a*x + b*y + c); f = h*h",
     [("h", "neuron", ["a", "b", "c", "h", "q₁", "q₂", "q₃", "q₄", "x", "y"])]),
    ("a statement is what was written under its name", "h = sin(x)*cos(y)*exp(z); f = h + h",
     [("h", "statement", ["h", "q₁", "q₂", "q₃", "q₄", "x", "y", "z"])]),
    ("a sum of four or more terms is one box", "a*x + b*y + c*z + d",
     [("f", "sum", ["a", "b", "c", "d", "f", "q₁", "q₂", "q₃", "q₄", "q₅", "x", "y", "z"])]),
    ("three terms are read at a glance", "a*x + b*y + c", []),
    ("two gates are not worth a box", "q = x + y; f = q*z", []),
]


@pytest.mark.parametrize(("lesson_", "expr", "groups"), CASES, ids=[case[0] for case in CASES])
def test_groups_are_what_a_person_reads_as_one_thing(lesson_, expr, groups):
    assert sorted(found(expr)) == sorted(groups)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("ops", [100, 1_000, 2_499])
def test_groups_do_not_overlap_and_each_has_one_way_out(shape, ops):
    les = lesson(SHAPES[shape](ops))
    g = les.graph
    seen = set()
    for group in find_groups(les):
        assert not seen & group.members
        seen |= group.members
        for edge in g.edges:   # nothing but the output is used outside: the box's numbers are its output's
            if edge.source in group.members and edge.source != group.output:
                assert edge.target in group.members
        assert group.gates <= MAX_GATES   # opening any one box draws a few dozen gates at most
        if group.kind == "subexpression":
            assert group.gates <= 2 * SUBTREE_GATES


@pytest.mark.parametrize(("slug", "query"), [(preset.slug, preset.query) for preset in PRESETS])
def test_lecture_size_graphs_are_drawn_as_before(slug, query):
    les = query.lesson()
    assert len(les.graph.nodes) <= GROUP_NODES
    view = query.view(les)
    assert to_dot(les, view) == to_dot(les, View(**{**view.__dict__, "groups": "none"}))


def test_a_closed_box_shows_its_output_s_value_and_gradient():
    les = lesson("h = tanh(a*x + b*y + c); f = h*x", {"a": "0.5", "x": "1", "b": "-1", "y": "2", "c": "0.25"})
    dot = to_dot(les, View(groups="all"))
    box = next(line for line in dot.splitlines() if 'class="group' in line)
    h = les.graph.names["h"]
    assert f'id="n{h}"' in box and "<B>h</B>" in box and "neuron: 3 terms, 5 gates" in box
    p = les.numbers
    assert f">{_num(p.values[h], 3)}<" in box and f">∂ {_num(p.grads[h], 3)}<" in box
    assert re.search(rf"n{les.graph.variables['x']} -> n{h} ", dot)   # the input drawn outside, joined to the box


def test_a_closed_box_names_the_far_variables_it_uses_instead_of_long_edges():
    les = lesson(SHAPES["chain"](400))
    dot = to_dot(les)
    assert "uses x, y" in dot
    assert dot.count(" -> ") < len(les.graph.edges) / 2
