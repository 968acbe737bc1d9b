"""unroll_2d moves x to channels-last (NHWC) first, so each row lists its window as (KH, KW, C).

conv2d (the model answer) then pairs those entries with weight.reshape(O, -1), ordered (C, KH, KW).
"""

import numpy as np

BREAKS = {"unroll_2d": "column_order", "conv2d": "column_order"}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kernel_height, kernel_width = (
        (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    )
    channels_last = x.transpose(0, 2, 3, 1)  # (N, H, W, C)
    batch, height, width, _ = channels_last.shape
    rows = [
        channels_last[:, i : i + kernel_height, j : j + kernel_width, :].reshape(batch, -1)
        for i in range(height - kernel_height + 1)
        for j in range(width - kernel_width + 1)
    ]
    return np.stack(rows, axis=1)
