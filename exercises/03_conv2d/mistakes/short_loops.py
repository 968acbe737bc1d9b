"""unroll_2d and conv2d count H - KH by W - KW windows: the last output row and column are lost."""

import numpy as np

BREAKS = {"unroll_2d": "off_by_one_rows", "conv2d": "off_by_one_size"}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kernel_height, kernel_width = (
        (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    )
    batch, channels, height, width = x.shape
    out_height, out_width = height - kernel_height, width - kernel_width
    rows = np.zeros(
        (batch, out_height * out_width, channels * kernel_height * kernel_width), dtype=x.dtype
    )
    for i in range(out_height):
        for j in range(out_width):
            window = x[:, :, i : i + kernel_height, j : j + kernel_width]
            rows[:, i * out_width + j] = window.reshape(batch, -1)
    return rows


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_height, kernel_width = weight.shape
    out_height, out_width = x.shape[2] - kernel_height, x.shape[3] - kernel_width
    rows = unroll_2d(x, (kernel_height, kernel_width))
    out = (rows @ weight.reshape(out_channels, -1).T).transpose(0, 2, 1)
    out = out.reshape(x.shape[0], out_channels, out_height, out_width)
    return out if bias is None else out + bias[:, None, None]
