"""NumPy's sliding_window_view gives every window at once (strided with [::stride]); argmax over
the flattened windows picks the first maximum, and np.add.at scatters the gradients back (it
adds, so overlapping windows accumulate)."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def windows_2d(x, kernel_size, stride):
    """(N, C, H_out, W_out, KH * KW) view of every window, row-major inside."""
    (kh, kw), (sh, sw) = as_pair(kernel_size), as_pair(stride or kernel_size)  # noqa: F821
    view = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return view.reshape(*view.shape[:4], kh * kw)


def cells_of_windows(out_shape, kernel_size, stride):
    """Index arrays (N, C, H_out, W_out, KH * KW) of the cell under every window tap."""
    (kh, kw), (sh, sw) = as_pair(kernel_size), as_pair(stride or kernel_size)  # noqa: F821
    batch, channels, out_h, out_w = out_shape
    samples = np.arange(batch).reshape(-1, 1, 1, 1, 1, 1)
    channel = np.arange(channels).reshape(1, -1, 1, 1, 1, 1)
    rows = (np.arange(out_h) * sh).reshape(1, 1, -1, 1, 1, 1) + np.arange(kh).reshape(-1, 1)
    columns = (np.arange(out_w) * sw).reshape(1, 1, 1, -1, 1, 1) + np.arange(kw)
    shape = (batch, channels, out_h, out_w, kh, kw)
    return tuple(
        np.broadcast_to(index, shape).reshape(*out_shape, kh * kw)
        for index in (samples, channel, rows, columns)
    )


def maxpool2d(x, kernel_size, stride=None):
    return windows_2d(x, kernel_size, stride).max(axis=-1)


def avgpool2d(x, kernel_size, stride=None):
    return windows_2d(x, kernel_size, stride).mean(axis=-1)


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    flat = windows_2d(x, kernel_size, stride)
    winner = flat.argmax(axis=-1)[..., None]  # the first maximum of every window
    cells = cells_of_windows(grad_out.shape, kernel_size, stride)
    grad_x = np.zeros_like(x)
    np.add.at(
        grad_x, tuple(np.take_along_axis(a, winner, axis=-1) for a in cells), grad_out[..., None]
    )
    return grad_x


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    cells = cells_of_windows(grad_out.shape, kernel_size, stride)
    share = grad_out[..., None] / cells[0].shape[-1]
    grad_x = np.zeros_like(x)
    np.add.at(grad_x, cells, np.broadcast_to(share, cells[0].shape))
    return grad_x


def maxpool1d(x, kernel_size, stride=None):
    return sliding_window_view(x, kernel_size, axis=2)[:, :, :: stride or kernel_size].max(axis=-1)


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    stride = stride or kernel_size
    flat = sliding_window_view(x, kernel_size, axis=2)[:, :, ::stride]
    cells = np.arange(grad_out.shape[2]) * stride + flat.argmax(axis=-1)  # (N, C, T_out)
    n, c = np.indices(grad_out.shape[:2])
    grad_x = np.zeros_like(x)
    np.add.at(grad_x, (n[..., None], c[..., None], cells), grad_out)
    return grad_x
