"""conv1d slides the filters over x[:, 0] only: the first input channel, the others ignored."""

import numpy as np

BREAKS = {"conv1d": "first_channel_only"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_size = weight.shape
    out_length = x.shape[2] - kernel_size + 1
    rows = np.stack([x[:, 0, t : t + kernel_size] for t in range(out_length)], axis=1)
    out = (rows @ weight[:, 0, :].T).transpose(0, 2, 1)  # (N, O, T_out)
    return out if bias is None else out + bias[:, None]
