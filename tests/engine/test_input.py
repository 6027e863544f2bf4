"""Input as students type it: Unicode maths, suggestions for names we do not have, e as
Euler's number, constants that cannot be given values; every caret at the typed character."""
import math

import pytest

from chainrule.engine import ChainruleError, explain
from chainrule.engine.tokens import unknown_function


def numbers(text, values):
    """The numbers a student checks: the output and every variable's gradient."""
    d = explain(text, values).to_dict()
    return d["output"]["value"], {name: v["grad"] for name, v in d["variables"].items()}


XY = {"x": "3", "y": "-2"}


@pytest.mark.parametrize("typed, ascii_twin, values", [
    ("x − y", "x - y", XY),                       # U+2212 minus
    ("−x", "-x", XY),
    ("x – y", "x - y", XY),                       # an en dash, as word processors make it
    ("x·y", "x*y", XY), ("x⋅y", "x*y", XY), ("x×y", "x*y", XY),
    ("x ÷ y", "x/y", XY),
    ("x²", "x^2", XY), ("x³", "x^3", XY), ("x¹⁰", "x^10", XY), ("(x+y)²", "(x+y)^2", XY),
    ("−x²", "-x^2", XY), ("2^x²", "2^x^2", XY), ("x²·y³", "x^2*y^3", XY),
    ("√x", "sqrt(x)", XY), ("√(x+1)", "sqrt(x+1)", XY), ("√x·y", "sqrt(x)*y", XY),
    ("√x²", "sqrt(x^2)", XY), ("2*√√x", "2*sqrt(sqrt(x))", XY),
    ("σ(x)", "sigmoid(x)", XY), ("σ(w0·x0 + w1·x1 + w2)", "sigmoid(w0*x0 + w1*x1 + w2)",
                                 {"w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"}),
    ("π·x²", "pi*x^2", XY),
    ("1e−3·x", "1e-3*x", XY),
    ("x**2", "x^2", XY),
    ("sin²(x) + cos²(x)", "sin(x)^2 + cos(x)^2", XY), ("σ²(x)", "sigmoid(x)^2", XY),
])
def test_a_unicode_spelling_gives_the_same_graph_as_its_ascii_twin(typed, ascii_twin, values):
    assert numbers(typed, values) == numbers(ascii_twin, values)
    assert explain(typed, values).expr == explain(ascii_twin, values).expr


def test_a_negative_superscript_is_one_exponent():
    value, grads = numbers("x⁻¹", {"x": "4"})
    assert value == 0.25 and grads["x"] == -1 / 16
    assert explain("x⁻¹").expr == "x^-1"


@pytest.mark.parametrize("text, at", [
    ("x·y·$", "$"),
    ("σ(x) + foo(y)", "foo"),
    ("√(x−y))", ")"),
    ("x² + ln(x)", "ln"),
    ("π·r²·2x", "x"),
    ("x×y÷", ""),                   # ends too soon: the caret is just past the end
    ("1e−99999·x", "e−99999"),
    ("x⁻¹ + ¹", "¹"),
    ("q = x·y\nf = q×z ≥ 1", "≥"),
    ("q = x − y;; f = q", ";"),
    ("σ = x·y", "σ"),
    ("x·y = 3", "="),
    ("a = x²; f = √b·c; b = x", "b"),
    ("eˣ", "ˣ"),
])
def test_every_caret_points_at_the_character_typed(text, at):
    with pytest.raises(ChainruleError) as caught:
        explain(text)
    offset = caught.value.offset
    assert text[offset:offset + len(at)] == at and (at or offset == len(text)), \
        caught.value.message
    assert f"at {offset}" in caught.value.message


@pytest.mark.parametrize("typed, suggestion", [
    ("ln", "did you mean log?"), ("sigmod", "did you mean sigmoid?"),
    ("Sigmoid", "did you mean sigmoid?"), ("ReLU", "did you mean relu?"),
    ("tahn", "did you mean tanh?"), ("logistic", "did you mean sigmoid?"),
    ("maximum", "did you mean max?"), ("sqroot", "did you mean sqrt?"),
    ("softplus", "write it as log(1 + exp(x))"), ("log10", "write it as log(x)/log(10) (log is the natural logarithm)"),
    ("pow", "write it as a^b"), ("sqr", "write it as x^2"), ("matmul", "write a @ b"),
])
def test_an_unknown_function_gets_the_nearest_name_we_have(typed, suggestion):
    with pytest.raises(ChainruleError) as caught:
        explain(f"{typed}(x)")
    assert caught.value.message == f"unknown function '{typed}' at 0: {suggestion}"


@pytest.mark.parametrize("typed", ["atan", "arctan", "elu", "gelu", "floor", "sign"])
def test_a_function_we_lack_is_not_mistaken_for_a_near_one(typed):
    # difflib alone would offer tan for atan and relu for elu: a different function
    message = unknown_function(typed, 0)
    assert "did you mean" not in message and "not one of ours" in message


def test_a_name_called_like_a_function_is_told_how_to_multiply():
    with pytest.raises(ChainruleError, match=r"to multiply, write x\*\(\.\.\.\)"):
        explain("x(y + 1)")


@pytest.mark.parametrize("text, values, output, e_is_a_variable", [
    ("e^x", {"x": "1"}, math.e, False),
    ("e", {}, math.e, False),
    ("e^x", {"e": "2", "x": "3"}, 8.0, True),                  # e given a value
    ("E^x", {"e": "2", "x": "1"}, math.e, False),              # E stays Euler's number
    ("e = x + 1; f = e*2", {"x": "1"}, 4.0, False),            # e names a statement
])
def test_e_is_eulers_number_unless_given_a_value(text, values, output, e_is_a_variable):
    a = explain(text, values)
    assert a.to_dict()["output"]["value"] == pytest.approx(output)
    assert ("e" in a.graph.variables) == e_is_a_variable


def test_e_as_eulers_number_is_exact_in_exact_mode():
    d = explain("e*x", {"x": "2"}, exact=True).to_dict()
    assert d["output"]["value"] == pytest.approx(2 * math.e)


@pytest.mark.parametrize("text, values, message, offset", [
    ("pi*x", {"pi": "3"}, "pi (at 0) is the constant π = 3.14159…", 0),
    ("x + π", {"pi": "3"}, "pi (at 4) is the constant π", 4),
    ("x", {"pi": "3"}, "pi is the constant π", None),
    ("E*x", {"E": "2"}, "E (at 0) is Euler's number e = 2.71828…", 0),
    ("pi = x + 1; f = pi", {}, "pi (at 0) is the constant π", 0),
])
def test_a_value_for_a_constant_is_refused_not_ignored(text, values, message, offset):
    with pytest.raises(ChainruleError) as caught:
        explain(text, values)
    assert message in caught.value.message and caught.value.offset == offset
    assert "cannot be given a value" in caught.value.message


@pytest.mark.parametrize("literal, value", [
    ("1e-999", 0.0), ("1e308", 1e308), ("1e0005", 1e5), ("2.5E+12", 2.5e12), ("1e-400", 0.0),
    (".5e-3", 0.0005), ("1.", 1.0),
])
def test_number_literals_that_worked_still_work(literal, value):
    assert explain(f"x*{literal}", {"x": "1"}).to_dict()["output"]["value"] == value


@pytest.mark.parametrize("text, offset", [
    ("1e-999999", 1), ("x*1e-9999999", 3), ("x + 2E+1000", 5), ("1e−12345", 1),
])
@pytest.mark.parametrize("exact", [False, True])
def test_an_exponent_of_more_than_three_digits_is_refused_where_it_is(text, offset, exact):
    # exact mode would otherwise compute 10**999999 from the literal
    with pytest.raises(ChainruleError) as caught:
        explain(text, exact=exact)
    assert "has more than 3 digits" in caught.value.message and caught.value.offset == offset


@pytest.mark.parametrize("text, message", [
    ("x == y", "comparisons are not allowed ('==' at 2)"),
    ("x ≠ y", "comparisons are not allowed ('≠' at 2)"),
    ("x < y", "comparisons are not allowed ('<' at 2)"),
    ("eˣ", "unexpected character 'ˣ' at 1: write a power with ^"),
    ("１ + x", "type it with an ASCII (half-width) keyboard"),
    ("σ", "function 'σ' at 0 needs its argument in parentheses: σ(...)"),
    ("x²y", "missing operator between 'x²' and 'y' at 2"),
    ("2√x", "missing operator between '2' and '√' at 1"),
    ("sin⁻¹(x)", "sin⁻¹ at 0 reads as an inverse function, which we do not have"),
    ("sin²x", "function 'sin' at 0 needs its argument in parentheses"),
    ("sin(x)(y)", "missing operator between 'sin(x)' and '(' at 6"),
])
def test_what_is_not_ours_gets_a_plain_message(text, message):
    with pytest.raises(ChainruleError) as caught:
        explain(text)
    assert message in caught.value.message
