"""avgpool2d allocates its output with np.zeros' default dtype: float32 comes back float64."""

import numpy as np

BREAKS = {"avgpool2d": "wrong_dtype"}


def avgpool2d(x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    out_height = (x.shape[2] - kernel_height) // stride_h + 1
    out_width = (x.shape[3] - kernel_width) // stride_w + 1
    out = np.zeros((x.shape[0], x.shape[1], out_height, out_width))
    for i in range(out_height):
        for j in range(out_width):
            rows = slice(i * stride_h, i * stride_h + kernel_height)
            columns = slice(j * stride_w, j * stride_w + kernel_width)
            out[:, :, i, j] = x[:, :, rows, columns].sum(axis=(2, 3)) / (
                kernel_height * kernel_width
            )
    return out
