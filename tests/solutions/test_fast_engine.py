"""The fast engine (solutions.fast) equals the readable reference (solutions) on the shared
Hypothesis strategies: conv1d, conv2d, max/avg pooling, forward and backward, every
hyper-parameter, float32 and float64, C / Fortran / strided inputs; and chapter 8's methods equal
the reference conv2d.

The reference itself is checked against loops, SciPy and numerical gradients in the other files of
this folder, so "equal to the reference" means "right".  The equality checks are plain functions
so that the last tests can show they reject a broken engine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solutions
import solutions.fast
from solutions.fast import methods
from tests.oracles import assert_close, tolerance_for
from tests.solutions.checks import assert_array_like, guarded_call
from tests.strategies import (
    CONV1D_EXAMPLES,
    CONV2D_EXAMPLES,
    POOL1D_EXAMPLES,
    POOL2D_EXAMPLES,
    ConvCase,
    PoolCase,
    conv_cases,
    pool_cases,
    with_examples,
)

CONVOLUTIONS = {1: ("conv1d", "conv1d_backward"), 2: ("conv2d", "conv2d_backward")}
POOLINGS = {
    (1, "max"): ("maxpool1d", "maxpool1d_backward"),
    (2, "max"): ("maxpool2d", "maxpool2d_backward"),
    (2, "avg"): ("avgpool2d", "avgpool2d_backward"),
}


def assert_same(got, expected, what: str, exact: bool = False) -> None:
    """got has expected's type, dtype and shape, and its values (exactly, or to the tolerance of
    its dtype: the two engines add the same products in different orders)."""
    assert_array_like(got, expected.dtype, expected.shape, what)
    if exact:
        np.testing.assert_array_equal(got, expected, err_msg=what)
    else:
        assert_close(got, expected, tolerance_for(expected.dtype), what)


def check_same_convolution(fast: Callable, fast_backward: Callable, case: ConvCase) -> None:
    """fast(x, ...) and fast_backward(grad_out, x, ...) equal the reference on ``case``."""
    name, backward_name = CONVOLUTIONS[len(case.input_size)]
    x, weight, bias, grad_out = case.arrays()
    expected = getattr(solutions, name)(x, weight, bias, **case.params)
    assert_same(guarded_call(fast, x, weight, bias, **case.params), expected, f"{name} {case}")
    expected_grads = getattr(solutions, backward_name)(grad_out, x, weight, **case.params)
    got_grads = guarded_call(fast_backward, grad_out, x, weight, **case.params)
    assert isinstance(got_grads, tuple) and len(got_grads) == 3, backward_name
    for what, got, want in zip(
        ("grad_x", "grad_weight", "grad_bias"), got_grads, expected_grads, strict=True
    ):
        assert_same(got, want, f"{backward_name} {what} {case}")


def check_parameter_gradients_only(fast_backward: Callable, case: ConvCase) -> None:
    """fast_backward(..., need_input_grad=False) returns None for grad_x and the reference's
    grad_weight and grad_bias on ``case``."""
    _, backward_name = CONVOLUTIONS[len(case.input_size)]
    x, weight, _, grad_out = case.arrays()
    _, *expected = getattr(solutions, backward_name)(grad_out, x, weight, **case.params)
    grad_x, *got = guarded_call(
        fast_backward, grad_out, x, weight, **case.params, need_input_grad=False
    )
    assert grad_x is None, f"{backward_name}(need_input_grad=False) returned a grad_x"
    for what, got_grad, want in zip(("grad_weight", "grad_bias"), got, expected, strict=True):
        assert_same(got_grad, want, f"{backward_name} {what} without grad_x {case}")


def check_same_pooling(fast: Callable, fast_backward: Callable, case: PoolCase, kind: str) -> None:
    """Pooling forward and backward equal the reference on ``case``; max pooling exactly (both
    pick the same cell, and route its gradient to the same first maximum)."""
    name, backward_name = POOLINGS[(len(case.input_size), kind)]
    x, grad_out = case.arrays()
    exact = kind == "max"
    expected = getattr(solutions, name)(x, case.kernel_size, **case.params)
    got = guarded_call(fast, x, case.kernel_size, **case.params)
    assert_same(got, expected, f"{name} {case}", exact)
    expected_grad = getattr(solutions, backward_name)(grad_out, x, case.kernel_size, **case.params)
    got_grad = guarded_call(fast_backward, grad_out, x, case.kernel_size, **case.params)
    assert_same(got_grad, expected_grad, f"{backward_name} {case}", exact)


def fast_pair(*names):
    return tuple(getattr(solutions.fast, name) for name in names)


@settings(max_examples=60)
@with_examples(CONV1D_EXAMPLES)
@given(case=conv_cases(dims=1))
def test_fast_conv1d_equals_reference(case):
    check_same_convolution(*fast_pair("conv1d", "conv1d_backward"), case)


@settings(max_examples=80)
@with_examples(CONV2D_EXAMPLES)
@given(case=conv_cases(dims=2))
def test_fast_conv2d_equals_reference(case):
    check_same_convolution(*fast_pair("conv2d", "conv2d_backward"), case)


@settings(max_examples=30)
@given(case=conv_cases(dims=2, max_kernel=6, max_extra=12))
def test_fast_conv2d_equals_reference_on_larger_images(case):
    # Larger images and kernels than the oracle tests can afford: several sample chunks in the
    # fast engine's backward, and flat images with many junk columns.
    case = dataclasses.replace(case, batch=case.batch + 3, in_channels=case.in_channels + 4)
    check_same_convolution(*fast_pair("conv2d", "conv2d_backward"), case)


@pytest.mark.parametrize("dims", [1, 2])
@settings(max_examples=40)
@given(data=st.data())
def test_fast_parameter_gradients_without_grad_x_equal_reference(dims, data):
    # need_input_grad=False (a network's first layer) changes the column layout of the
    # backward (exact columns, no flat images), so it is checked on its own.
    case = data.draw(conv_cases(dims=dims, max_kernel=5, max_extra=8))
    check_parameter_gradients_only(fast_pair(*CONVOLUTIONS[dims])[1], case)


@settings(max_examples=40)
@with_examples(POOL1D_EXAMPLES)
@given(case=pool_cases(dims=1))
def test_fast_maxpool1d_equals_reference(case):
    check_same_pooling(*fast_pair("maxpool1d", "maxpool1d_backward"), case, "max")


@pytest.mark.parametrize("kind", ["max", "avg"])
@settings(max_examples=40)
@with_examples(POOL2D_EXAMPLES)
@given(case=pool_cases(dims=2))
def test_fast_pool2d_equals_reference(kind, case):
    check_same_pooling(*fast_pair(*POOLINGS[(2, kind)]), case, kind)


def test_fast_max_pooling_routes_nan_like_the_reference():
    x = np.arange(32.0).reshape(1, 2, 4, 4)
    x[0, 0, 1, 2] = np.nan  # one NaN window in channel 0
    x[0, 1, 2:, 2:] = np.nan  # a window of NaNs in channel 1: the first one wins
    grad_out = np.arange(1.0, 9.0).reshape(1, 2, 2, 2)
    for stride in (None, 1):
        forward = solutions.maxpool2d(x, 2, stride)
        np.testing.assert_array_equal(solutions.fast.maxpool2d(x, 2, stride), forward)
        grad_out = np.arange(1.0, forward.size + 1).reshape(forward.shape)
        np.testing.assert_array_equal(
            solutions.fast.maxpool2d_backward(grad_out, x, 2, stride),
            solutions.maxpool2d_backward(grad_out, x, 2, stride),
        )


def _stride_one_unpadded(case: ConvCase) -> ConvCase:
    """The same shapes with stride 1, no padding, no dilation (what chapter 8's methods take)."""
    sizes = tuple(
        max(size, kernel) for size, kernel in zip(case.input_size, case.kernel_size, strict=True)
    )
    return dataclasses.replace(case, input_size=sizes, stride=1, padding=0, dilation=1)


def check_method(method: Callable, case: ConvCase) -> None:
    x, weight, _, _ = case.arrays()
    expected = solutions.conv2d(x, weight)
    got = guarded_call(method, x, weight)
    assert_array_like(got, expected.dtype, expected.shape, method.__name__)
    # The FFT rounds differently from a sum of products: its error grows with the largest term.
    tolerance = tolerance_for(x.dtype)
    if method is methods.conv2d_fft:
        tolerance = dataclasses.replace(tolerance, atol=tolerance.atol * 10)
    assert_close(got, expected, tolerance, f"{method.__name__} {case}")


@pytest.mark.parametrize("name", list(methods.METHODS))
@settings(max_examples=25)
@given(case=conv_cases(dims=2).map(_stride_one_unpadded))
def test_chapter_8_methods_equal_reference(name, case):
    check_method(methods.METHODS[name], case)


def test_multiply_adds_counts_the_definitions_steps():
    # N O C KH KW H_out W_out for 2 images, 4 -> 4 channels, 12x12 with 3x3 kernels: 10x10 outputs.
    shape = dict(N=2, C=4, O=4, H=12, W=12, K=3)
    assert methods.multiply_adds(shape) == 2 * 4 * 4 * 9 * 10 * 10


def test_median_times_interleaves_and_reports_every_function():
    calls = []
    funcs = {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}
    timed = methods.median_times(funcs, (), repeats=4, budget_s=60.0)
    assert calls == ["a", "b"] * 4
    assert {name: count for name, (_, count) in timed.items()} == {"a": 4, "b": 4}
    assert all(seconds >= 0 for seconds, _ in timed.values())


# ---------------------------------------------------------------------------------------------
# The equality checks can fail: broken engines are rejected on the hand-picked examples
# ---------------------------------------------------------------------------------------------


def _weight_columns_in_engine_order(x, weight, bias=None, **params):
    """A classic slip of the fast engine: the weight flattened (C, KH, KW) but the columns built
    (KH, KW, C), i.e. the filter's axes scrambled."""
    out_channels, channels, kh, kw = weight.shape
    scrambled = weight.reshape(out_channels, kh, kw, channels).transpose(0, 3, 1, 2)
    return solutions.fast.conv2d(x, np.ascontiguousarray(scrambled), bias, **params)


def _backward_without_last_chunk(grad_out, x, weight, **params):
    """The weight gradient of all samples but the last (a chunk loop that stops one short)."""
    grad_x, grad_weight, grad_bias = solutions.fast.conv2d_backward(grad_out, x, weight, **params)
    if x.shape[0] > 1:
        grad_weight = solutions.fast.conv2d_backward(grad_out[:-1], x[:-1], weight, **params)[1]
    return grad_x, grad_weight, grad_bias


def _maxpool_last_maximum(grad_out, x, kernel_size, stride=None):
    """Ties routed to the last maximum of a window instead of the first."""
    flipped = solutions.fast.maxpool2d_backward(
        grad_out[..., ::-1, ::-1], x[..., ::-1, ::-1], kernel_size, stride
    )
    return np.ascontiguousarray(flipped[..., ::-1, ::-1])


def _avgpool_floor_division(x, kernel_size, stride=None):
    """Window sums floor-divided by the window size (integer division of a mean)."""
    window_size = np.prod(np.broadcast_to(kernel_size, 2))
    return solutions.fast.avgpool2d(x, kernel_size, stride) * window_size // window_size


BROKEN_CONVOLUTIONS = {
    "weight axes scrambled": (_weight_columns_in_engine_order, solutions.fast.conv2d_backward),
    "last chunk dropped": (solutions.fast.conv2d, _backward_without_last_chunk),
}
BROKEN_POOLINGS = {
    "max: ties to the last maximum": (
        (solutions.fast.maxpool2d, _maxpool_last_maximum),
        "max",
    ),
    "avg: floor division": ((_avgpool_floor_division, solutions.fast.avgpool2d_backward), "avg"),
}


def _rejected(check: Callable, cases) -> bool:
    for case in cases:
        try:
            check(case)
        except AssertionError:
            return True
    return False


@pytest.mark.parametrize("mistake", BROKEN_CONVOLUTIONS)
def test_equality_check_rejects_a_broken_convolution(mistake):
    broken = BROKEN_CONVOLUTIONS[mistake]
    cases = [c for c in CONV2D_EXAMPLES if c.in_channels > 1 or c.batch > 1]
    assert _rejected(lambda case: check_same_convolution(*broken, case), cases), mistake


@pytest.mark.parametrize("mistake", BROKEN_POOLINGS)
def test_equality_check_rejects_a_broken_pooling(mistake):
    broken, kind = BROKEN_POOLINGS[mistake]
    check = lambda case: check_same_pooling(*broken, case, kind)  # noqa: E731
    assert _rejected(check, POOL2D_EXAMPLES), mistake


def test_equality_check_accepts_the_engine_on_every_example():
    # The rejections above are for the mistakes, not for something the checks get wrong.
    for case in CONV2D_EXAMPLES:
        check_same_convolution(*fast_pair("conv2d", "conv2d_backward"), case)
    for case in POOL2D_EXAMPLES:
        for kind in ("max", "avg"):
            check_same_pooling(*fast_pair(*POOLINGS[(2, kind)]), case, kind)
