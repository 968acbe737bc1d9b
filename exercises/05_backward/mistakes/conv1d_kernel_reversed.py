"""conv1d_backward reverses the kernel in the scatter form grad_x[t s + k d] += w[k] g[t],
which needs no reversal (only the full-correlation form of the input gradient does)."""

import numpy as np

BREAKS = {"conv1d_backward": "kernel_not_rotated"}


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    kernel_size = weight.shape[2]
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    grad_padded = np.zeros_like(x_padded)
    grad_weight = np.zeros_like(weight)
    for t in range(grad_out.shape[2]):
        taps = slice(t * stride, t * stride + dilation * (kernel_size - 1) + 1, dilation)
        grad_weight += np.einsum("no,nck->ock", grad_out[:, :, t], x_padded[:, :, taps])
        grad_padded[:, :, taps] += np.einsum("no,ock->nck", grad_out[:, :, t], weight[:, :, ::-1])
    grad_x = grad_padded[:, :, padding : padding + x.shape[2]]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2))
