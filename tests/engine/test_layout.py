"""The dot a process keeps running (engine.tools.dot_svg) writes what a fresh `dot -Tsvg` writes, graph after
graph; it is held to each graph's CPU seconds, and a graph over them leaves the next one drawn as usual."""
import multiprocessing
import random
from dataclasses import replace

import pytest

from chainrule.app.presets import PRESETS
from chainrule.engine import LimitError
from chainrule.engine.render import View, to_dot
from chainrule.engine import tools
from chainrule.engine.tools import dot_svg, run_tool

VIEWS = [View(rankdir="LR"), View(rankdir="TB", labels="lecture"), View(rankdir="LR", labels="none", theme="dark"),
         View(rankdir="TB", step=1, callouts=True)]


def expensive_dot(nodes: int = 800) -> str:
    """A random graph with three-line edge labels: 2 to 4.5 s of CPU for Graphviz at 400 nodes (measured), and
    more than twice that at 800."""
    pick = random.Random(0)
    edges = "".join(f'n{pick.randrange(i)} -> n{i} [label="upstream 1.23\\nlocal 4.56\\ndown 7.89"];\n'
                    for i in range(1, nodes) for _ in range(2))
    return "digraph heavy {\n" + edges + "}\n"


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.slug)
def test_the_kept_dot_draws_every_worked_example_as_a_fresh_dot_does(preset):
    lesson = preset.query.lesson()
    for view in VIEWS:
        dot = to_dot(lesson, replace(view, step=None if view.step is None else min(view.step, len(lesson.steps) - 1)))
        assert dot_svg(dot) == run_tool(["dot", "-Tsvg"], dot.encode())


def test_a_graph_without_a_final_newline_is_drawn_not_waited_for():
    small = to_dot(PRESETS[0].query.lesson(), View(rankdir="LR"))
    assert dot_svg(small.rstrip("\n")) == dot_svg(small)


def test_several_graphs_at_once_are_all_drawn_and_leave_nothing_behind_for_the_next():
    lesson = PRESETS[0].query.lesson()
    first, second = (to_dot(lesson, View(rankdir=r)) for r in ("LR", "TB"))
    both = dot_svg(first + second).decode()
    assert both.count("</svg>") == 2 and both == run_tool(["dot", "-Tsvg"], (first + second).encode()).decode()
    assert dot_svg(first) == run_tool(["dot", "-Tsvg"], first.encode())   # not the second one's, left in a pipe


def test_a_graph_over_its_cpu_seconds_is_refused_and_the_next_graph_is_drawn():
    small = to_dot(PRESETS[0].query.lesson(), View(rankdir="LR"))
    before = dot_svg(small)
    with pytest.raises(LimitError, match="more than 1 s of computing"):
        dot_svg(expensive_dot(), cpu_s=1)   # stopped within 1 to 2 s of CPU
    assert dot_svg(small) == before


def test_each_graph_gets_its_own_cpu_seconds_however_many_the_kept_dot_has_used():
    medium = expensive_dot(200)   # ~0.3 to 1 s of CPU each
    first = dot_svg(medium, cpu_s=2)
    used = 0.0
    for _ in range(12):
        assert dot_svg(medium, cpu_s=2) == first
        used = tools._kept._cpu_s()
        if used > 3:
            break
    assert used > 3   # past the first allowance many times over


def test_a_dot_that_fails_gives_graphvizs_own_error_and_the_next_graph_is_drawn():
    small = to_dot(PRESETS[0].query.lesson(), View(rankdir="LR"))
    with pytest.raises(RuntimeError, match="syntax error"):
        dot_svg("digraph { a -> }\n")
    assert dot_svg(small) == run_tool(["dot", "-Tsvg"], small.encode())


def _draw_in_child(dot: str, answers) -> None:
    answers.put(dot_svg(dot))


def test_a_forked_process_draws_with_a_dot_of_its_own():
    small = to_dot(PRESETS[0].query.lesson(), View(rankdir="LR"))
    expected = dot_svg(small)   # the parent's kept dot is running before the fork
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    children = [context.Process(target=_draw_in_child, args=(small, answers)) for _ in range(2)]
    for child in children:
        child.start()
    drawn = [answers.get(timeout=60) for _ in children]
    for child in children:
        child.join(10)
    assert drawn == [expected, expected] and dot_svg(small) == expected
