"""Bad inputs raise ValueError whose message names the function and the argument at fault.

Not a NumPy error from deep inside the computation: the message must start its story with the
function's own name (e.g. "conv2d: stride must be ...").  One table, one test.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import solutions
from solutions.input_gradient import (
    grad_input_col2im,
    grad_input_dilate_flip,
    grad_input_transposed_conv,
)

X1 = np.ones((2, 3, 8))  # conv1d: weight (4, 3, 3) -> output (2, 4, 6)
W1 = np.ones((4, 3, 3))
B = np.ones(4)
G1 = np.ones((2, 4, 6))
X2 = np.ones((2, 3, 8, 8))  # conv2d: weight (4, 3, 3, 3) -> output (2, 4, 6, 6)
W2 = np.ones((4, 3, 3, 3))
G2 = np.ones((2, 4, 6, 6))
P1 = np.ones((2, 3, 8))  # pooling 1D, kernel 2 -> (2, 3, 4)
P2 = np.ones((2, 3, 6, 6))  # pooling 2D, kernel 2 -> (2, 3, 3, 3)
LOGITS = np.zeros((4, 3))
TARGETS = np.array([0, 2, 1, 1])

BAD_INTEGERS = [0, -1, 1.5, 2.0]  # hyper-parameters must be positive Python/NumPy integers


def _hyper_parameter_rows(function, args, names, bad_values=BAD_INTEGERS):
    """One row per (hyper-parameter, bad value) of a function taking `names` as keywords."""
    return [(function, args, {name: value}, name) for name in names for value in bad_values]


def _padding_rows(function, args, two_d: bool):
    rows = [(function, args, {"padding": -1}, "padding")]
    if two_d:
        rows.append((function, args, {"padding": (0, -1)}, "padding"))
    return rows


def _pair_rows(function, args, names):
    """2D hyper-parameters given as pairs: a bad component, or not a pair at all."""
    rows = []
    for name in names:
        for value in [(1, 0), (2, -1), (1, 1.5), (1, 2, 3), (1,)]:
            rows.append((function, args, {name: value}, name))
    return rows


ROWS = [
    # --- chapter 1 ---
    (solutions.unroll_1d, (np.ones((2, 6)), 3), {}, r"\bx\b"),
    *[(solutions.unroll_1d, (np.ones(6), k), {}, "kernel_size") for k in (0, -1, 1.5)],
    (solutions.conv1d_unroll, (np.ones((2, 6)), np.ones(3)), {}, r"\bx\b"),
    (solutions.conv1d_unroll, (np.ones(6), np.ones((1, 3))), {}, "weight"),
    (solutions.conv1d_unroll, (np.ones(6), np.ones(0)), {}, "weight"),
    # --- output size ---
    *[(solutions.conv_output_size, (8, k), {}, "kernel_size") for k in (0, -1, 1.5)],
    *_hyper_parameter_rows(solutions.conv_output_size, (8, 3), ["stride", "dilation"]),
    (solutions.conv_output_size, (8, 3), {"padding": -1}, "padding"),
    (solutions.conv_output_size, (2, 5), {}, "kernel"),  # no window fits
    (solutions.conv_output_size, (4, 3), {"dilation": 2}, "kernel|dilation"),  # spans 5 > 4
    # --- conv1d ---
    (solutions.conv1d, (X1[0], W1), {}, r"\bx\b"),
    (solutions.conv1d, (X1, W1[0]), {}, "weight"),
    (solutions.conv1d, (X1, W1[:, :2]), {}, "channel"),
    (solutions.conv1d, (X1, W1, B[:3]), {}, "bias"),
    (solutions.conv1d, (X1, W1, B[None]), {}, "bias"),
    (solutions.conv1d, (X1, W1[:, :, :0]), {}, "weight|kernel"),
    *_hyper_parameter_rows(solutions.conv1d, (X1, W1), ["stride", "dilation"]),
    *_padding_rows(solutions.conv1d, (X1, W1), two_d=False),
    (solutions.conv1d, (X1[:, :, :2], W1), {}, "kernel|weight"),
    (solutions.conv1d, (X1[:, :, :4], W1), {"dilation": 2}, "kernel|weight"),
    (solutions.conv1d_backward, (G1[:, :, :5], X1, W1), {}, "grad_out"),
    (solutions.conv1d_backward, (G1[:, :3], X1, W1), {}, "grad_out"),
    (solutions.conv1d_backward, (G1[:1], X1, W1), {}, "grad_out"),
    (solutions.conv1d_backward, (G1[0], X1, W1), {}, "grad_out"),
    (solutions.conv1d_backward, (G1, X1, W1[:, :2]), {}, "channel"),
    *_hyper_parameter_rows(solutions.conv1d_backward, (G1, X1, W1), ["stride", "dilation"]),
    *_padding_rows(solutions.conv1d_backward, (G1, X1, W1), two_d=False),
    # --- conv2d ---
    (solutions.conv2d, (X2[0], W2), {}, r"\bx\b"),
    (solutions.conv2d, (X2, W2[0]), {}, "weight"),
    (solutions.conv2d, (X2, W2[:, :2]), {}, "channel"),
    (solutions.conv2d, (X2, W2, B[:3]), {}, "bias"),
    (solutions.conv2d, (X2, W2[:, :, :, :0]), {}, "weight|kernel"),
    *_hyper_parameter_rows(solutions.conv2d, (X2, W2), ["stride", "dilation"]),
    *_pair_rows(solutions.conv2d, (X2, W2), ["stride", "dilation"]),
    *_padding_rows(solutions.conv2d, (X2, W2), two_d=True),
    (solutions.conv2d, (X2[:, :, :2, :2], W2), {}, "kernel|weight"),
    (solutions.conv2d, (X2[:, :, :4, :4], W2), {"dilation": 2}, "kernel|weight"),
    (solutions.conv2d, (X2[:, :, :8, :2], W2), {"padding": (0, 0)}, "kernel|weight"),
    (solutions.conv2d_backward, (G2[:, :, :5], X2, W2), {}, "grad_out"),
    (solutions.conv2d_backward, (G2[:, :3], X2, W2), {}, "grad_out"),
    (solutions.conv2d_backward, (G2[0], X2, W2), {}, "grad_out"),
    (solutions.conv2d_backward, (G2, X2, W2[:, :2]), {}, "channel"),
    *_hyper_parameter_rows(solutions.conv2d_backward, (G2, X2, W2), ["stride", "dilation"]),
    *_padding_rows(solutions.conv2d_backward, (G2, X2, W2), two_d=True),
    (solutions.unroll_2d, (X2[0], 3), {}, r"\bx\b"),
    *[(solutions.unroll_2d, (X2, k), {}, "kernel_size") for k in (0, -1, 1.5, (3, 0), (3,))],
    *_hyper_parameter_rows(solutions.unroll_2d, (X2, 3), ["stride", "dilation"]),
    *_padding_rows(solutions.unroll_2d, (X2, 3), two_d=True),
    (solutions.unroll_2d, (X2, 9), {}, "kernel"),
    # --- pooling ---
    (solutions.maxpool1d, (P1[0], 2), {}, r"\bx\b"),
    (solutions.maxpool1d, (P2, 2), {}, r"\bx\b"),
    *[(solutions.maxpool1d, (P1, k), {}, "kernel_size") for k in (0, -1, 1.5, 9)],
    *[(solutions.maxpool1d, (P1, 2), {"stride": s}, "stride") for s in BAD_INTEGERS],
    (solutions.maxpool1d_backward, (np.ones((2, 3, 3)), P1, 2), {}, "grad_out"),
    (solutions.maxpool1d_backward, (np.ones((2, 3, 4)), P1, 0), {}, "kernel_size"),
]
for pool, pool_backward in [
    (solutions.maxpool2d, solutions.maxpool2d_backward),
    (solutions.avgpool2d, solutions.avgpool2d_backward),
]:
    ROWS += [
        (pool, (P2[0], 2), {}, r"\bx\b"),
        *[(pool, (P2, k), {}, "kernel_size") for k in (0, -1, 1.5, (2, 0), (2, 2, 2), 7, (1, 7))],
        *[(pool, (P2, 2), {"stride": s}, "stride") for s in [*BAD_INTEGERS, (1, 0), (1, 2, 3)]],
        (pool_backward, (np.ones((2, 3, 3, 2)), P2, 2), {}, "grad_out"),
        (pool_backward, (np.ones((2, 2, 3, 3)), P2, 2), {}, "grad_out"),
        (pool_backward, (np.ones((2, 3, 3, 3)), P2, 0), {}, "kernel_size"),
    ]
# --- input-gradient formulations: (grad_out, x_shape, weight, ...) ---
for grad_input in (grad_input_col2im, grad_input_transposed_conv, grad_input_dilate_flip):
    ROWS += [
        (grad_input, (G2[:, :, :5], X2.shape, W2), {}, "grad_out"),
        (grad_input, (G2[:, :3], X2.shape, W2), {}, "grad_out"),
        (grad_input, (G2, (2, 2, 8, 8), W2), {}, "channel"),
        (grad_input, (G2, (2, 3, 8), W2), {}, "x_shape"),
        *_hyper_parameter_rows(grad_input, (G2, X2.shape, W2), ["stride", "dilation"]),
        *_padding_rows(grad_input, (G2, X2.shape, W2), two_d=True),
    ]
# --- losses ---
ROWS += [
    (solutions.log_softmax_backward, (np.ones((4, 2)), LOGITS), {}, "grad_out"),
    (solutions.nll_loss, (LOGITS[0], TARGETS), {}, "log_probs"),
    (solutions.nll_loss, (LOGITS, TARGETS[:3]), {}, "targets"),
    (solutions.nll_loss, (LOGITS, TARGETS[:, None]), {}, "targets"),
    (solutions.nll_loss, (LOGITS, np.array([0, 3, 1, 1])), {}, "targets"),  # class 3 of 3
    (solutions.nll_loss, (LOGITS, np.array([0, -1, 1, 1])), {}, "targets"),  # would wrap
    (solutions.nll_loss, (LOGITS, TARGETS.astype(float)), {}, "targets"),
    (solutions.nll_loss_backward, (LOGITS[0], TARGETS), {}, "log_probs"),
    (solutions.nll_loss_backward, (LOGITS, TARGETS[:3]), {}, "targets"),
    (solutions.nll_loss_backward, (LOGITS, np.array([0, 3, 1, 1])), {}, "targets"),
    (solutions.nll_loss_backward, (LOGITS, np.array([0, -1, 1, 1])), {}, "targets"),
]


def _row_id(row):
    function, args, kwargs, _ = row
    shapes = ",".join(str(np.shape(a)) if isinstance(a, np.ndarray) else repr(a) for a in args)
    extra = ",".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"{function.__name__}({shapes}{',' if extra else ''}{extra})"


@pytest.mark.parametrize("row", ROWS, ids=[_row_id(r) for r in ROWS])
def test_bad_input_raises_value_error_naming_function_and_argument(row):
    function, args, kwargs, argument = row
    # the function's own name, then (anywhere later) the argument at fault
    pattern = rf"(?s)\b{re.escape(function.__name__)}\b.*({argument})"
    with pytest.raises(ValueError, match=pattern):
        function(*args, **kwargs)


def test_messages_show_the_shapes_received():
    # The contract's example: "conv2d: weight has 3 input channels but x has 4 (x.shape=(2, 4,
    # 8, 8), weight.shape=(5, 3, 3, 3))".  The shapes must be in the message.
    with pytest.raises(ValueError) as error:
        solutions.conv2d(np.ones((2, 4, 8, 8)), np.ones((5, 3, 3, 3)))
    message = str(error.value)
    assert "(2, 4, 8, 8)" in message and "(5, 3, 3, 3)" in message, message
