"""conv1d_backward moves its window one cell per output position, whatever the stride."""

import numpy as np

BREAKS = {"conv1d_backward": "stride_ignored_in_backward"}


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    batch, channels, _ = x.shape
    kernel_size = weight.shape[2]
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    grad_padded = np.zeros_like(x_padded)
    grad_weight = np.zeros_like(weight)
    for i in range(grad_out.shape[2]):
        taps = slice(
            i, i + dilation * (kernel_size - 1) + 1, dilation
        )  # should start at i * stride
        window = x_padded[:, :, taps].reshape(batch, -1)
        grad_weight += (grad_out[:, :, i].T @ window).reshape(weight.shape)
        grad_padded[:, :, taps] += (
            grad_out[:, :, i] @ weight.reshape(weight.shape[0], -1)
        ).reshape(batch, channels, kernel_size)
    return grad_padded[:, :, padding : padding + x.shape[2]], grad_weight, grad_out.sum(axis=(0, 2))
