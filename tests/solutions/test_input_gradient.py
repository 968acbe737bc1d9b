"""The three formulations of the 2D input gradient (col2im, transposed convolution,
dilate-and-flip) against the chain-rule loops and against each other."""

import pytest
from hypothesis import given, settings

from solutions.conv2d import conv2d_backward
from solutions.input_gradient import (
    grad_input_col2im,
    grad_input_dilate_flip,
    grad_input_transposed_conv,
)
from tests.oracles import FLOAT64_VS_LOOPS, assert_close
from tests.solutions.checks import check_input_gradient
from tests.strategies import CONV2D_EXAMPLES, ConvCase, conv_cases, with_examples

FORMULATIONS = [grad_input_col2im, grad_input_transposed_conv, grad_input_dilate_flip]


@pytest.mark.parametrize("grad_input", FORMULATIONS, ids=lambda f: f.__name__)
@settings(max_examples=40)
@with_examples(CONV2D_EXAMPLES)
@given(case=conv_cases(dims=2))
def test_formulation_matches_loops(grad_input, case):
    check_input_gradient(grad_input, case)


@settings(max_examples=25)
@given(case=conv_cases(dims=2).filter(lambda c: c.dtype == "float64"))
def test_formulations_agree_with_each_other_and_conv2d_backward(case: ConvCase):
    x, weight, _, grad_out = case.arrays()
    results = {f.__name__: f(grad_out, x.shape, weight, **case.params) for f in FORMULATIONS}
    results["conv2d_backward"] = conv2d_backward(grad_out, x, weight, **case.params)[0]
    reference_name, reference = next(iter(results.items()))
    for name, grad_x in results.items():
        assert_close(grad_x, reference, FLOAT64_VS_LOOPS, f"{name} vs {reference_name} {case}")
