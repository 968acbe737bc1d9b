"""unroll_1d returns a view of x for a one-tap kernel, so the output shares x's memory."""

import numpy as np

BREAKS = {"unroll_1d": "returns_view"}


def unroll_1d(x, kernel_size):
    if kernel_size == 1:
        return x.reshape(-1, 1)
    padded = np.concatenate([x, np.zeros(kernel_size - 1, dtype=x.dtype)])
    return np.stack([padded[i : i + kernel_size] for i in range(x.shape[0])])
