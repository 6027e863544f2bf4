"""What a person may type, what is refused, and where the message points."""
import time

import pytest

from chainrule.engine import LIMITS, ChainruleError, explain
from chainrule.engine.parse import parse


@pytest.mark.parametrize("text, typed", [
    ("(x+y)*z", "(x + y)*z"),
    ("x^2", "x^2"), ("x**2", "x^2"),
    ("  ((x))  ", "x"),
    ("-x^2", "-x^2"), ("(-x)^2", "(-x)^2"),
    ("x - (y - z)", "x - (y - z)"), ("x/(y*z)", "x/(y*z)"),
    ("2^3^2", "2^3^2"), ("(2^3)^2", "(2^3)^2"),
    ("1.5e-3*apple_num", "0.0015*apple_num"),
    ("w0*x0 + w1*x1 + w2", "w0*x0 + w1*x1 + w2"),
    ("max(x, y)*2 - relu(z)^2", "max(x, y)*2 - relu(z)^2"),
    ("pi*E", "pi*E"), ("+x", "x"), ("--x", "-(-x)"),
])
def test_typed_text_comes_back_canonical(text, typed):
    assert explain(text).expr == typed


def test_subtraction_division_and_negation_are_their_own_gates():
    ops = [n["op"] for n in explain("-(a - b)/c").to_dict()["nodes"]]
    assert {"neg", "sub", "div"} <= set(ops)


def test_sums_keep_the_typed_order_as_binary_adds():
    d = explain("w0*x0 + w1*x1 + w2").to_dict()
    adds = [n for n in d["nodes"] if n["op"] == "add"]
    assert [n["text"] for n in adds] == ["w0*x0 + w1*x1", "w0*x0 + w1*x1 + w2"]


@pytest.mark.parametrize("text, message, offset", [
    ("foo(x)", "unknown function 'foo' at 0", 0),
    ("x + bar(1)", "unknown function 'bar' at 4", 4),
    ("(x+y))", "unexpected ')' at 5", 5),
    ("x.real", "attribute access is not allowed at 1", 1),
    ("x +", "expression ends too soon at 3", 3),
    ("2x", "missing operator between '2' and 'x' at 1", 1),
    ("max(x)", "max takes 2 arguments, got 1", 0),
    ("exp", "function 'exp' at 0 needs its argument", 0),
    ("'abc'", "strings are not allowed at 0", 0),
    ("__import__(x)", "names may not start with '_'", 0),
    ("__import__('os')", "strings are not allowed at 11", 11),
    ("x; y", "the statement at 0 has no name", 0),
    ("lambda: 1", "':' is not allowed", 6),
    ("x[0]", "indexing and lists are not allowed", 1),
    ("x = 1", "'x = 1' at 0 gives x a number", 0),
    ("1e999", "number at 0 is too large", 0),
    ("", "expression is empty", 0),
    ("(x", "expected ')' to close the '(' at 0", 2),
    ("x $ y", "unexpected character '$' at 2", 2),
    ("１ + x", "unexpected character '１' at 0", 0),
])
def test_refused_with_message_and_offset(text, message, offset):
    with pytest.raises(ChainruleError) as caught:
        explain(text)
    assert message in caught.value.message and caught.value.offset == offset


@pytest.mark.parametrize("text, message", [
    ("x" * 20_001, "the limit is 20000"),
    ("x+" * 2_600 + "x", "more than 2500 operations"),
    ("(" * 130 + "x" + ")" * 130, "nested more than 128 levels"),
    ("-" * 19_000 + "x", "nested more than 128 levels"),
    ("x^" * 5_000 + "x", "nested more than 128 levels"),
    ("a" * 40, "more than 32 characters"),
    ("1" * 41, "more than 40 characters"),
], ids=["long", "many-ops", "parens", "unary-chain", "power-tower", "long-name", "long-number"])
def test_limits_answer_fast_with_a_clear_error(text, message):
    start = time.perf_counter()
    with pytest.raises(ChainruleError, match=message):
        explain(text)
    assert time.perf_counter() - start < 1.0


def test_the_capacity_floor_of_the_api_contract_is_accepted():
    assert explain("+".join(f"x{i % 50}" for i in range(2_001))).graph.output >= 0
    assert explain("(" * 100 + "x" + ")" * 100).expr == "x"
    assert explain("sin(" * 100 + "x" + ")" * 100).to_dict()["variables"]["x"]["grad"] != 0
    assert LIMITS["max_chars"] >= 20_000 and LIMITS["max_ops"] >= 2_000


@pytest.mark.parametrize("value, message", [
    ("abc", "value of x must be a number"), ("nan", "must be a number"),
    ("inf", "must be a number"), ("1e400", "too large"), ("1" * 70, "longer than 64"),
    ("[1,NaN]", "not a JSON array of numbers"), ("[[1,2],[3]]", "rows of equal length"),
    ("[true]", "numbers only"), ("[" * 5000 + "]" * 5000, "not a JSON array"),
    ("0x10", "must be a number"), ("１", "must be a number"),
])
def test_bad_values_are_refused_by_name(value, message):
    with pytest.raises(ChainruleError, match=message):
        explain("x*2", {"x": value})


def test_a_variable_without_a_value_gets_the_documented_default():
    assert explain("x*y").to_dict()["variables"]["x"]["value"] == LIMITS["default_value"]


def test_the_parser_never_evaluates_python():
    # Names are variables and calls must be op-table functions: nothing is looked up.
    assert parse("os").op == "var"
    with pytest.raises(ChainruleError, match="unknown function 'open'"):
        parse("open(x)")
