"""unroll_2d reads contiguous windows whatever the dilation (taps never spread out)."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {"unroll_2d": "dilation_ignored", "conv2d_fast": "dilation_ignored"}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw) = map(pair, (kernel_size, stride, padding))
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = output_size(x.shape[2], kh, sh, ph, 1)
    w_out = output_size(x.shape[3], kw, sw, pw, 1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(2, 3))
    windows = windows[:, :, : sh * (h_out - 1) + 1 : sh, : sw * (w_out - 1) + 1 : sw]
    n, c = x.shape[:2]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n, h_out * w_out, c * kh * kw)


def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kh, kw = weight.shape
    (sh, sw), (ph, pw) = map(pair, (stride, padding))
    h_out = output_size(x.shape[2], kh, sh, ph, 1)
    w_out = output_size(x.shape[3], kw, sw, pw, 1)
    out = unroll_2d(x, (kh, kw), stride, padding) @ weight.reshape(out_channels, -1).T
    out = out.transpose(0, 2, 1).reshape(x.shape[0], out_channels, h_out, w_out)
    return out if bias is None else out + bias[None, :, None, None]
