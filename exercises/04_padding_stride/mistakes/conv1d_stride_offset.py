"""conv1d computes every window (stride 1) and keeps every stride-th one counting from 1, so the
kept windows start at s - 1, 2s - 1, ... instead of 0, s, 2s, ..."""

import numpy as np

BREAKS = {"conv1d": "stride_offset"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_size = weight.shape
    every = conv_output_size(x.shape[2], kernel_size, 1, padding, dilation)  # noqa: F821
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    out = np.zeros((x.shape[0], out_channels, every), dtype=x.dtype)
    for t in range(every):
        window = padded[:, :, t : t + dilation * (kernel_size - 1) + 1 : dilation]
        out[:, :, t] = np.einsum("nck,ock->no", window, weight)
    out = out[:, :, stride - 1 :: stride]
    return out if bias is None else out + bias[:, None]
