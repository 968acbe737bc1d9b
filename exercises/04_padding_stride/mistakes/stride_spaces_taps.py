"""conv2d reads stride as the spacing of the kernel taps; windows move by one; no dilation."""

import numpy as np

BREAKS = {"conv2d": ("stride_as_dilation", "dilation_ignored")}


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_h, stride_w), (pad_h, pad_w) = as_pair(stride), as_pair(padding)  # noqa: F821
    kernel_height, kernel_width = weight.shape[2:]
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    span_h, span_w = stride_h * (kernel_height - 1) + 1, stride_w * (kernel_width - 1) + 1
    out_height, out_width = padded.shape[2] - span_h + 1, padded.shape[3] - span_w + 1
    out = np.zeros((x.shape[0], weight.shape[0], out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            window = padded[:, :, i : i + span_h : stride_h, j : j + span_w : stride_w]
            out[:, :, i, j] = np.einsum("nckl,ockl->no", window, weight)
    return out if bias is None else out + bias[:, None, None]
