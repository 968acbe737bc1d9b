"""unroll_1d allocates its matrix with np.zeros' default dtype: float32 inputs come back float64."""

import numpy as np

BREAKS = {"unroll_1d": "wrong_dtype", "conv1d_unroll": "wrong_dtype"}


def unroll_1d(x, kernel_size):
    rows = np.zeros((x.shape[0], kernel_size))
    for i in range(x.shape[0]):
        window = x[i : i + kernel_size]
        rows[i, : window.shape[0]] = window
    return rows
