"""unroll_2d returns the windows as columns, (N, C * KH * KW, H_out * W_out): the transpose of
the rows asked for (conv2d uses the model's unroll_2d and stays right)."""

import numpy as np

BREAKS = {"unroll_2d": "transposed_output", "conv2d": None}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kernel_height, kernel_width = (
        (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    )
    batch, channels, height, width = x.shape
    out_height, out_width = height - kernel_height + 1, width - kernel_width + 1
    columns = np.zeros(
        (batch, channels * kernel_height * kernel_width, out_height * out_width), dtype=x.dtype
    )
    for i in range(out_height):
        for j in range(out_width):
            window = x[:, :, i : i + kernel_height, j : j + kernel_width]
            columns[:, :, i * out_width + j] = window.reshape(batch, -1)
    return columns
