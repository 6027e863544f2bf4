"""Practice over HTTP: a step holds no number it has not revealed, one request checks one answer, and every answer a
classroom can type (the hostile corpus) gets a 200 verdict or a plain 400, never a 500 and never an evaluation."""

import json
import re
import tomllib

import pytest

from chainrule.engine import Lesson, analyze
from chainrule.engine.format import fmt
from chainrule.engine.practice import blanks, truth
from tests.security.hostile_corpus import CORPUS, Sender, build

CS231N = {"expr": "(x+y)*z", "x": "-2", "y": "5", "z": "-4"}
NEURON = {"expr": "sigmoid(w0*x0 + w1*x1 + w2)", "w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"}


def lesson_of(query: dict) -> Lesson:
    return Lesson(analyze(query["expr"], {k: v for k, v in query.items() if k != "expr"}))


def numbers_in(text: str) -> set[str]:
    """Return every number written in `text`, with the drawing's minus sign read as '-'."""
    return set(re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", text.replace("−", "-")))


def drawn_numbers(svg: str) -> set[str]:
    """Return the numbers the drawing writes (its texts, not its coordinates)."""
    return numbers_in(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))


def field_of(graph: dict, blank) -> object:
    """Return what the masked JSON holds where the blank's number goes."""
    items = graph["nodes"] if blank.id.startswith("n") else graph["edges"]
    return next(item for item in items if item["id"] == blank.id)[blank.quantity]


@pytest.mark.parametrize("query", [CS231N, NEURON], ids=["cs231n", "neuron"])
@pytest.mark.parametrize("mode", ["full", "backward"])
def test_a_practice_step_holds_no_number_of_a_blank_it_has_not_reached(client, query, mode):
    lesson = lesson_of(query)
    known = {fmt(float(v), 3) for k, v in query.items() if k != "expr"}   # the inputs, and each answer given
    if mode == "backward":
        known |= {fmt(float(v), 3) for v in lesson.numbers.values}
    todo = blanks(lesson, mode)
    for index, blank in enumerate(todo):
        body = client.get("/api/practice", params={**query, "practice": mode, "step": str(blank.step - 1)}).json()
        assert [b["id"] for b in body["blanks"]] == [b.id for b in todo]
        for ahead in todo[index:]:
            secret = fmt(truth(lesson, ahead.id, ahead.quantity), 3)
            if secret in known:
                continue   # e.g. the gradient arriving at q is the downstream the student just sent it
            if ahead.step == blank.step:
                assert field_of(body["graph"], ahead) is None, ahead
            assert secret not in drawn_numbers(body["svg"]), (ahead, secret)
        known.add(fmt(truth(lesson, blank.id, blank.quantity), 3))


@pytest.mark.parametrize(("answer", "correct"), [("3", True), ("-2+5", True), ("6/2", True), ("3.0004", True),
                                                 ("3.01", True), ("4", False), ("-3", False), ("3.02", False)])
def test_an_answer_is_right_within_the_digits_on_display(client, answer, correct):
    body = client.get("/api/check", params={**CS231N, "blank": "n2", "quantity": "value", "answer": answer}).json()
    assert body["correct"] is correct
    assert "answer" not in body
    assert (body["hint"] == "") is correct


def test_a_wrong_answer_is_hinted_without_the_number_and_reveal_gives_it(client):
    lesson = lesson_of(NEURON)
    for blank in blanks(lesson):
        want = fmt(truth(lesson, blank.id, blank.quantity), 3)
        wrong = client.get("/api/check", params={**NEURON, "blank": blank.id, "quantity": blank.quantity,
                                                 "answer": "1234"}).json()
        assert wrong["correct"] is False and wrong["hint"]
        if want not in ("1", "-1", "2", "-2", "3", "-3"):   # small integers are everywhere in a sentence
            assert want not in numbers_in(wrong["hint"] + wrong["message"]), (blank, wrong)
        shown = client.get("/api/check", params={**NEURON, "blank": blank.id, "quantity": blank.quantity,
                                                 "reveal": "true"}).json()
        assert shown["answer"] == want


@pytest.mark.parametrize("params", [
    {"blank": "n2", "quantity": "value"}, {"blank": "n2", "answer": "3"}, {"quantity": "value", "answer": "3"},
    {"blank": "n99", "quantity": "value", "answer": "3"}, {"blank": "e0", "quantity": "value", "answer": "3"},
    {"blank": "x2", "quantity": "value", "answer": "3"}, {"blank": "n0", "quantity": "value", "answer": "-2"},
    {"blank": "n3", "quantity": "value", "reveal": "true"}, {"blank": "e0", "quantity": "upstream", "reveal": "true"}, {"blank": "n2", "quantity": "mass", "answer": "3"},
    {"blank": "n2", "quantity": "value", "answer": "x"}, {"blank": "n2", "quantity": "value", "answer": "3",
                                                          "reveal": "perhaps"},
    {"blank": "n2", "quantity": "value", "answer": "9" * 100}, {"blank": "n2", "quantity": "value", "answer": "1/0*"},
], ids=lambda p: "&".join(f"{k}={v[:12]}" for k, v in p.items()))
def test_a_bad_check_is_a_plain_400(client, params):
    response = client.get("/api/check", params={**CS231N, **params})
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_repeated_check_parameter_is_refused(client):
    response = client.get("/api/check?expr=x*y&x=1&y=2&blank=n0&blank=n1&quantity=value&answer=1")
    assert response.status_code == 400 and "more than once" in response.json()["detail"]


def test_practice_of_arrays_is_refused_plainly(client):
    response = client.get("/api/practice", params={"expr": "relu(x)", "x": "[1,-2]"})
    assert response.status_code == 400 and "numbers, not arrays" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/", "/embed"])
def test_the_practice_page_holds_step_0_only(client, path):
    lesson = lesson_of(NEURON)
    text = client.get(path, params={**NEURON, "mode": "practice"}).text
    initial = json.loads(re.search(r'id="initial">(.*?)</script>', text, re.S).group(1))
    assert initial["graph"]["output"]["value"] is None
    svg_numbers = drawn_numbers(text)
    for blank in blanks(lesson):
        secret = fmt(truth(lesson, blank.id, blank.quantity), 3)
        if secret not in {"2", "-1", "-3", "-2"}:
            assert secret not in svg_numbers, blank
    graph = initial["graph"]
    assert all(node["grad"] is None and (node["value"] is None or node["op"] in ("var", "const"))
               for node in graph["nodes"])
    assert all(edge[q] is None for edge in graph["edges"] for q in ("upstream", "local", "downstream"))


def hostile_answers() -> list:
    """Every corpus case's text (its expression, else its query) as an answer."""
    answers = []
    for case in tomllib.loads(CORPUS.read_text())["case"]:
        params = dict((name, build(value)) for name, value in case.get("params", []))
        answers.append(pytest.param(params.get("expr", build(case.get("query", ""))), id=case["name"]))
    return answers


@pytest.fixture(scope="module")
def sender() -> Sender:
    return Sender()


@pytest.mark.parametrize("answer", hostile_answers())
def test_the_answer_reader_takes_the_hostile_corpus(sender, answer):
    from urllib.parse import quote, urlencode
    query = urlencode({**CS231N, "blank": "e1", "quantity": "local", "answer": answer}, quote_via=quote)
    got = sender.get("/api/check", query)
    assert got.status in (200, 400, 413, 414, 431), got.body[:200]
    assert got.seconds < 2
    body = json.loads(got.body) if got.media_type == "application/json" else {}
    if got.status == 200:
        assert isinstance(body["correct"], bool) and "answer" not in body
    elif got.media_type == "application/json":
        assert body["detail"]
