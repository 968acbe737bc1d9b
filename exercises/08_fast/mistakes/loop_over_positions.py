"""conv2d_fast is right but loops over output positions in Python: about 10 times too slow."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {"conv2d_fast_speed": "too_slow"}


def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = map(pair, (stride, padding, dilation))
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = output_size(x.shape[2], kh, sh, ph, dh)
    w_out = output_size(x.shape[3], kw, sw, pw, dw)
    out = np.zeros((x.shape[0], out_channels, h_out, w_out), dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            window = padded[
                :,
                :,
                i * sh : i * sh + dh * (kh - 1) + 1 : dh,
                j * sw : j * sw + dw * (kw - 1) + 1 : dw,
            ]
            out[:, :, i, j] = np.tensordot(window, weight, axes=([1, 2, 3], [1, 2, 3]))
    return out if bias is None else out + bias[None, :, None, None]
