"""Loop over the KH * KW taps of the window instead of the output positions: each tap is a
strided slice of x covering every window at once.  The first maximum is the tap where the
window's maximum appears for the first time (a running "already found" mask)."""

import numpy as np


def tap_slices(x_shape, out_shape, kernel_size, stride):
    """[(r, q, slice of rows, slice of columns)] of every tap, over all windows."""
    (kh, kw), (sh, sw) = as_pair(kernel_size), as_pair(stride or kernel_size)  # noqa: F821
    out_h, out_w = out_shape[2:]
    return [
        (r, q, slice(r, r + (out_h - 1) * sh + 1, sh), slice(q, q + (out_w - 1) * sw + 1, sw))
        for r in range(kh)
        for q in range(kw)
    ]


def out_shape_of(x, kernel_size, stride):
    (kh, kw), (sh, sw) = as_pair(kernel_size), as_pair(stride or kernel_size)  # noqa: F821
    return (*x.shape[:2], (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1)


def maxpool2d(x, kernel_size, stride=None):
    taps = tap_slices(x.shape, out_shape_of(x, kernel_size, stride), kernel_size, stride)
    return np.max([x[:, :, rows, columns] for _, _, rows, columns in taps], axis=0)


def avgpool2d(x, kernel_size, stride=None):
    taps = tap_slices(x.shape, out_shape_of(x, kernel_size, stride), kernel_size, stride)
    total = sum(x[:, :, rows, columns] for _, _, rows, columns in taps)
    return total / x.dtype.type(len(taps))


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    taps = tap_slices(x.shape, grad_out.shape, kernel_size, stride)
    best = maxpool2d(x, kernel_size, stride)
    found = np.zeros(grad_out.shape, dtype=bool)
    grad_x = np.zeros_like(x)
    for _, _, rows, columns in taps:  # row-major tap order: the first hit is the first maximum
        here = (x[:, :, rows, columns] == best) & ~found
        grad_x[:, :, rows, columns] += np.where(here, grad_out, 0)
        found |= here
    return grad_x


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    taps = tap_slices(x.shape, grad_out.shape, kernel_size, stride)
    grad_x = np.zeros_like(x)
    for _, _, rows, columns in taps:
        grad_x[:, :, rows, columns] += grad_out / x.dtype.type(len(taps))
    return grad_x


def maxpool1d(x, kernel_size, stride=None):
    return maxpool2d(x[:, :, None, :], (1, kernel_size), (1, stride or kernel_size))[:, :, 0]


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    grad_x = maxpool2d_backward(
        grad_out[:, :, None, :], x[:, :, None, :], (1, kernel_size), (1, stride or kernel_size)
    )
    return grad_x[:, :, 0]
