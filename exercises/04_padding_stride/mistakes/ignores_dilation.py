"""Dilation ignored everywhere: the size formula and the taps use a contiguous kernel."""

import numpy as np

BREAKS = {"conv_output_size": "dilation_ignored", "conv1d": None, "conv2d": "dilation_ignored"}


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    if kernel_size > size + 2 * padding:
        raise ValueError(f"conv_output_size: a kernel of {kernel_size} taps does not fit")
    return (size + 2 * padding - kernel_size) // stride + 1


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_h, stride_w), (pad_h, pad_w) = as_pair(stride), as_pair(padding)  # noqa: F821
    kernel_height, kernel_width = weight.shape[2:]
    out_height = conv_output_size(x.shape[2], kernel_height, stride_h, pad_h)
    out_width = conv_output_size(x.shape[3], kernel_width, stride_w, pad_w)
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    out = np.zeros((x.shape[0], weight.shape[0], out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            top, left = i * stride_h, j * stride_w
            window = padded[:, :, top : top + kernel_height, left : left + kernel_width]
            out[:, :, i, j] = np.einsum("nckl,ockl->no", window, weight)
    return out if bias is None else out + bias[:, None, None]
