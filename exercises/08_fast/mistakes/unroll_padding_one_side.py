"""unroll_2d puts all 2 * padding zeros after x (bottom and right), none before it."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {
    "unroll_2d": "padding_one_side",
    "conv2d_fast": "padding_one_side",
    "conv2d_fast_speed": None,  # its timed output too
}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(pair, (kernel_size, stride, padding, dilation))
    padded = np.pad(x, ((0, 0), (0, 0), (0, 2 * ph), (0, 2 * pw)))
    h_out = output_size(x.shape[2], kh, sh, ph, dh)
    w_out = output_size(x.shape[3], kw, sw, pw, dw)
    windows = np.lib.stride_tricks.sliding_window_view(
        padded, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3)
    )[:, :, :, :, ::dh, ::dw]
    windows = windows[:, :, : sh * (h_out - 1) + 1 : sh, : sw * (w_out - 1) + 1 : sw]
    n, c = x.shape[:2]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n, h_out * w_out, c * kh * kw)
