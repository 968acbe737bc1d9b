"""unroll_1d returns the (K, T) transpose; the model conv1d_unroll then fails on it."""

import numpy as np

BREAKS = {"unroll_1d": "transposed_output", "conv1d_unroll": None}


def unroll_1d(x, kernel_size):
    padded = np.concatenate([x, np.zeros(kernel_size - 1, dtype=x.dtype)])
    return np.stack([padded[k : k + x.shape[0]] for k in range(kernel_size)])
