"""The definition as loops: one dot product per (sample, filter, position), in the input's dtype."""

import numpy as np


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, _, length = x.shape
    out_channels, _, kernel_size = weight.shape
    out = np.zeros((batch, out_channels, length - kernel_size + 1), dtype=x.dtype)
    for n in range(batch):
        for o in range(out_channels):
            for t in range(out.shape[2]):
                out[n, o, t] = np.sum(weight[o] * x[n, :, t : t + kernel_size])
            if bias is not None:
                out[n, o] += bias[o]
    return out
