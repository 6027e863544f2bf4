"""Every request's work and answer are bounded by counts checked before the work: the
element-operations of the array passes, the numbers the answer holds, and the gradient
check, which past its budget checks an evenly spread sample of positions."""
import json
import time

import numpy as np
import pytest

from chainrule.engine import LIMITS, ChainruleError, LimitError, analyze, explain
from chainrule.engine.autodiff import Arrays, forward
from chainrule.engine.graph import build_graph


def matrix(rows, cols):
    """Single digits, so the largest arrays fit the value's character limit."""
    return json.dumps([[1 + (i * 7 + j * 3) % 9 for j in range(cols)] for i in range(rows)],
                      separators=(",", ":"))


def numbers_in(answer) -> int:
    """Counts the floats in a JSON-ready answer (shapes and counts are ints)."""
    if isinstance(answer, dict):
        return sum(numbers_in(v) for v in answer.values())
    if isinstance(answer, list):
        return sum(numbers_in(v) for v in answer)
    return 1 if isinstance(answer, float) else 0


# The heaviest shapes issue 14 measured (22 s, 15 s, 8.8 s of CPU, 30 MB), and the largest
# of their kind the limits still accept. Each must end within a second of CPU.
HEAVY = [
    ("x^x^x^x^x", {"x": matrix(99, 100)}, {}),
    ("tan(tan(tan(tan(x))))", {"x": matrix(99, 100)}, {}),
    ("x@transpose(x)@x@transpose(x)", {"x": matrix(99, 100)}, {"share": True}),
    ("sum(sigmoid(sigmoid(sigmoid(x))))", {"x": matrix(1, 9999)[1:-1]}, {}),
    ("sin(x)" + "/x" * 19, {"x": matrix(1, 9999)[1:-1]}, {}),
    ("a/b/a/b/a/b/a/b", {"a": matrix(1, 100), "b": matrix(100, 1)}, {}),
    ("sum(tan(tan(x)))", {"x": matrix(99, 100)}, {}),
    ("sqnorm(x@transpose(x))*sum(x)", {"x": matrix(99, 100)}, {}),
    ("+".join(["mse(a,b)"] * 190), {"a": matrix(1, 100), "b": matrix(100, 1)}, {}),
    ("sum(" + "*".join(["x"] * 400) + ")", {"x": matrix(1, 20)[1:-1]}, {}),
    ("+".join(f"sin(x{i % 100})*y{i % 100}" for i in range(700)), {}, {}),
]


@pytest.mark.parametrize("expr, values, options", HEAVY, ids=[h[0][:40] for h in HEAVY])
def test_the_heaviest_requests_end_within_a_second_of_cpu_and_5_mb(expr, values, options):
    start = time.process_time()
    try:
        answer = explain(expr, values, **options).to_dict()
    except LimitError as e:
        assert f"{LIMITS['max_answer_numbers']:,}" in e.message or "element operations" in \
            e.message
        answer = None
    assert time.process_time() - start < 1.0
    if answer is not None:
        # + the output's value, the seed and each variable's rel_error
        assert numbers_in(answer) <= LIMITS["max_answer_numbers"] + 2 + len(answer["variables"])
        assert len(json.dumps(answer, default=str)) < 6_000_000


def test_an_answer_past_the_number_limit_is_refused_naming_the_count():
    with pytest.raises(LimitError) as caught:
        analyze("sin(x)" + "/x" * 19, {"x": matrix(1, 9999)[1:-1]})
    assert "the answer would hold more than 200,000 numbers (" in caught.value.message


def test_the_counted_answer_is_the_answer():
    """The count made before the work is what to_dict then holds, but for the output's value,
    the upstream seed and each variable's rel_error."""
    graph = build_graph("sum(softmax(W @ x) * t) + mse(W @ x, t)")
    inputs = {"W": np.ones((3, 4)), "x": np.arange(4.0), "t": np.ones(3) / 3}
    numbers = Arrays(graph)
    forward(graph, inputs, numbers)
    answer = explain("sum(softmax(W @ x) * t) + mse(W @ x, t)",
                     {k: json.dumps(v.tolist()) for k, v in inputs.items()}).to_dict()
    assert numbers.answer_numbers == numbers_in(answer) - 2 - len(answer["variables"])


def test_element_operations_are_refused_before_the_work_past_the_limit():
    values = {"a": matrix(1, 100), "b": matrix(100, 1)}
    gates = LIMITS["max_element_ops"] // 10_000   # each mse of a 1×100 and a 100×1: 10,000
    analyze("+".join(["mse(a,b)"] * (gates - 1)), values)   # and the adds, 1 each
    with pytest.raises(LimitError, match="element operations"):
        analyze("+".join(["mse(a,b)"] * (gates + 1)), values)


def test_the_gradient_check_samples_evenly_spread_positions_past_its_budget():
    values = {"x": matrix(99, 100)}
    first = analyze("sum(tan(tan(x)))", values).gradcheck["x"]
    assert 0 < first["checked"] < first["of"] == 9900
    numeric = np.array(first["numeric"], dtype=float)   # None -> nan
    assert np.count_nonzero(~np.isnan(numeric)) == first["checked"]
    assert not np.isnan(numeric[0, 0]) and not np.isnan(numeric[-1, -1])   # ends included
    assert first["rel_error"] < 1e-4
    assert analyze("sum(tan(tan(x)))", values).gradcheck["x"] == first      # deterministic


def test_a_small_request_is_checked_in_full():
    check = analyze("sum(x*x)", {"x": "[1,2,3]"}).gradcheck["x"]
    assert (check["checked"], check["of"]) == (3, 3) and None not in check["numeric"]


def test_exact_and_array_refusals_are_the_engines_own_errors():
    with pytest.raises(ChainruleError):
        analyze("x@x", {"x": matrix(99, 100)})
