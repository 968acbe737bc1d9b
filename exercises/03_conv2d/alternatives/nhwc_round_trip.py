"""conv2d in the channels-last layout: (N, H, W, C) windows times a (KH * KW * C, O) weight."""

import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    channels_last = x.transpose(0, 2, 3, 1)  # (N, H, W, C)
    out_channels, channels, kernel_height, kernel_width = weight.shape
    batch, height, width, _ = channels_last.shape
    out_height, out_width = height - kernel_height + 1, width - kernel_width + 1
    rows = np.empty(
        (batch, out_height, out_width, kernel_height * kernel_width * channels), dtype=x.dtype
    )
    for i in range(out_height):
        for j in range(out_width):
            window = channels_last[:, i : i + kernel_height, j : j + kernel_width, :]
            rows[:, i, j] = window.reshape(batch, -1)  # ordered (KH, KW, C)
    filters = weight.transpose(2, 3, 1, 0).reshape(-1, out_channels)  # (KH * KW * C, O)
    out = (rows @ filters).transpose(0, 3, 1, 2)  # back to (N, O, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
