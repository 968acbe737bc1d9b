"""unroll_1d wraps around the end of x (circular indexing) instead of reading zeros."""

import numpy as np

BREAKS = {"unroll_1d": "wraps_around", "conv1d_unroll": "wraps_around"}


def unroll_1d(x, kernel_size):
    length = x.shape[0]
    rows = np.arange(length)[:, None] + np.arange(kernel_size)[None, :]
    return x[rows % length]
