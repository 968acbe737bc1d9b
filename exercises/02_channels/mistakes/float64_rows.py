"""conv1d allocates its rows with np.zeros' default dtype: float32 inputs come back float64."""

import numpy as np

BREAKS = {"conv1d": "wrong_dtype"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, channels, length = x.shape
    out_channels, _, kernel_size = weight.shape
    out_length = length - kernel_size + 1
    rows = np.zeros((batch, out_length, channels * kernel_size))
    for t in range(out_length):
        rows[:, t, :] = x[:, :, t : t + kernel_size].reshape(batch, -1)
    out = (rows @ weight.reshape(out_channels, -1).T).transpose(0, 2, 1)
    return out if bias is None else out + bias[:, None]
