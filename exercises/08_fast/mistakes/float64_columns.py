"""unroll_2d fills a buffer made by np.zeros with its default dtype: float32 becomes float64."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {"unroll_2d": "wrong_dtype", "conv2d_fast": "wrong_dtype", "conv2d_fast_speed": None}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(pair, (kernel_size, stride, padding, dilation))
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = output_size(x.shape[2], kh, sh, ph, dh)
    w_out = output_size(x.shape[3], kw, sw, pw, dw)
    n, c = x.shape[:2]
    columns = np.zeros((n, c, kh, kw, h_out, w_out))
    for i in range(kh):
        for j in range(kw):
            columns[:, :, i, j] = padded[
                :,
                :,
                i * dh : i * dh + sh * (h_out - 1) + 1 : sh,
                j * dw : j * dw + sw * (w_out - 1) + 1 : sw,
            ]
    return columns.transpose(0, 4, 5, 1, 2, 3).reshape(n, h_out * w_out, c * kh * kw)
