"""unroll_2d, conv2d and conv2d_backward against direct loops, scipy.signal and numerical
gradients; int and pair hyper-parameters give the same answer."""

import numpy as np
from hypothesis import given, settings

from solutions.conv2d import conv2d, conv2d_backward, unroll_2d
from tests.oracles import FLOAT64_VS_LOOPS, assert_close, conv2d_loops
from tests.solutions.checks import (
    check_conv_backward,
    check_conv_backward_numerically,
    check_conv_forward,
    check_unroll_2d,
)
from tests.strategies import CONV2D_EXAMPLES, ConvCase, conv_cases, with_examples


@settings(max_examples=40)
@with_examples(CONV2D_EXAMPLES)
@given(case=conv_cases(dims=2))
def test_unroll_2d_layout_and_product(case):
    check_unroll_2d(unroll_2d, case)


@settings(max_examples=50)
@with_examples(CONV2D_EXAMPLES)
@given(case=conv_cases(dims=2))
def test_conv2d_matches_loops(case):
    check_conv_forward(conv2d, case)


@settings(max_examples=30)
@given(case=conv_cases(dims=2))
def test_conv2d_matches_scipy(case):
    check_conv_forward(conv2d, case, oracle="scipy")


@settings(max_examples=50)
@with_examples(CONV2D_EXAMPLES)
@given(case=conv_cases(dims=2))
def test_conv2d_backward_matches_loops(case):
    check_conv_backward(conv2d_backward, case)


@settings(max_examples=12)
@with_examples(CONV2D_EXAMPLES)
@given(case=conv_cases(dims=2, max_kernel=3, max_extra=3))
def test_conv2d_backward_matches_numerical_gradient(case):
    check_conv_backward_numerically(conv2d_backward, case)


def _same_results(results, what):
    first = results[0]
    for other in results[1:]:
        for a, b in zip(
            first if isinstance(first, tuple) else (first,),
            other if isinstance(other, tuple) else (other,),
            strict=True,
        ):
            np.testing.assert_array_equal(a, b, err_msg=what)


def test_int_and_pair_hyper_parameters_agree():
    case = ConvCase(2, 2, 3, (9, 8), (3, 2), seed=71)
    x, weight, bias, _ = case.arrays()
    spellings = [
        {"stride": 2, "padding": 1, "dilation": 2},
        {"stride": (2, 2), "padding": (1, 1), "dilation": (2, 2)},
    ]
    grad_out = np.random.default_rng(72).standard_normal(conv2d(x, weight, **spellings[0]).shape)
    _same_results([conv2d(x, weight, bias, **s) for s in spellings], "conv2d")
    _same_results([unroll_2d(x, (3, 2), **s) for s in spellings], "unroll_2d")
    _same_results([conv2d_backward(grad_out, x, weight, **s) for s in spellings], "conv2d_backward")
    assert_close(
        conv2d(x, weight, bias, **spellings[0]),
        conv2d_loops(x, weight, bias, **spellings[1]),
        FLOAT64_VS_LOOPS,
        "int spelling",
    )
    square = ConvCase(1, 2, 2, (6, 6), (3, 3), seed=73).arrays()[0]
    _same_results([unroll_2d(square, 3), unroll_2d(square, (3, 3))], "unroll_2d kernel_size")


def test_numpy_integer_hyper_parameters_are_accepted():
    # Sizes computed with NumPy (e.g. from an array's shape arithmetic) are np.int64, not int.
    x, weight, bias, grad_out = ConvCase(
        1, 2, 2, (7, 6), (2, 3), stride=2, padding=1, seed=75
    ).arrays()
    numpy_ints = {"stride": np.int64(2), "padding": np.int64(1), "dilation": np.int64(1)}
    plain = {"stride": 2, "padding": 1, "dilation": 1}
    _same_results(
        [conv2d(x, weight, bias, **plain), conv2d(x, weight, bias, **numpy_ints)], "conv2d"
    )
    _same_results(
        [
            conv2d_backward(grad_out, x, weight, **plain),
            conv2d_backward(grad_out, x, weight, **numpy_ints),
        ],
        "conv2d_backward",
    )


def test_conv2d_of_a_single_pixel_kernel_is_a_channel_mix():
    # A 1x1 kernel at stride 1 mixes channels pointwise: y = W @ x at every pixel (+ bias).
    x, weight, bias, _ = ConvCase(2, 3, 4, (3, 5), (1, 1), seed=74).arrays()
    expected = np.einsum("oc,nchw->nohw", weight[:, :, 0, 0], x) + bias[:, None, None]
    assert_close(conv2d(x, weight, bias), expected, FLOAT64_VS_LOOPS, "1x1 conv2d")
