"""conv1d accepts a bias but never adds it."""

import numpy as np

BREAKS = {"conv1d": "missing_bias"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, out_channels, kernel_size = x.shape[0], weight.shape[0], weight.shape[2]
    out_length = x.shape[2] - kernel_size + 1
    out = np.zeros((batch, out_channels, out_length), dtype=x.dtype)
    for t in range(out_length):
        window = x[:, :, t : t + kernel_size].reshape(batch, -1)
        out[:, :, t] = window @ weight.reshape(out_channels, -1).T
    return out
