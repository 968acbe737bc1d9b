"""Max and average pooling, forward and backward, against loops and numerical gradients:
overlapping windows, skipped inputs, remainders, non-square windows, ties (first maximum)."""

import numpy as np
import pytest
from hypothesis import given, settings

from solutions.pooling import (
    avgpool2d,
    avgpool2d_backward,
    maxpool1d,
    maxpool1d_backward,
    maxpool2d,
    maxpool2d_backward,
)
from tests.solutions.checks import (
    check_pool_backward,
    check_pool_backward_numerically,
    check_pool_forward,
)
from tests.strategies import POOL1D_EXAMPLES, POOL2D_EXAMPLES, pool_cases, with_examples

POOLINGS_2D = {
    "maxpool2d": (maxpool2d, maxpool2d_backward, "max"),
    "avgpool2d": (avgpool2d, avgpool2d_backward, "avg"),
}


@settings(max_examples=40)
@with_examples(POOL1D_EXAMPLES)
@given(case=pool_cases(dims=1))
def test_maxpool1d_matches_loops(case):
    check_pool_forward(maxpool1d, case, "max")


@settings(max_examples=40)
@with_examples(POOL1D_EXAMPLES)
@given(case=pool_cases(dims=1))
def test_maxpool1d_backward_matches_loops_and_numerical_gradient(case):
    check_pool_backward(maxpool1d_backward, case, "max")
    check_pool_backward_numerically(maxpool1d_backward, case, "max")


@pytest.mark.parametrize("name", POOLINGS_2D)
@settings(max_examples=40)
@with_examples(POOL2D_EXAMPLES)
@given(case=pool_cases(dims=2))
def test_pool2d_matches_loops(name, case):
    forward, _, kind = POOLINGS_2D[name]
    check_pool_forward(forward, case, kind)


@pytest.mark.parametrize("name", POOLINGS_2D)
@settings(max_examples=40)
@with_examples(POOL2D_EXAMPLES)
@given(case=pool_cases(dims=2))
def test_pool2d_backward_matches_loops_and_numerical_gradient(name, case):
    _, backward, kind = POOLINGS_2D[name]
    check_pool_backward(backward, case, kind)
    check_pool_backward_numerically(backward, case, kind)


def test_maxpool2d_backward_ties_by_hand():
    # One 2x3 window holding four 3s: the gradient goes to the first in row-major order, (0, 1).
    x = np.array([[[[1.0, 3.0, 3.0], [3.0, 0.0, 3.0]]]])
    grad = maxpool2d_backward(np.array([[[[5.0]]]]), x, (2, 3))
    np.testing.assert_array_equal(grad, [[[[0.0, 5.0, 0.0], [0.0, 0.0, 0.0]]]])


def test_maxpool1d_backward_overlap_by_hand():
    # Windows of 2 at stride 1 over [1, 3, 3, 1]: [1,3] -> index 1; the tie [3,3] -> index 1
    # (first maximum); [3,1] -> index 2.  Index 1 collects 1 + 10.
    grad = maxpool1d_backward(
        np.array([[[1.0, 10.0, 100.0]]]), np.array([[[1.0, 3, 3, 1]]]), 2, stride=1
    )
    np.testing.assert_array_equal(grad, [[[0.0, 11.0, 100.0, 0.0]]])


def test_stride_defaults_to_kernel_size():
    x = np.arange(2 * 3 * 6 * 6, dtype=np.float64).reshape(2, 3, 6, 6)
    np.testing.assert_array_equal(maxpool2d(x, 3), maxpool2d(x, 3, stride=3))
    np.testing.assert_array_equal(avgpool2d(x, (2, 3)), avgpool2d(x, (2, 3), stride=(2, 3)))
    np.testing.assert_array_equal(maxpool1d(x[:, :, 0], 2), maxpool1d(x[:, :, 0], 2, stride=2))
    assert maxpool2d(x, 3).shape == (2, 3, 2, 2)


def test_int_and_pair_kernel_and_stride_agree():
    x = np.random.default_rng(81).standard_normal((2, 2, 7, 7))
    for forward, backward in [(maxpool2d, maxpool2d_backward), (avgpool2d, avgpool2d_backward)]:
        y = forward(x, 3, stride=2)
        np.testing.assert_array_equal(y, forward(x, (3, 3), stride=(2, 2)))
        grad_out = np.random.default_rng(82).standard_normal(y.shape)
        np.testing.assert_array_equal(
            backward(grad_out, x, 3, stride=2), backward(grad_out, x, (3, 3), stride=(2, 2))
        )


def test_maxpool2d_routes_a_nan_window_gradient_to_its_first_nan():
    """Non-finite values propagate (solutions.checks): a window holding NaN has maximum NaN, like
    NumPy's np.max, and its whole gradient goes to the first NaN in row-major window order."""
    x = np.array([[[[1.0, np.nan, 5.0, 2.0], [np.nan, 3.0, 4.0, 0.0]]]])
    y = maxpool2d(x, 2)
    assert np.isnan(y[0, 0, 0, 0]) and y[0, 0, 0, 1] == 5.0
    grad_x = maxpool2d_backward(np.array([[[[10.0, 7.0]]]]), x, 2)
    expected = np.zeros_like(x)
    expected[0, 0, 0, 1] = 10.0  # first NaN of the left window, row-major
    expected[0, 0, 0, 2] = 7.0
    np.testing.assert_array_equal(grad_x, expected)
