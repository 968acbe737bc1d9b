"""maxpool2d rounds the window count up: the last window runs past the edge and is cut short."""

import math

import numpy as np

BREAKS = {"maxpool2d": "pool_ceil_size"}


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
