"""The definition as loops over output positions, one window slice and one contraction each."""

import math

import numpy as np


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    numerator = size + 2 * padding - dilation * (kernel_size - 1) - 1
    if numerator < 0:
        raise ValueError("conv_output_size: the dilated kernel is larger than the padded input")
    return math.floor(numerator / stride) + 1


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_h, stride_w), (pad_h, pad_w) = as_pair(stride), as_pair(padding)  # noqa: F821
    dilation_h, dilation_w = as_pair(dilation)  # noqa: F821
    kernel_height, kernel_width = weight.shape[2:]
    out_height = conv_output_size(x.shape[2], kernel_height, stride_h, pad_h, dilation_h)
    out_width = conv_output_size(x.shape[3], kernel_width, stride_w, pad_w, dilation_w)
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    out = np.zeros((x.shape[0], weight.shape[0], out_height, out_width), dtype=x.dtype)
    for n in range(x.shape[0]):
        for i in range(out_height):
            for j in range(out_width):
                rows = slice(i * stride_h, i * stride_h + dilation_h * (kernel_height - 1) + 1)
                cols = slice(j * stride_w, j * stride_w + dilation_w * (kernel_width - 1) + 1)
                window = padded[n, :, rows, cols][:, ::dilation_h, ::dilation_w]  # (C, KH, KW)
                out[n, :, i, j] = np.tensordot(weight, window, axes=3)
    return out if bias is None else out + bias[:, None, None]


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_length = conv_output_size(x.shape[2], weight.shape[2], stride, padding, dilation)
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    out = np.zeros((x.shape[0], weight.shape[0], out_length), dtype=x.dtype)
    for n in range(x.shape[0]):
        for o in range(weight.shape[0]):
            for t in range(out_length):
                total = 0.0
                for c in range(x.shape[1]):
                    for k in range(weight.shape[2]):
                        total += weight[o, c, k] * padded[n, c, t * stride + k * dilation]
                out[n, o, t] = total
    return out if bias is None else out + bias[:, None]
