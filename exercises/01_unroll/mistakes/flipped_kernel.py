"""conv1d_unroll multiplies by the reversed kernel: a textbook "true" convolution."""

import numpy as np

BREAKS = {"conv1d_unroll": "flipped_kernel"}


def conv1d_unroll(x, weight):
    length, kernel_size = x.shape[0], weight.shape[0]
    padded = np.concatenate([x, np.zeros(kernel_size - 1, dtype=x.dtype)])
    rows = np.stack([padded[i : i + kernel_size] for i in range(length)])
    return rows @ weight[::-1]
