"""conv1d_backward returns the gradient of the padded signal: padding cells included."""

import numpy as np

BREAKS = {"conv1d_backward": "padding_not_cropped"}


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    kernel_size = weight.shape[2]
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    grad_padded = np.zeros_like(x_padded)
    grad_weight = np.zeros_like(weight)
    for t in range(grad_out.shape[2]):
        taps = slice(t * stride, t * stride + dilation * (kernel_size - 1) + 1, dilation)
        grad_weight += np.einsum("no,nck->ock", grad_out[:, :, t], x_padded[:, :, taps])
        grad_padded[:, :, taps] += np.einsum("no,ock->nck", grad_out[:, :, t], weight)
    grad_x = grad_padded  # should drop `padding` cells at both ends
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2))
