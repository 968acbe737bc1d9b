"""maxpool1d, maxpool2d and avgpool2d round the window count up: the last window runs past the
edge and is cut short."""

import math

import numpy as np

BREAKS = {
    "maxpool1d": "pool_ceil_size",
    "maxpool2d": "pool_ceil_size",
    "avgpool2d": ("pool_ceil_size", "off_by_one_size"),
}


def maxpool2d(x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    out_height = math.ceil((x.shape[2] - kernel_height) / stride_h) + 1
    out_width = math.ceil((x.shape[3] - kernel_width) / stride_w) + 1
    out = np.zeros(x.shape[:2] + (out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            window = x[
                :,
                :,
                i * stride_h : i * stride_h + kernel_height,
                j * stride_w : j * stride_w + kernel_width,
            ]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


def maxpool1d(x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    out_length = math.ceil((x.shape[2] - kernel_size) / stride) + 1
    out = np.zeros(x.shape[:2] + (out_length,), dtype=x.dtype)
    for t in range(out_length):
        out[:, :, t] = x[:, :, t * stride : t * stride + kernel_size].max(axis=2)
    return out


def avgpool2d(x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    out_height = math.ceil((x.shape[2] - kernel_height) / stride_h) + 1
    out_width = math.ceil((x.shape[3] - kernel_width) / stride_w) + 1
    out = np.zeros(x.shape[:2] + (out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            rows = slice(i * stride_h, i * stride_h + kernel_height)
            columns = slice(j * stride_w, j * stride_w + kernel_width)
            out[:, :, i, j] = x[:, :, rows, columns].mean(axis=(2, 3))
    return out
