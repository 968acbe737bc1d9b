"""conv1d_backward keeps only the last sample's grad_bias: the loop over the batch assigns
instead of adding."""

import numpy as np

BREAKS = {"conv1d_backward": "grad_bias_not_summed"}


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    kernel_size = weight.shape[2]
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    grad_padded = np.zeros_like(x_padded)
    grad_weight = np.zeros_like(weight)
    for t in range(grad_out.shape[2]):
        taps = slice(t * stride, t * stride + dilation * (kernel_size - 1) + 1, dilation)
        grad_weight += np.einsum("no,nck->ock", grad_out[:, :, t], x_padded[:, :, taps])
        grad_padded[:, :, taps] += np.einsum("no,ock->nck", grad_out[:, :, t], weight)
    grad_x = grad_padded[:, :, padding : padding + x.shape[2]]
    for n in range(x.shape[0]):
        grad_bias = grad_out[n].sum(axis=1)  # should be grad_bias += ...
    return grad_x, grad_weight, grad_bias
