"""Both max poolings average each window (x.mean) instead of taking its maximum."""

import numpy as np

BREAKS = {"maxpool1d": "average_not_max", "maxpool2d": "average_not_max"}


def maxpool1d(x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    out_length = (x.shape[2] - kernel_size) // stride + 1
    out = np.zeros(x.shape[:2] + (out_length,), dtype=x.dtype)
    for t in range(out_length):
        out[:, :, t] = x[:, :, t * stride : t * stride + kernel_size].mean(axis=2)
    return out


def maxpool2d(x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    out_height = (x.shape[2] - kernel_height) // stride_h + 1
    out_width = (x.shape[3] - kernel_width) // stride_w + 1
    out = np.zeros(x.shape[:2] + (out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            rows = slice(i * stride_h, i * stride_h + kernel_height)
            columns = slice(j * stride_w, j * stride_w + kernel_width)
            out[:, :, i, j] = x[:, :, rows, columns].mean(axis=(2, 3))
    return out
