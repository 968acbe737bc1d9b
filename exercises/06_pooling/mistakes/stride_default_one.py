"""The three forward passes read stride=None as stride 1 (every window position, overlapping)."""

import numpy as np

BREAKS = {
    "maxpool1d": "stride_defaults_to_one",
    "maxpool2d": "stride_defaults_to_one",
    "avgpool2d": "stride_defaults_to_one",
}


def maxpool1d(x, kernel_size, stride=None):
    stride = stride or 1
    out_length = (x.shape[2] - kernel_size) // stride + 1
    return np.stack(
        [x[:, :, i * stride : i * stride + kernel_size].max(axis=2) for i in range(out_length)],
        axis=2,
    )


def pool2d(x, kernel_size, stride, reduce):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(stride or 1)  # noqa: F821
    out_height = (x.shape[2] - kernel_height) // stride_h + 1
    out_width = (x.shape[3] - kernel_width) // stride_w + 1
    out = np.zeros(x.shape[:2] + (out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            window = x[
                :,
                :,
                i * stride_h : i * stride_h + kernel_height,
                j * stride_w : j * stride_w + kernel_width,
            ]
            out[:, :, i, j] = reduce(window, axis=(2, 3))
    return out


def maxpool2d(x, kernel_size, stride=None):
    return pool2d(x, kernel_size, stride, np.max)


def avgpool2d(x, kernel_size, stride=None):
    return pool2d(x, kernel_size, stride, np.mean)
