"""Shift and accumulate: for each tap k, mix the channels of the shifted signal x[:, :, k:]."""

import numpy as np


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_length = x.shape[2] - weight.shape[2] + 1
    out = np.zeros((x.shape[0], weight.shape[0], out_length), dtype=x.dtype)
    for k in range(weight.shape[2]):
        # (O, C) @ (N, C, T_out) -> (N, O, T_out): one channel mix per tap
        out += weight[:, :, k] @ x[:, :, k : k + out_length]
    return out if bias is None else out + bias[:, None]
