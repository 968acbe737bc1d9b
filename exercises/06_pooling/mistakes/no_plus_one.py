"""maxpool1d and maxpool2d count (size - K) // stride windows: the "+ 1" of the size formula is
missing."""

import numpy as np

BREAKS = {"maxpool1d": "off_by_one_size", "maxpool2d": "off_by_one_size"}


def maxpool1d(x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    out_length = (x.shape[2] - kernel_size) // stride
    out = np.zeros(x.shape[:2] + (out_length,), dtype=x.dtype)
    for i in range(out_length):
        out[:, :, i] = x[:, :, i * stride : i * stride + kernel_size].max(axis=2)
    return out


def maxpool2d(x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    out_height = (x.shape[2] - kernel_height) // stride_h
    out_width = (x.shape[3] - kernel_width) // stride_w
    out = np.zeros(x.shape[:2] + (out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            rows = slice(i * stride_h, i * stride_h + kernel_height)
            columns = slice(j * stride_w, j * stride_w + kernel_width)
            out[:, :, i, j] = x[:, :, rows, columns].max(axis=(2, 3))
    return out
