"""conv1d spaces the taps by the stride and moves the windows by one (dilation ignored)."""

import numpy as np

BREAKS = {"conv1d": ("stride_as_dilation", "dilation_ignored")}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_size = weight.shape
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    span = stride * (kernel_size - 1) + 1
    out_length = padded.shape[2] - span + 1
    out = np.zeros((x.shape[0], out_channels, out_length), dtype=x.dtype)
    for t in range(out_length):
        window = padded[:, :, t : t + span : stride]
        out[:, :, t] = np.einsum("nck,ock->no", window, weight)
    return out if bias is None else out + bias[:, None]
