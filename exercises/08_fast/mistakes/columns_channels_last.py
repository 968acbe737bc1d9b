"""unroll_2d orders each row (KH, KW, C): the channel axis moved last before the reshape.

conv2d_fast (the model answer) multiplies by weight.reshape(O, -1), ordered (C, KH, KW): wrong too.
"""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {"unroll_2d": "columns_channels_last", "conv2d_fast": None, "conv2d_fast_speed": None}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(pair, (kernel_size, stride, padding, dilation))
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = output_size(x.shape[2], kh, sh, ph, dh)
    w_out = output_size(x.shape[3], kw, sw, pw, dw)
    windows = np.lib.stride_tricks.sliding_window_view(
        padded, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3)
    )
    windows = windows[:, :, : sh * (h_out - 1) + 1 : sh, : sw * (w_out - 1) + 1 : sw, ::dh, ::dw]
    n, c = x.shape[:2]
    return windows.transpose(0, 2, 3, 4, 5, 1).reshape(n, h_out * w_out, kh * kw * c)
