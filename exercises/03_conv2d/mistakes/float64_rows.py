"""unroll_2d allocates its rows with np.zeros' default dtype: float32 comes back float64.

conv2d (the model answer) inherits the float64 rows.
"""

import numpy as np

BREAKS = {"unroll_2d": "wrong_dtype", "conv2d": "wrong_dtype"}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kernel_height, kernel_width = (
        (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    )
    batch, channels, height, width = x.shape
    out_height, out_width = height - kernel_height + 1, width - kernel_width + 1
    rows = np.zeros((batch, out_height * out_width, channels * kernel_height * kernel_width))
    for i in range(out_height):
        for j in range(out_width):
            window = x[:, :, i : i + kernel_height, j : j + kernel_width]
            rows[:, i * out_width + j] = window.reshape(batch, -1)
    return rows
