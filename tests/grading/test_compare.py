"""The tolerance policy and its messages (autograder/kit/compare.py), checked on hand-made cases."""

import numpy as np
import pytest

from autograder.kit.compare import compare, tolerance


def test_float32_tolerance_scales_with_the_largest_expected_value():
    expected = np.array([1000.0, 0.001], dtype=np.float32)
    # atol 1e-6 + rtol 1e-5 * 1000 = 0.010001: an error of 0.005 on the tiny entry still passes
    assert tolerance(expected) == pytest.approx(0.010001)
    assert compare(expected + np.float32(0.005), expected) is None
    assert compare(expected + np.float32(0.02), expected).kind == "value"


def test_float64_is_held_to_1e_9_relative():
    expected = np.array([2.0, -4.0])
    assert compare(expected + 1e-9, expected) is None
    mismatch = compare(expected + np.array([0.0, 1e-6]), expected)
    assert mismatch.kind == "value"
    assert mismatch.index == (1,)
    assert mismatch.max_error == pytest.approx(1e-6)
    assert "at index (1,)" in mismatch.message


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_always_fail(bad):
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = expected.copy()
    got[1, 0] = bad
    mismatch = compare(got, expected)
    assert mismatch.kind == "nonfinite"
    assert mismatch.index == (1, 0)


def test_shape_dtype_and_type_are_reported_before_values():
    expected = np.zeros((3, 2), dtype=np.float32)
    assert compare(np.zeros((2, 3), np.float32), expected).kind == "shape"
    assert "float64" in compare(np.zeros((3, 2)), expected).message
    assert compare([[0.0, 0.0]] * 3, expected).kind == "type"


def test_integer_outputs_match_exactly_and_must_be_ints():
    assert compare(5, 5) is None
    assert compare(np.int64(5), 5) is None
    assert compare(6, 5).kind == "value"
    assert compare(5.0, 5).kind == "type"
