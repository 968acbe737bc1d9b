"""The fast engine's channels-last convolution (solutions.fast.channels_last) equals the reference.

``solutions.fast.conv2d`` sends only some shapes there (``channels_last_wins``), so the shared
strategies would reach it rarely; these tests call it directly on every case it accepts (stride 1,
padding at most dilation * (K - 1)), forward and backward, both dtypes, C / Fortran / strided
inputs, conv1d as an image of height 1, and check that the Fashion-MNIST CNN's second layer
does take that path.
"""

import dataclasses

import numpy as np
from hypothesis import given, settings

import solutions.fast
from solutions.conv_arguments import check_conv_backward_call, check_conv_call
from solutions.fast import channels_last
from tests.solutions.test_fast_engine import (
    check_parameter_gradients_only,
    check_same_convolution,
)
from tests.strategies import conv_cases


def forced_conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """solutions.conv2d's contract computed by channels_last.correlate, whatever the shape."""
    x, weight, bias, hyper, out_shape = check_conv_call(
        "conv2d", x, weight, bias, stride, padding, dilation, 2
    )
    return channels_last.correlate(x, weight, bias, hyper[1], hyper[2], out_shape[2:])


def forced_conv2d_backward(
    grad_out, x, weight, stride=1, padding=0, dilation=1, *, need_input_grad=True
):
    """solutions.conv2d_backward's contract computed by channels_last.correlate_backward."""
    x, weight, _, hyper, _ = check_conv_call(
        "conv2d_backward", x, weight, None, stride, padding, dilation, 2
    )
    grad_out = check_conv_backward_call(
        "conv2d_backward", grad_out, x.shape, weight, stride, padding, dilation, 2
    )[0]
    return channels_last.correlate_backward(
        grad_out, x, weight, hyper[1], hyper[2], need_input_grad
    )


def stride_one(case):
    """The case with stride 1 and each padding cut to dilation * (K - 1), the input made large
    enough for one window."""
    pairs = [case._per_axis(value) for value in (case.padding, case.dilation)]
    padding = [min(p, d * (k - 1)) for p, d, k in zip(*pairs, case.kernel_size, strict=True)]
    input_size = [
        max(size, d * (k - 1) + 1 - 2 * p)
        for size, p, d, k in zip(case.input_size, padding, pairs[1], case.kernel_size, strict=True)
    ]
    padding = padding[0] if len(padding) == 1 else tuple(padding)  # conv1d takes ints
    return dataclasses.replace(case, stride=1, padding=padding, input_size=tuple(input_size))


@settings(max_examples=80)
@given(case=conv_cases(dims=2, max_kernel=5, max_extra=8))
def test_channels_last_conv2d_equals_reference(case):
    case = dataclasses.replace(stride_one(case), in_channels=case.in_channels + 2)
    check_same_convolution(forced_conv2d, forced_conv2d_backward, case)
    check_parameter_gradients_only(forced_conv2d_backward, case)


@settings(max_examples=40)
@given(case=conv_cases(dims=1, max_kernel=5, max_extra=8))
def test_conv1d_through_channels_last_equals_reference(case):
    # conv1d reaches channels_last as an image of height 1 when channels_last_wins says so;
    # here it is made to say so for every case.
    case = dataclasses.replace(stride_one(case), in_channels=case.in_channels + 2)
    wins = channels_last.channels_last_wins
    channels_last.channels_last_wins = lambda *args: True
    try:
        check_same_convolution(solutions.fast.conv1d, solutions.fast.conv1d_backward, case)
    finally:
        channels_last.channels_last_wins = wins


def test_fashion_cnn_second_layer_runs_channels_last():
    x = np.zeros((64, 16, 14, 14), np.float32)
    weight = np.zeros((32, 16, 5, 5), np.float32)
    assert channels_last.channels_last_wins(x, weight, (1, 1), (2, 2), (1, 1), out_width=14)
    first_layer = np.zeros((16, 1, 5, 5), np.float32)
    assert not channels_last.channels_last_wins(
        np.zeros((64, 1, 28, 28), np.float32), first_layer, (1, 1), (2, 2), (1, 1), 28
    )
