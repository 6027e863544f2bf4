"""Numbers as a slide writes them: fmt_number's quick path (one "g" format) writes every float as its rule does."""
import math
import random

import numpy as np
import pytest

from chainrule.engine.format import _by_rule, fmt, fmt_number


def _around_every_power_of_ten() -> list[float]:
    """Returns floats where rounding changes the number of digits or the notation: 9.995 × 10^n and its
    neighbours, powers of ten themselves, halves, from the subnormals up to the largest float."""
    values = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308]
    for n in range(-323, 308):
        for mantissa in (1.0, 1.5, 2.5, 9.5, 9.95, 9.995, 9.9995, 9.99995, 9.999995, 9.9999995):
            for value in (mantissa * 10.0 ** n, -mantissa * 10.0 ** n):
                if math.isfinite(value):
                    values += [value, math.nextafter(value, math.inf), math.nextafter(value, -math.inf)]
    rng = random.Random(13)   # and gradients as they come: any digits, any size
    values += [rng.uniform(-1, 1) * 10.0 ** rng.uniform(-12, 12) for _ in range(3000)]
    return values


VALUES = _around_every_power_of_ten()


@pytest.mark.parametrize("digits", range(1, 13))   # the digits option's range
def test_a_number_reads_the_same_by_the_quick_path_and_by_the_rule(digits):
    differ = [(value, fmt_number(value, digits), _by_rule(value, digits)) for value in VALUES
              if fmt_number(value, digits) != _by_rule(value, digits)]
    assert not differ


def test_an_array_is_written_as_its_elements_are():
    matrix = [[0.12345, -12345.0, 1e-7], [0.0, -0.0, math.inf]]
    assert fmt(np.array(matrix), 3) == \
        "[" + ", ".join("[" + ", ".join(_by_rule(x, 3) for x in row) + "]" for row in matrix) + "]"
