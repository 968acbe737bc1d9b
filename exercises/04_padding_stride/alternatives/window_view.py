"""One strided view: windows of the dilated span, every stride-th start, every dilation-th tap."""

import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_h, stride_w), (pad_h, pad_w) = as_pair(stride), as_pair(padding)  # noqa: F821
    dilation_h, dilation_w = as_pair(dilation)  # noqa: F821
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    span = (dilation_h * (weight.shape[2] - 1) + 1, dilation_w * (weight.shape[3] - 1) + 1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, span, axis=(2, 3))
    windows = windows[:, :, ::stride_h, ::stride_w, ::dilation_h, ::dilation_w]
    out = np.einsum("nchwij,ocij->nohw", windows, weight, optimize=True)
    return out if bias is None else out + bias[:, None, None]


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    kernel_size = weight.shape[2]
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    span = dilation * (kernel_size - 1) + 1
    windows = np.lib.stride_tricks.sliding_window_view(padded, span, axis=2)
    windows = windows[:, :, ::stride, ::dilation]  # (N, C, T_out, K)
    out = np.einsum("nctk,ock->not", windows, weight)
    return out if bias is None else out + bias[:, None]
