"""chainrule's engine: text in, a computational graph with every forward value and every
upstream, local and downstream gradient out. Pure Python; no web imports.

>>> from engine import Lesson, analyze
>>> Lesson(analyze("(x+y)*z", {"x": "-2", "y": "5", "z": "-4"})).to_dict()["output"]["value"]
-12.0
"""
from .analysis import Analysis, analyze
from .errors import ChainruleError, LimitError, ParseError, ValueError_
from .autodiff import MAX_ANSWER_NUMBERS, MAX_ELEMENT_OPS
from .exact import MAX_BITS, MAX_DIGITS, MAX_EXACT_NODES, MAX_ROOT_INDEX
from .gradcheck import GRADCHECK_ELEMENT_OPS
from .graph import MAX_VARIABLES
from .lesson import Lesson, Step, explain
from .ops import OP_LIST, OPS
from .parse import MAX_CHARS, MAX_DEPTH, MAX_EXPONENT_DIGITS, MAX_NAME_CHARS, MAX_NUMBER_CHARS, MAX_OPS
from .options import OPTIONS, read_options
from .render import MAX_DRAW_OPS
from .slides import MAX_SLIDE_NODES, MAX_SLIDE_STEPS, MAX_TIKZ_NODES
from .tools import MEDIA_TYPES, TOOL_CPU_S
from .values import DEFAULT_VALUE, MAX_ARRAY_CHARS, MAX_ARRAY_ELEMENTS, MAX_VALUE_CHARS

LIMITS = {
    "max_chars": MAX_CHARS,
    "max_ops": MAX_OPS,
    "max_depth": MAX_DEPTH,
    "max_name_chars": MAX_NAME_CHARS,
    "max_number_chars": MAX_NUMBER_CHARS,
    "max_exponent_digits": MAX_EXPONENT_DIGITS,
    "max_variables": MAX_VARIABLES,
    "max_value_chars": MAX_VALUE_CHARS,
    "max_array_chars": MAX_ARRAY_CHARS,
    "max_array_elements": MAX_ARRAY_ELEMENTS,
    "max_exact_nodes": MAX_EXACT_NODES,
    "max_exact_bits": MAX_BITS,
    "max_exact_digits": MAX_DIGITS,
    "max_exact_root_index": MAX_ROOT_INDEX,
    "max_element_ops": MAX_ELEMENT_OPS,
    "max_answer_numbers": MAX_ANSWER_NUMBERS,
    "gradcheck_element_ops": GRADCHECK_ELEMENT_OPS,
    "max_draw_ops": MAX_DRAW_OPS,
    "tool_cpu_s": TOOL_CPU_S,
    "max_slide_steps": MAX_SLIDE_STEPS,
    "max_slide_nodes": MAX_SLIDE_NODES,
    "max_tikz_nodes": MAX_TIKZ_NODES,
    "default_value": DEFAULT_VALUE,
}

__all__ = ["Analysis", "analyze", "explain", "Lesson", "Step", "ChainruleError", "LimitError", "ParseError",
           "ValueError_", "LIMITS", "OPS", "OP_LIST", "OPTIONS", "read_options", "MEDIA_TYPES"]
