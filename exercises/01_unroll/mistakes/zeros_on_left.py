"""unroll_1d pads on the left, so row i ends at x[i] instead of starting there.

conv1d_unroll (the model answer, built on unroll_1d) inherits the mistake.
"""

import numpy as np

BREAKS = {"unroll_1d": "zeros_on_left", "conv1d_unroll": "zeros_on_left"}


def unroll_1d(x, kernel_size):
    padded = np.concatenate([np.zeros(kernel_size - 1, dtype=x.dtype), x])
    return np.stack([padded[i : i + kernel_size] for i in range(x.shape[0])])
