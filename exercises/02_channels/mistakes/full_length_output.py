"""conv1d keeps every partial overlap, NumPy's 'full' mode (np.correlate's default in many
examples): T + K - 1 outputs, reading zeros past both ends of x, instead of only the T - K + 1
windows that fit.  No value-level diagnosis matches; the output-size fallback names it."""

import numpy as np

BREAKS = {"conv1d": "wrong_size"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, channels, length = x.shape
    out_channels, _, kernel_size = weight.shape
    out = np.zeros((batch, out_channels, length + kernel_size - 1), dtype=x.dtype)
    for n in range(batch):
        for o in range(out_channels):
            for c in range(channels):
                out[n, o] += np.correlate(x[n, c], weight[o, c], mode="full")
    return out if bias is None else out + bias[:, None]
