"""maxpool1d counts (T - K) // stride windows: the "+ 1" of the size formula is missing."""

import numpy as np

BREAKS = {"maxpool1d": "off_by_one_size"}


def maxpool1d(x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    out_length = (x.shape[2] - kernel_size) // stride
    out = np.zeros(x.shape[:2] + (out_length,), dtype=x.dtype)
    for i in range(out_length):
        out[:, :, i] = x[:, :, i * stride : i * stride + kernel_size].max(axis=2)
    return out
