"""conv1d loops over input channels but assigns instead of adding: only the last one counts."""

import numpy as np

BREAKS = {"conv1d": "last_channel_only"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, channels, length = x.shape
    out_channels, _, kernel_size = weight.shape
    out_length = length - kernel_size + 1
    out = np.zeros((batch, out_channels, out_length), dtype=x.dtype)
    for c in range(channels):
        rows = np.stack([x[:, c, t : t + kernel_size] for t in range(out_length)], axis=1)
        out = (rows @ weight[:, c, :].T).transpose(0, 2, 1)  # should be out += ...
    return out if bias is None else out + bias[:, None]
