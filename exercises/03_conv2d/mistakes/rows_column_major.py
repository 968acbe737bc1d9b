"""unroll_2d walks the output positions column by column: row j * H_out + i holds output (i, j).

conv2d (the model answer, built on unroll_2d) then puts every value at the wrong position.
"""

import numpy as np

BREAKS = {"unroll_2d": "rows_column_major", "conv2d": "rows_column_major"}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kernel_height, kernel_width = (
        (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    )
    batch, channels, height, width = x.shape
    out_height, out_width = height - kernel_height + 1, width - kernel_width + 1
    rows = []
    for j in range(out_width):
        for i in range(out_height):
            rows.append(x[:, :, i : i + kernel_height, j : j + kernel_width].reshape(batch, -1))
    return np.stack(rows, axis=1)
