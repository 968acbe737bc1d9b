"""conv1d makes room for 2 * padding zeros but copies x to the start of the buffer."""

import numpy as np

BREAKS = {"conv1d": "padding_one_side"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_size = weight.shape
    out_length = conv_output_size(x.shape[2], kernel_size, stride, padding, dilation)  # noqa: F821
    padded = np.zeros((*x.shape[:2], x.shape[2] + 2 * padding), dtype=x.dtype)
    padded[:, :, : x.shape[2]] = x  # should be padded[:, :, padding:padding + T]
    out = np.zeros((x.shape[0], out_channels, out_length), dtype=x.dtype)
    for t in range(out_length):
        window = padded[:, :, t * stride : t * stride + dilation * (kernel_size - 1) + 1 : dilation]
        out[:, :, t] = np.einsum("nck,ock->no", window, weight)
    return out if bias is None else out + bias[:, None]
