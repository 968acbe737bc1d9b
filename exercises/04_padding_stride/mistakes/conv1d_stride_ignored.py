"""conv1d sizes its output with the stride but starts window t at t, not at t * stride."""

import numpy as np

BREAKS = {"conv1d": "stride_ignored"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_size = weight.shape
    out_length = conv_output_size(x.shape[2], kernel_size, stride, padding, dilation)  # noqa: F821
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    out = np.zeros((x.shape[0], out_channels, out_length), dtype=x.dtype)
    for t in range(out_length):
        window = padded[:, :, t : t + dilation * (kernel_size - 1) + 1 : dilation]
        out[:, :, t] = np.einsum("nck,ock->no", window, weight)
    return out if bias is None else out + bias[:, None]
