"""conv1d and conv1d_backward against direct loops, scipy.signal and numerical gradients."""

from hypothesis import given, settings

from solutions.conv1d import conv1d, conv1d_backward
from tests.solutions.checks import (
    check_conv_backward,
    check_conv_backward_numerically,
    check_conv_forward,
)
from tests.strategies import CONV1D_EXAMPLES, conv_cases, with_examples


@settings(max_examples=50)
@with_examples(CONV1D_EXAMPLES)
@given(case=conv_cases(dims=1))
def test_conv1d_matches_loops(case):
    check_conv_forward(conv1d, case)


@settings(max_examples=30)
@given(case=conv_cases(dims=1))
def test_conv1d_matches_scipy(case):
    check_conv_forward(conv1d, case, oracle="scipy")


@settings(max_examples=50)
@with_examples(CONV1D_EXAMPLES)
@given(case=conv_cases(dims=1))
def test_conv1d_backward_matches_loops(case):
    check_conv_backward(conv1d_backward, case)


@settings(max_examples=20)
@with_examples(CONV1D_EXAMPLES)
@given(case=conv_cases(dims=1))
def test_conv1d_backward_matches_numerical_gradient(case):
    check_conv_backward_numerically(conv1d_backward, case)
