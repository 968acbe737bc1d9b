"""conv1d_unroll's loop stops one step early: the output is one element short."""

import numpy as np

BREAKS = {"conv1d_unroll": "off_by_one_size"}


def conv1d_unroll(x, weight):
    length, kernel_size = x.shape[0], weight.shape[0]
    out = np.zeros(max(length - 1, 0), dtype=x.dtype)
    for i in range(length - 1):
        for k in range(kernel_size):
            if i + k < length:
                out[i] += weight[k] * x[i + k]
    return out
