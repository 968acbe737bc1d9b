"""conv2d pads into np.zeros' default dtype: float32 inputs come back float64."""

import numpy as np

BREAKS = {"conv2d": "wrong_dtype"}


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_h, stride_w), (pad_h, pad_w) = as_pair(stride), as_pair(padding)  # noqa: F821
    dilation_h, dilation_w = as_pair(dilation)  # noqa: F821
    batch, channels, height, width = x.shape
    padded = np.zeros((batch, channels, height + 2 * pad_h, width + 2 * pad_w))  # float64
    padded[:, :, pad_h : pad_h + height, pad_w : pad_w + width] = x
    span_h = dilation_h * (weight.shape[2] - 1) + 1
    span_w = dilation_w * (weight.shape[3] - 1) + 1
    windows = np.lib.stride_tricks.sliding_window_view(padded, (span_h, span_w), axis=(2, 3))
    windows = windows[:, :, ::stride_h, ::stride_w, ::dilation_h, ::dilation_w]
    out = np.einsum("nchwij,ocij->nohw", windows, weight, optimize=True)
    return out if bias is None else out + bias[:, None, None]
