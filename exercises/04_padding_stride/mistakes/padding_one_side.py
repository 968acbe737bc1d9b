"""conv2d makes room for 2 * padding zeros but copies x to the top-left corner of the buffer."""

import numpy as np

BREAKS = {"conv2d": "padding_one_side"}


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_h, stride_w), (pad_h, pad_w) = as_pair(stride), as_pair(padding)  # noqa: F821
    dilation_h, dilation_w = as_pair(dilation)  # noqa: F821
    batch, channels, height, width = x.shape
    kernel_height, kernel_width = weight.shape[2:]
    padded = np.zeros((batch, channels, height + 2 * pad_h, width + 2 * pad_w), dtype=x.dtype)
    padded[:, :, :height, :width] = x  # all the zeros end up after x, none before
    out_height = conv_output_size(height, kernel_height, stride_h, pad_h, dilation_h)  # noqa: F821
    out_width = conv_output_size(width, kernel_width, stride_w, pad_w, dilation_w)  # noqa: F821
    out = np.zeros((batch, weight.shape[0], out_height, out_width), dtype=x.dtype)
    for i in range(out_height):
        for j in range(out_width):
            top, left = i * stride_h, j * stride_w
            window = padded[
                :,
                :,
                top : top + dilation_h * (kernel_height - 1) + 1 : dilation_h,
                left : left + dilation_w * (kernel_width - 1) + 1 : dilation_w,
            ]
            out[:, :, i, j] = np.einsum("nckl,ockl->no", window, weight)
    return out if bias is None else out + bias[:, None, None]
