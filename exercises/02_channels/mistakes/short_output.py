"""conv1d counts T - K windows instead of T - K + 1: the last output position is missing."""

import numpy as np

BREAKS = {"conv1d": "off_by_one_size"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, out_channels, kernel_size = x.shape[0], weight.shape[0], weight.shape[2]
    out_length = x.shape[2] - kernel_size
    rows = np.zeros((batch, out_length, x.shape[1] * kernel_size), dtype=x.dtype)
    for t in range(out_length):
        rows[:, t] = x[:, :, t : t + kernel_size].reshape(batch, -1)
    out = (rows @ weight.reshape(out_channels, -1).T).transpose(0, 2, 1)
    return out if bias is None else out + bias[:, None]
