"""maxpool2d and avgpool2d unpack the (height, width) pairs as (width, height)."""

import numpy as np

BREAKS = {"maxpool2d": "window_pair_swapped", "avgpool2d": "window_pair_swapped"}


def windows_of(x, kernel_size, stride):
    kernel_width, kernel_height = as_pair(kernel_size)  # noqa: F821 (should be height, width)
    stride_w, stride_h = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    out_height = (x.shape[2] - kernel_height) // stride_h + 1
    out_width = (x.shape[3] - kernel_width) // stride_w + 1
    for i in range(out_height):
        for j in range(out_width):
            rows = slice(i * stride_h, i * stride_h + kernel_height)
            columns = slice(j * stride_w, j * stride_w + kernel_width)
            yield (out_height, out_width), (i, j), x[:, :, rows, columns]


def pooled(x, kernel_size, stride, reduce):
    out = None
    for shape, (i, j), window in windows_of(x, kernel_size, stride):
        if out is None:
            out = np.zeros(x.shape[:2] + shape, dtype=x.dtype)
        out[:, :, i, j] = reduce(window, axis=(2, 3))
    return out


def maxpool2d(x, kernel_size, stride=None):
    return pooled(x, kernel_size, stride, np.max)


def avgpool2d(x, kernel_size, stride=None):
    return pooled(x, kernel_size, stride, np.mean)
