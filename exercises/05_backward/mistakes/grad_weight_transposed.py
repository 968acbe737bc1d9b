"""conv1d_backward builds grad_weight with einsum but writes its axes as (C, O, K)."""

import numpy as np

BREAKS = {"conv1d_backward": "grad_weight_axes_swapped"}


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    kernel_size = weight.shape[2]
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    starts = np.arange(grad_out.shape[2]) * stride
    index = starts[:, None] + dilation * np.arange(kernel_size)[None, :]  # (T_out, K)
    windows = x_padded[:, :, index]  # (N, C, T_out, K)
    grad_weight = np.einsum("not,nctk->cok", grad_out, windows)
    grad_windows = np.einsum("not,ock->nctk", grad_out, weight)
    grad_padded = np.zeros_like(x_padded)
    np.add.at(grad_padded, (slice(None), slice(None), index), grad_windows)
    return grad_padded[:, :, padding : padding + x.shape[2]], grad_weight, grad_out.sum(axis=(0, 2))
