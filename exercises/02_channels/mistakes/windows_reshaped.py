"""conv1d stacks the windows as (N, C, T_out, K) and reshapes them without a transpose."""

import numpy as np

BREAKS = {"conv1d": "windows_reshaped"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, kernel_size = x.shape[0], weight.shape[2]
    out_length = x.shape[2] - kernel_size + 1
    windows = np.stack([x[:, :, t : t + kernel_size] for t in range(out_length)], axis=2)
    rows = windows.reshape(batch, out_length, -1)  # scrambles channels and positions
    out = (rows @ weight.reshape(weight.shape[0], -1).T).transpose(0, 2, 1)
    return out if bias is None else out + bias[:, None]
