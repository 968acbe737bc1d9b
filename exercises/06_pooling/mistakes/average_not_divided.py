"""avgpool2d sums each window, and avgpool2d_backward gives every cell of a window the
window's whole gradient (no / (KH * KW))."""

import numpy as np

BREAKS = {"avgpool2d": "average_not_divided", "avgpool2d_backward": "average_not_divided"}


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    grad_x = np.zeros_like(x)
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            top, left = i * stride_h, j * stride_w
            grad_x[:, :, top : top + kernel_height, left : left + kernel_width] += grad_out[
                :, :, i, j, None, None
            ]
    return grad_x


def avgpool2d(x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    out_height = (x.shape[2] - kernel_height) // stride_h + 1
    out_width = (x.shape[3] - kernel_width) // stride_w + 1
    out = np.zeros(x.shape[:2] + (out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            rows = slice(i * stride_h, i * stride_h + kernel_height)
            columns = slice(j * stride_w, j * stride_w + kernel_width)
            out[:, :, i, j] = x[:, :, rows, columns].sum(axis=(2, 3))  # no / (KH * KW)
    return out
