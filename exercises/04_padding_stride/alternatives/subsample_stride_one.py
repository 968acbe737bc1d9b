"""Stride as subsampling: a stride-1 convolution keeps every output; stride s keeps every s-th.

Shift and accumulate computes the stride-1 result tap by tap (wasteful for large strides, but
exactly the same numbers).
"""

import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_h, stride_w), (pad_h, pad_w) = as_pair(stride), as_pair(padding)  # noqa: F821
    dilation_h, dilation_w = as_pair(dilation)  # noqa: F821
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    kernel_height, kernel_width = weight.shape[2:]
    dense_height = padded.shape[2] - dilation_h * (kernel_height - 1)
    dense_width = padded.shape[3] - dilation_w * (kernel_width - 1)
    dense = np.zeros((x.shape[0], weight.shape[0], dense_height, dense_width), dtype=x.dtype)
    for kh in range(kernel_height):
        for kw in range(kernel_width):
            top, left = kh * dilation_h, kw * dilation_w
            shifted = padded[:, :, top : top + dense_height, left : left + dense_width]
            dense += np.einsum("oc,nchw->nohw", weight[:, :, kh, kw], shifted)
    out = dense[:, :, ::stride_h, ::stride_w]
    return out if bias is None else out + bias[:, None, None]


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """The 1D case as a 2D image of height 1: reuse conv2d with a (1, stride) stride."""
    out = conv2d(
        x[:, :, None, :],
        weight[:, :, None, :],
        bias,
        stride=(1, stride),
        padding=(0, padding),
        dilation=(1, dilation),
    )
    return out[:, :, 0, :]
