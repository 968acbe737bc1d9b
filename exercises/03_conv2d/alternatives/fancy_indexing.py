"""unroll_2d with one gather: index arrays for every (position, tap) pair, no Python loop."""

import numpy as np


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kernel_height, kernel_width = (
        (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    )
    batch, channels, height, width = x.shape
    out_height, out_width = height - kernel_height + 1, width - kernel_width + 1
    # rows[p, t]: image row of tap t at position p; columns likewise (p row-major, t over (KH, KW))
    i = (
        np.repeat(np.arange(out_height), out_width)[:, None]
        + np.repeat(np.arange(kernel_height), kernel_width)[None, :]
    )
    j = (
        np.tile(np.arange(out_width), out_height)[:, None]
        + np.tile(np.arange(kernel_width), kernel_height)[None, :]
    )
    gathered = x[:, :, i, j]  # (N, C, P, KH * KW)
    return gathered.transpose(0, 2, 1, 3).reshape(batch, out_height * out_width, -1)
