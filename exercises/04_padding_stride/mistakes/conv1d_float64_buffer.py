"""conv1d allocates its output with np.zeros(shape): float64 even for float32 inputs."""

import numpy as np

BREAKS = {"conv1d": "wrong_dtype"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_size = weight.shape
    out_length = conv_output_size(x.shape[2], kernel_size, stride, padding, dilation)  # noqa: F821
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    out = np.zeros((x.shape[0], out_channels, out_length))
    for t in range(out_length):
        window = padded[:, :, t * stride : t * stride + dilation * (kernel_size - 1) + 1 : dilation]
        out[:, :, t] = np.einsum("nck,ock->no", window, weight)
    return out if bias is None else out + bias[:, None]
