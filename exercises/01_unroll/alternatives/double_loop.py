"""No unrolling at all: the definition as two loops, accumulating in the input's dtype."""

import numpy as np


def conv1d_unroll(x, weight):
    length, kernel_size = x.shape[0], weight.shape[0]
    out = np.zeros(length, dtype=x.dtype)
    for i in range(length):
        for k in range(kernel_size):
            if i + k < length:
                out[i] += weight[k] * x[i + k]
    return out
