"""The im2col engine's sample-by-sample forward (short products written straight into the
output, ``solutions.fast.im2col.DIRECT_DEPTH``) equals the reference, with and without bias, in
both dtypes, and with a float64 bias on float32 inputs (which takes the chunked path)."""

import numpy as np
import pytest

import solutions
import solutions.fast
from solutions.fast import im2col
from tests.oracles import assert_close, tolerance_for


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bias_dtype", [None, "same", "float64"])
@pytest.mark.parametrize(
    ("x_shape", "weight_shape", "padding"),
    [((3, 1, 28, 28), (4, 1, 5, 5), 2), ((2, 3, 21, 23), (5, 3, 5, 5), 0)],
)
def test_direct_forward_equals_reference(dtype, bias_dtype, x_shape, weight_shape, padding):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(dtype)
    weight = rng.standard_normal(weight_shape).astype(dtype)
    depth = int(np.prod(weight_shape[1:]))
    out_positions = (x_shape[2] + 2 * padding - weight_shape[2] + 1) * (
        x_shape[3] + 2 * padding - weight_shape[3] + 1
    )
    assert depth <= im2col.DIRECT_DEPTH and out_positions >= im2col.DIRECT_POSITIONS
    bias = None
    if bias_dtype is not None:
        bias = rng.standard_normal(weight_shape[0]).astype(
            dtype if bias_dtype == "same" else bias_dtype
        )
    expected = solutions.conv2d(x, weight, bias, padding=padding)
    got = solutions.fast.conv2d(x, weight, bias, padding=padding)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    # The products are in x's dtype even when a float64 bias makes the result float64.
    assert_close(got, expected, tolerance_for(np.dtype(dtype)), "conv2d")
