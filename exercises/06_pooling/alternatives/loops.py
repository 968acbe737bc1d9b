"""Every index written out: loops over sample, channel, window and cell, comparing with > so the
first maximum of a tie is kept; accumulation in the input's dtype."""

import numpy as np


def window_starts(size, kernel_size, stride):
    """Start of every window that fits along one axis."""
    return range(0, size - kernel_size + 1, stride)


def maxpool1d(x, kernel_size, stride=None):
    return maxpool2d(x[:, :, None, :], (1, kernel_size), (1, stride or kernel_size))[:, :, 0, :]


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    grad_x = maxpool2d_backward(
        grad_out[:, :, None, :], x[:, :, None, :], (1, kernel_size), (1, stride or kernel_size)
    )
    return grad_x[:, :, 0, :]


def first_maximum(window):
    """(row, column) of the first maximum, scanning row by row."""
    best = (0, 0)
    for r in range(window.shape[0]):
        for q in range(window.shape[1]):
            if window[r, q] > window[best]:
                best = (r, q)
    return best


def pool_loops(x, kernel_size, stride, reduce):
    (kh, kw), (sh, sw) = as_pair(kernel_size), as_pair(stride or kernel_size)  # noqa: F821
    rows = window_starts(x.shape[2], kh, sh)
    columns = window_starts(x.shape[3], kw, sw)
    out = np.zeros(x.shape[:2] + (len(rows), len(columns)), dtype=x.dtype)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i, top in enumerate(rows):
                for j, left in enumerate(columns):
                    out[n, c, i, j] = reduce(x[n, c, top : top + kh, left : left + kw])
    return out


def maxpool2d(x, kernel_size, stride=None):
    return pool_loops(x, kernel_size, stride, lambda window: window[first_maximum(window)])


def avgpool2d(x, kernel_size, stride=None):
    return pool_loops(x, kernel_size, stride, lambda window: window.sum() / window.size)


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    (kh, kw), (sh, sw) = as_pair(kernel_size), as_pair(stride or kernel_size)  # noqa: F821
    grad_x = np.zeros_like(x)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range(grad_out.shape[2]):
                for j in range(grad_out.shape[3]):
                    r, q = first_maximum(x[n, c, i * sh : i * sh + kh, j * sw : j * sw + kw])
                    grad_x[n, c, i * sh + r, j * sw + q] += grad_out[n, c, i, j]
    return grad_x


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    (kh, kw), (sh, sw) = as_pair(kernel_size), as_pair(stride or kernel_size)  # noqa: F821
    grad_x = np.zeros_like(x)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range(grad_out.shape[2]):
                for j in range(grad_out.shape[3]):
                    for r in range(kh):
                        for q in range(kw):
                            grad_x[n, c, i * sh + r, j * sw + q] += grad_out[n, c, i, j] / (kh * kw)
    return grad_x
