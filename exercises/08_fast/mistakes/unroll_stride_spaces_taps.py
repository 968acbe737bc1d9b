"""unroll_2d spaces the kernel taps by the stride and takes a window at every position (the
dilation is ignored)."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {"unroll_2d": ("stride_as_dilation", "dilation_ignored"), "conv2d_fast": None}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(pair, (kernel_size, stride, padding, dilation))
    dh, dw, sh, sw = sh, sw, 1, 1  # stride read as the spacing of the taps
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = output_size(x.shape[2], kh, sh, ph, dh)
    w_out = output_size(x.shape[3], kw, sw, pw, dw)
    windows = np.lib.stride_tricks.sliding_window_view(
        padded, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3)
    )[:, :, :, :, ::dh, ::dw]
    windows = windows[:, :, : sh * (h_out - 1) + 1 : sh, : sw * (w_out - 1) + 1 : sw]
    n, c = x.shape[:2]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n, h_out * w_out, c * kh * kw)
