"""Practice: blanks in lecture order, answers checked within the digits shown, hints that teach without the
number, and a page that holds no number the student has not reached."""
import json
import re

import pytest

from chainrule.engine import ChainruleError, Lesson, analyze
from chainrule.engine.practice import blanks, check, masked, read_answer, truth

ADD_MUL = ("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})
NEURON = ("sigmoid(w0*x0 + w1*x1 + w2)", dict(w0="2", x0="-1", w1="-3", x1="-2", w2="-3"))


def lesson(expr, values=None):
    return Lesson(analyze(expr, values or {}))


def test_blanks_follow_the_lecture_forward_then_back_from_the_output():
    asked = [(b.id, b.quantity, b.step) for b in blanks(lesson(*ADD_MUL))]
    assert asked == [("n2", "value", 1), ("n4", "value", 2),
                     ("n4", "grad", 3), ("e2", "local", 3), ("e2", "downstream", 3),
                     ("e3", "local", 3), ("e3", "downstream", 3),
                     ("n2", "grad", 4), ("e0", "local", 4), ("e0", "downstream", 4),
                     ("e1", "local", 4), ("e1", "downstream", 4)]


def test_backward_practice_gives_the_forward_values():
    assert all(b.quantity != "value" for b in blanks(lesson(*ADD_MUL), "backward"))


def test_a_variable_used_twice_is_asked_for_the_sum_of_its_shares():
    last = blanks(lesson("x*x", {"x": "3"}))[-1]
    assert (last.id, last.quantity) == ("n0", "grad") and "used 2 times" in last.label


def test_labels_say_what_is_asked_in_lecture_names():
    labels = [b.label for b in blanks(lesson(*ADD_MUL))]
    assert labels[2] == "∂f/∂f: the gradient arriving at f"
    assert labels[7] == "∂f/∂q: the gradient arriving at q"


@pytest.mark.parametrize("answer", ["-0.197", "-0.1966", "-0.196", "-3*0.197+0.394", "-197/1000"])
def test_an_answer_is_right_within_the_digits_on_display(answer):
    les = lesson(*NEURON)
    w0 = les.graph.variables["w0"]
    edge = next(e for e, edge in enumerate(les.graph.edges) if edge.source == w0)
    assert check(les, f"e{edge}", "downstream", answer).correct


@pytest.mark.parametrize("answer", ["0.197", "-0.2", "-0.19", "0"])
def test_a_wrong_answer_gets_a_hint_that_does_not_give_the_number_away(answer):
    les = lesson(*NEURON)
    verdict = check(les, "e0", "local", answer)
    assert not verdict.correct and verdict.hint
    assert "-1" not in verdict.hint and "−1" not in verdict.hint   # the local of w0 is x0 = −1
    assert "mul swaps" in verdict.hint


def test_the_fan_out_hint_says_the_shares_add():
    les = lesson("x*x + x", {"x": "3"})
    assert "at a fan-out the shares add" in check(les, "n0", "grad", "1").hint


def test_an_answer_naming_a_variable_is_not_a_number():
    with pytest.raises(ChainruleError, match="not a name: x0 is a variable"):
        check(lesson(*NEURON), "e0", "local", "x0")


@pytest.mark.parametrize("answer", ["", "__import__('os')", "1/0+", "9^9^9^9", "x" * 200, "exp(1000)", "[1,2]",
                                    "1e999", "；", "0.004^0.1234567"])
def test_hostile_answers_get_a_plain_refusal_or_a_verdict(answer):
    try:
        verdict = check(lesson(*ADD_MUL), "n2", "value", answer)
        assert verdict.correct is False
    except ChainruleError as error:
        assert error.message


@pytest.mark.parametrize("blank, quantity", [("n99", "value"), ("e0", "value"), ("x", "grad"), ("n1", "nope"),
                                             ("n²", "value")])
def test_a_blank_that_does_not_exist_is_refused_plainly(blank, quantity):
    with pytest.raises(ChainruleError):
        check(lesson(*ADD_MUL), blank, quantity, "1")


def test_arrays_are_refused_for_practice():
    with pytest.raises(ChainruleError, match="numbers, not arrays"):
        blanks(lesson("sum(x)", {"x": "[1,2]"}))


@pytest.mark.parametrize("expr, values", [ADD_MUL, NEURON, ("x*x + max(x, y)", {"x": "3", "y": "2"})])
def test_the_practice_json_holds_no_number_the_student_has_not_reached(expr, values):
    les = lesson(expr, values)
    given = {round(float(v), 9) for v in les.analysis.inputs.values()} | {1.0}
    for step in range(len(les.steps)):
        shown = masked(les, step)
        answered = {round(truth(les, b.id, b.quantity), 9) for b in blanks(les) if b.step <= step}
        numbers = [n["value"] for n in shown["nodes"]] + [n["grad"] for n in shown["nodes"]
                                                          if les.out_degree[int(n["id"][1:])] < 2]
        numbers += [e[q] for e in shown["edges"] for q in ("upstream", "local", "downstream")]
        unreached = {round(x, 9) for x in numbers if x is not None} - answered - given
        assert not unreached, f"step {step}: {unreached}"
        assert len(shown["steps"]) == step + 1 and shown["gradcheck"] == {}
        json.dumps(shown)


def test_read_answer_reads_fractions_and_arithmetic():
    assert read_answer("1/2") == 0.5 and read_answer("-3*0.197") == pytest.approx(-0.591)
    assert re.match("type a number", pytest.raises(ChainruleError, read_answer, " ").value.message)
