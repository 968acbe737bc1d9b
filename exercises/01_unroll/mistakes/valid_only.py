"""unroll_1d keeps only the windows that fit inside x: T - K + 1 rows instead of T."""

import numpy as np

BREAKS = {"unroll_1d": "valid_only", "conv1d_unroll": "valid_only"}


def unroll_1d(x, kernel_size):
    count = max(x.shape[0] - kernel_size + 1, 0)
    rows = np.zeros((count, kernel_size), dtype=x.dtype)
    for i in range(count):
        rows[i] = x[i : i + kernel_size]
    return rows
