"""Test the tests: deliberately wrong implementations must fail the checks of checks.py.

Each mutant is a correct implementation (the float64 loop oracle, cast back to the input dtype)
with one classic mistake put in.  Its check must raise AssertionError on at least one case of a
fixed list.  The unmutated implementation must pass the same check on every case of that list,
so that a mutant is caught *for its mistake*, not for something the wrapper got wrong.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pytest

from tests import oracles
from tests.solutions import checks
from tests.strategies import (
    CONV1D_EXAMPLES,
    CONV2D_EXAMPLES,
    LOGITS_EXAMPLES,
    NLL_EXAMPLES,
    POOL1D_EXAMPLES,
    POOL2D_EXAMPLES,
    UNROLL_1D_EXAMPLES,
)

# ---------------------------------------------------------------------------------------------
# Correct implementations built from the oracles (outputs in the input dtype)
# ---------------------------------------------------------------------------------------------


def in_dtype_of(reference_argument: int = 0):
    """Decorator: cast the float64 result(s) of an oracle to the dtype of one argument."""

    def decorate(oracle):
        @functools.wraps(oracle)
        def implementation(*args, **kwargs):
            dtype = np.asarray(args[reference_argument]).dtype
            result = oracle(*args, **kwargs)
            if isinstance(result, tuple):
                return tuple(np.asarray(r).astype(dtype) for r in result)
            return np.asarray(result).astype(dtype)

        return implementation

    return decorate


def conv_forward(x, weight, bias=None, **params):
    forward = oracles.conv1d_loops if np.ndim(x) == 3 else oracles.conv2d_loops
    return forward(x, weight, bias, **params)


def conv_backward(grad_out, x, weight, **params):
    backward = oracles.conv1d_backward_loops if np.ndim(x) == 3 else oracles.conv2d_backward_loops
    return backward(grad_out, x, weight, **params)


def grad_input(grad_out, x_shape, weight, **params):
    return oracles.conv2d_backward_loops(grad_out, np.zeros(x_shape), weight, **params)[0]


CORRECT = {
    "unroll_1d": in_dtype_of()(oracles.unroll_1d_loops),
    "conv1d_unroll": in_dtype_of()(oracles.conv1d_unroll_loops),
    "conv_output_size": oracles.count_window_positions,
    "conv": in_dtype_of()(conv_forward),
    "conv_backward": in_dtype_of()(conv_backward),
    "unroll_2d": in_dtype_of()(oracles.unroll_2d_loops),
    "grad_input": in_dtype_of(2)(grad_input),
    "maxpool1d": in_dtype_of()(oracles.maxpool1d_loops),
    "maxpool1d_backward": in_dtype_of()(oracles.maxpool1d_backward_loops),
    "maxpool2d_backward": in_dtype_of()(oracles.maxpool2d_backward_loops),
    "avgpool2d_backward": in_dtype_of()(
        lambda grad_out, x, kernel_size, stride=None: oracles.avgpool2d_backward_loops(
            grad_out, np.shape(x), kernel_size, stride
        )
    ),
    "log_softmax": in_dtype_of()(oracles.log_softmax_loops),
    "log_softmax_backward": in_dtype_of()(oracles.log_softmax_backward_loops),
    "nll_loss": in_dtype_of()(oracles.nll_loss_loops),
    "nll_loss_backward": in_dtype_of()(oracles.nll_loss_backward_loops),
    "numerical_gradient": oracles.central_difference_gradient,
}

# ---------------------------------------------------------------------------------------------
# The mistakes
# ---------------------------------------------------------------------------------------------


def unroll_1d_anchored_right(x, kernel_size):
    padded = np.concatenate([np.zeros(kernel_size - 1, dtype=x.dtype), x])
    return CORRECT["unroll_1d"](padded, kernel_size)[: len(x)].astype(x.dtype)


def conv_output_size_ceil(size, kernel_size, stride=1, padding=0, dilation=1):
    return -(-(size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride) + 1


def conv1d_stride_on_input(x, weight, bias=None, stride=1, padding=0, dilation=1):
    return CORRECT["conv"](x[:, :, ::stride], weight, bias, padding=padding, dilation=dilation)


def conv1d_backward_bias_mean(grad_out, x, weight, **params):
    grad_x, grad_weight, grad_bias = CORRECT["conv_backward"](grad_out, x, weight, **params)
    return grad_x, grad_weight, grad_bias / x.shape[0]


def conv1d_backward_weight_first_sample(grad_out, x, weight, **params):
    grad_x, _, grad_bias = CORRECT["conv_backward"](grad_out, x, weight, **params)
    _, grad_weight, _ = CORRECT["conv_backward"](grad_out[:1], x[:1], weight, **params)
    return grad_x, grad_weight, grad_bias


def conv2d_one_sided_padding(x, weight, bias=None, stride=1, padding=0, dilation=1):
    top, left = oracles.as_pair(padding)
    padded = np.pad(x, [(0, 0), (0, 0), (2 * top, 0), (2 * left, 0)])
    return CORRECT["conv"](padded, weight, bias, stride=stride, dilation=dilation)


def conv2d_backward_stride_ignored(grad_out, x, weight, stride=1, padding=0, dilation=1):
    params = {"padding": padding, "dilation": dilation}
    grad_x, _, _ = CORRECT["conv_backward"](grad_out, x, weight, stride=1, **params)
    _, grad_weight, grad_bias = CORRECT["conv_backward"](
        grad_out, x, weight, stride=stride, **params
    )
    return grad_x, grad_weight, grad_bias


def conv2d_backward_weight_padding_ignored(grad_out, x, weight, stride=1, padding=0, dilation=1):
    grad_x, _, grad_bias = CORRECT["conv_backward"](
        grad_out, x, weight, stride=stride, padding=padding, dilation=dilation
    )
    _, grad_weight, _ = CORRECT["conv_backward"](
        grad_out, x, weight, stride=stride, padding=0, dilation=dilation
    )
    return grad_x, grad_weight, grad_bias


def unroll_2d_columns_channels_last(x, kernel_size, **params):
    columns = CORRECT["unroll_2d"](x, kernel_size, **params)
    kh, kw = oracles.as_pair(kernel_size)
    batch, rows, _ = columns.shape
    by_tap = columns.reshape(batch, rows, x.shape[1], kh, kw).transpose(0, 1, 3, 4, 2)
    return by_tap.reshape(batch, rows, -1)


def maxpool1d_view_for_window_of_one(x, kernel_size, stride=None):
    if kernel_size == 1 and stride in (None, 1):
        return x[...]  # a view: the caller's array escapes
    return CORRECT["maxpool1d"](x, kernel_size, stride)


def maxpool2d_backward_to_whole_window(grad_out, x, kernel_size, stride=None):
    # the average-pooling gradient without the division: every tap gets the window's gradient
    size = np.prod(oracles.as_pair(kernel_size))
    return CORRECT["avgpool2d_backward"](grad_out * size, x, kernel_size, stride)


def maxpool2d_backward_last_tie(grad_out, x, kernel_size, stride=None):
    grad_x = np.zeros_like(x)
    for n, c in np.ndindex(x.shape[:2]):
        for i, j, taps in oracles.pool_windows(x.shape[2:], kernel_size, stride):
            values = [x[n, c, h, w] for h, w in taps]
            last = len(values) - 1 - values[::-1].index(max(values))
            grad_x[(n, c, *taps[last])] += grad_out[n, c, i, j]
    return grad_x


def maxpool1d_backward_overwrite(grad_out, x, kernel_size, stride=None):
    step = kernel_size if stride is None else stride
    grad_x = np.zeros_like(x)
    for i in range(grad_out.shape[2]):
        # each window writes its own one-hot gradient, wiping what earlier windows put there
        window = CORRECT["maxpool1d_backward"](
            grad_out[:, :, i : i + 1], x[:, :, i * step : i * step + kernel_size], kernel_size
        )
        grad_x[:, :, i * step : i * step + kernel_size] = window
    return grad_x


def avgpool2d_backward_not_divided(grad_out, x, kernel_size, stride=None):
    return maxpool2d_backward_to_whole_window(grad_out, x, kernel_size, stride)


def log_softmax_no_max_subtraction(z, axis=-1):
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def log_softmax_in_place(z, axis=-1):
    z -= np.max(z, axis=axis, keepdims=True)  # shifts the caller's logits
    return CORRECT["log_softmax"](z, axis)


def log_softmax_last_axis_only(z, axis=-1):
    return CORRECT["log_softmax"](z, -1)


def log_softmax_backward_assumes_unit_sum(grad_out, z, axis=-1):
    return (grad_out - np.exp(CORRECT["log_softmax"](z, axis))).astype(z.dtype)


def nll_loss_sum(log_probs, targets):
    return CORRECT["nll_loss"](log_probs, targets) * len(targets)


def nll_loss_backward_sign(log_probs, targets):
    return -CORRECT["nll_loss_backward"](log_probs, targets)


def numerical_gradient_forward_difference(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        shifted = np.array(x, dtype=np.float64)
        shifted[index] += eps
        grad[index] = (f(shifted) - f(x)) / eps
    return grad


# ---------------------------------------------------------------------------------------------
# Mutant table: (mistake, check, correct implementation, mutant, fixed cases)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    mistake: str
    check: Callable
    correct: Callable
    mutant: Callable
    cases: Sequence


OUTPUT_SIZE_CASES = [
    c
    for c in itertools.product(range(1, 9), range(1, 4), range(1, 4), range(3), range(1, 3))
    if oracles.count_window_positions(*c) >= 1
]


def _forward_check(case_kind):
    return functools.partial(checks.check_pool_forward, kind=case_kind)


def _backward_check(case_kind):
    return functools.partial(checks.check_pool_backward, kind=case_kind)


MUTANTS = [
    Mutant(
        "conv1d_unroll: true convolution (weight flipped)",
        checks.check_conv1d_unroll,
        CORRECT["conv1d_unroll"],
        in_dtype_of()(lambda x, w: CORRECT["conv1d_unroll"](x, w[::-1])),
        UNROLL_1D_EXAMPLES,
    ),
    Mutant(
        "unroll_1d: window anchored right (zeros on the left)",
        checks.check_unroll_1d,
        CORRECT["unroll_1d"],
        unroll_1d_anchored_right,
        UNROLL_1D_EXAMPLES,
    ),
    Mutant(
        "conv_output_size: dilation ignored",
        lambda impl, c: checks.check_conv_output_size(impl, *c),
        CORRECT["conv_output_size"],
        lambda size, k, stride=1, padding=0, dilation=1: (size + 2 * padding - k) // stride + 1,
        OUTPUT_SIZE_CASES,
    ),
    Mutant(
        "conv_output_size: ceil instead of floor",
        lambda impl, c: checks.check_conv_output_size(impl, *c),
        CORRECT["conv_output_size"],
        conv_output_size_ceil,
        OUTPUT_SIZE_CASES,
    ),
    Mutant(
        "conv1d: stride applied to the input samples",
        checks.check_conv_forward,
        CORRECT["conv"],
        conv1d_stride_on_input,
        CONV1D_EXAMPLES,
    ),
    Mutant(
        "conv1d: bias forgotten",
        checks.check_conv_forward,
        CORRECT["conv"],
        lambda x, w, b=None, **p: CORRECT["conv"](x, w, None, **p),
        CONV1D_EXAMPLES,
    ),
    Mutant(
        "conv1d_backward: grad_bias averaged over the batch",
        checks.check_conv_backward,
        CORRECT["conv_backward"],
        conv1d_backward_bias_mean,
        CONV1D_EXAMPLES,
    ),
    Mutant(
        "conv1d_backward: grad_weight from the first sample only (numerical check)",
        checks.check_conv_backward_numerically,
        CORRECT["conv_backward"],
        conv1d_backward_weight_first_sample,
        CONV1D_EXAMPLES,
    ),
    Mutant(
        "conv2d: true convolution (kernel flipped)",
        checks.check_conv_forward,
        CORRECT["conv"],
        lambda x, w, b=None, **p: CORRECT["conv"](x, w[..., ::-1, ::-1], b, **p),
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "conv2d: off-by-one output size (last row and column lost)",
        checks.check_conv_forward,
        CORRECT["conv"],
        lambda *a, **p: CORRECT["conv"](*a, **p)[..., :-1, :-1],
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "conv2d: padding on one side only",
        checks.check_conv_forward,
        CORRECT["conv"],
        conv2d_one_sided_padding,
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "conv2d: output transposed (H_out and W_out swapped)",
        checks.check_conv_forward,
        CORRECT["conv"],
        lambda *a, **p: CORRECT["conv"](*a, **p).swapaxes(-1, -2),
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "conv2d: float32 input gives float64 output",
        checks.check_conv_forward,
        CORRECT["conv"],
        conv_forward,
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "conv2d_backward: stride ignored in grad_x",
        checks.check_conv_backward,
        CORRECT["conv_backward"],
        conv2d_backward_stride_ignored,
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "conv2d_backward: stride ignored in grad_x (numerical check)",
        checks.check_conv_backward_numerically,
        CORRECT["conv_backward"],
        conv2d_backward_stride_ignored,
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "conv2d_backward: padding ignored in grad_weight",
        checks.check_conv_backward,
        CORRECT["conv_backward"],
        conv2d_backward_weight_padding_ignored,
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "unroll_2d: columns ordered (KH, KW, C)",
        checks.check_unroll_2d,
        CORRECT["unroll_2d"],
        unroll_2d_columns_channels_last,
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "grad_input_dilate_flip: kernel not rotated",
        checks.check_input_gradient,
        CORRECT["grad_input"],
        lambda g, shape, w, **p: CORRECT["grad_input"](g, shape, w[..., ::-1, ::-1], **p),
        CONV2D_EXAMPLES,
    ),
    Mutant(
        "maxpool1d: window of one returns a view of x",
        _forward_check("max"),
        CORRECT["maxpool1d"],
        maxpool1d_view_for_window_of_one,
        POOL1D_EXAMPLES,
    ),
    Mutant(
        "maxpool1d_backward: overlapping windows overwrite instead of add",
        _backward_check("max"),
        CORRECT["maxpool1d_backward"],
        maxpool1d_backward_overwrite,
        POOL1D_EXAMPLES,
    ),
    Mutant(
        "maxpool2d_backward: gradient sent to every element of the window",
        _backward_check("max"),
        CORRECT["maxpool2d_backward"],
        maxpool2d_backward_to_whole_window,
        POOL2D_EXAMPLES,
    ),
    Mutant(
        "maxpool2d_backward: gradient to every window element (numerical check)",
        functools.partial(checks.check_pool_backward_numerically, kind="max"),
        CORRECT["maxpool2d_backward"],
        maxpool2d_backward_to_whole_window,
        POOL2D_EXAMPLES,
    ),
    Mutant(
        "maxpool2d_backward: ties go to the last maximum",
        _backward_check("max"),
        CORRECT["maxpool2d_backward"],
        maxpool2d_backward_last_tie,
        POOL2D_EXAMPLES,
    ),
    Mutant(
        "avgpool2d_backward: not divided by the window size",
        _backward_check("avg"),
        CORRECT["avgpool2d_backward"],
        avgpool2d_backward_not_divided,
        POOL2D_EXAMPLES,
    ),
    Mutant(
        "log_softmax: no max-subtraction (exp overflows)",
        checks.check_log_softmax,
        CORRECT["log_softmax"],
        log_softmax_no_max_subtraction,
        LOGITS_EXAMPLES,
    ),
    Mutant(
        "log_softmax: subtracts the max from z in place",
        checks.check_log_softmax,
        CORRECT["log_softmax"],
        log_softmax_in_place,
        LOGITS_EXAMPLES,
    ),
    Mutant(
        "log_softmax: axis ignored (always the last)",
        checks.check_log_softmax,
        CORRECT["log_softmax"],
        log_softmax_last_axis_only,
        LOGITS_EXAMPLES,
    ),
    Mutant(
        "log_softmax_backward: assumes sum(grad_out) == 1",
        checks.check_log_softmax_backward,
        CORRECT["log_softmax_backward"],
        log_softmax_backward_assumes_unit_sum,
        LOGITS_EXAMPLES,
    ),
    Mutant(
        "nll_loss: sum instead of mean over the batch",
        checks.check_nll_loss,
        CORRECT["nll_loss"],
        nll_loss_sum,
        NLL_EXAMPLES,
    ),
    Mutant(
        "nll_loss_backward: sign flipped",
        checks.check_nll_loss_backward,
        CORRECT["nll_loss_backward"],
        nll_loss_backward_sign,
        NLL_EXAMPLES,
    ),
    Mutant(
        "numerical_gradient: forward difference",
        lambda impl, _: checks.check_numerical_gradient_is_central(impl),
        CORRECT["numerical_gradient"],
        numerical_gradient_forward_difference,
        [None],
    ),
    Mutant(
        "numerical_gradient: forward difference (known functions)",
        checks.check_numerical_gradient,
        CORRECT["numerical_gradient"],
        numerical_gradient_forward_difference,
        list(checks.KNOWN_GRADIENTS),
    ),
]


def is_caught(check: Callable, implementation: Callable, cases: Sequence) -> bool:
    """True when the check rejects the implementation on at least one case."""
    for case in cases:
        try:
            check(implementation, case)
        except AssertionError:
            return True
    return False


@pytest.mark.parametrize("entry", MUTANTS, ids=[m.mistake for m in MUTANTS])
def test_correct_implementation_passes_every_case(entry: Mutant):
    for case in entry.cases:
        entry.check(entry.correct, case)


def test_every_mutant_is_caught(request):
    missed = [m.mistake for m in MUTANTS if not is_caught(m.check, m.mutant, m.cases)]
    line = f"mutants caught: {len(MUTANTS) - len(missed)}/{len(MUTANTS)}"
    print(line)
    request.config.stash[checks.MUTANT_REPORT] = line
    assert not missed, f"{line}; not caught: {missed}"
