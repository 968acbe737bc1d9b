"""A read-only window view of x: unroll_2d copies it; conv2d contracts it with einsum."""

import numpy as np


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kernel = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(2, 3))
    batch, _, out_height, out_width = windows.shape[:4]
    # (N, C, H_out, W_out, KH, KW) -> (N, H_out, W_out, C, KH, KW).  The reshape copies only when
    # it must; the explicit copy makes sure the result never shares memory with x.
    rows = windows.transpose(0, 2, 3, 1, 4, 5).reshape(batch, out_height * out_width, -1)
    return rows.copy()


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    windows = np.lib.stride_tricks.sliding_window_view(x, weight.shape[2:], axis=(2, 3))
    out = np.einsum("nchwij,ocij->nohw", windows, weight, optimize=True)
    return out if bias is None else out + bias[:, None, None]
