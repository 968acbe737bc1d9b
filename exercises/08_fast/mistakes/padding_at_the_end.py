"""conv2d_fast pads 2 * padding zeros after the input instead of padding on each side."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {"conv2d_fast": "padding_one_side", "conv2d_fast_speed": None}  # its timed output too


def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (ph, pw) = pair(padding)
    x = np.pad(x, ((0, 0), (0, 0), (0, 2 * ph), (0, 2 * pw)))
    out_channels, _, kh, kw = weight.shape
    (sh, sw), (dh, dw) = map(pair, (stride, dilation))
    h_out = output_size(x.shape[2], kh, sh, 0, dh)
    w_out = output_size(x.shape[3], kw, sw, 0, dw)
    out = unroll_2d(x, (kh, kw), stride, 0, dilation) @ weight.reshape(out_channels, -1).T
    out = out.transpose(0, 2, 1).reshape(x.shape[0], out_channels, h_out, w_out)
    return out if bias is None else out + bias[None, :, None, None]
