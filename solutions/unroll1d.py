"""Chapter 1: a single-channel 1D convolution as "unroll, then one matrix multiply".

The convolution of this chapter keeps the output the same length as the input and anchors it on the
left: ``out[i] = sum_k weight[k] * x[i + k]``, reading zeros past the right end of ``x``.  Unrolling
copies every window into a row, so the whole convolution becomes one matrix-vector product:

    unroll_1d([1, 2, 3, 4, 5, 6], 3) = [[1, 2, 3],
                                        [2, 3, 4],
                                        [3, 4, 5],
                                        [4, 5, 6],
                                        [5, 6, 0],
                                        [6, 0, 0]]
    unroll_1d(x, 3) @ [5, 2, 3] = [18, 28, 38, 48, 37, 30]

Non-finite values are propagated, not checked (see ``solutions.checks``).
"""

import numpy as np

from solutions.checks import check_int, check_ndim


def unroll_1d(x, kernel_size):
    """Copy each length-``kernel_size`` window of ``x`` into one row, zeros past the right edge.

    Args:
        x: (T,) input signal.
        kernel_size: K, the window length (positive int; may exceed T).

    Returns:
        (T, K) array of x's dtype with ``out[i, k] = x[i + k]`` if ``i + k < T`` else 0.
    """
    x = check_ndim("unroll_1d", "x", x, 1, "(T,)")
    kernel_size = check_int("unroll_1d", "kernel_size", kernel_size, 1)
    length = x.shape[0]
    # Pad on the right once, then row i is simply padded[i : i + K].
    padded = np.concatenate([x, np.zeros(kernel_size - 1, dtype=x.dtype)])
    rows = np.arange(length)[:, None] + np.arange(kernel_size)[None, :]
    return padded[rows]


def conv1d_unroll(x, weight):
    """Single-channel 1D convolution, output anchored left and as long as ``x``.

    Args:
        x: (T,) input signal.
        weight: (K,) kernel.

    Returns:
        (T,) array, ``out[i] = sum_k weight[k] * x[i + k]`` with x = 0 past its end.
    """
    x = check_ndim("conv1d_unroll", "x", x, 1, "(T,)")
    weight = check_ndim("conv1d_unroll", "weight", weight, 1, "(K,)")
    if weight.shape[0] == 0:
        raise ValueError("conv1d_unroll: weight must have at least one tap, got weight.shape=(0,)")
    return unroll_1d(x, weight.shape[0]) @ weight
