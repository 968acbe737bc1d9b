"""conv1d_backward loops over the samples and assigns grad_weight for each one: only the last
sample's contribution survives (no sum over the batch)."""

import numpy as np

BREAKS = {"conv1d_backward": "grad_weight_batch_not_summed"}


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    kernel_size = weight.shape[2]
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    grad_padded = np.zeros_like(x_padded)
    for n in range(x.shape[0]):
        grad_weight = np.zeros_like(weight)
        for i in range(grad_out.shape[2]):
            taps = slice(i * stride, i * stride + dilation * (kernel_size - 1) + 1, dilation)
            grad_weight += grad_out[n, :, i][:, None, None] * x_padded[n, :, taps][None]
            grad_padded[n, :, taps] += np.tensordot(grad_out[n, :, i], weight, axes=1)
    grad_x = grad_padded[:, :, padding : padding + x.shape[2]]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2))
