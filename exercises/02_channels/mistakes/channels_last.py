"""conv1d returns the matrix product as it comes, (N, T_out, O), without moving the axes."""

import numpy as np

BREAKS = {"conv1d": "transposed_output"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    windows = np.lib.stride_tricks.sliding_window_view(x, weight.shape[2], axis=2)
    rows = windows.transpose(0, 2, 1, 3).reshape(x.shape[0], windows.shape[2], -1)
    out = rows @ weight.reshape(weight.shape[0], -1).T  # (N, T_out, O): axes never moved
    return out if bias is None else out + bias
