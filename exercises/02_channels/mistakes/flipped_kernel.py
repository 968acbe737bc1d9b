"""conv1d reverses every filter's taps: a textbook "true" convolution, not cross-correlation."""

import numpy as np

BREAKS = {"conv1d": "flipped_kernel"}


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, kernel_size = x.shape[0], weight.shape[2]
    out_length = x.shape[2] - kernel_size + 1
    rows = np.stack(
        [x[:, :, t : t + kernel_size].reshape(batch, -1) for t in range(out_length)], axis=1
    )
    flipped = weight[:, :, ::-1]
    out = (rows @ flipped.reshape(weight.shape[0], -1).T).transpose(0, 2, 1)
    return out if bias is None else out + bias[:, None]
