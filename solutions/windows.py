"""Chapters 3, 4 and 6: which input cells a sliding window reads (slices only, no arithmetic).

Window (i, j) of a (KH, KW) kernel with stride s and dilation d reads the padded input at

    (i * s_h + kh * d_h,  j * s_w + kw * d_w)      for every tap kh < KH, kw < KW.

Fix one tap (kh, kw) and let (i, j) run over every window: the cells it reads are one strided
slice of the padded input, rows ``kh * d_h, kh * d_h + s_h, ...`` (H_out of them) and the same
for columns.  So "every window" is KH * KW slices, never a Python loop over positions; unroll,
col2im and pooling are each one loop over the taps.
"""

import numpy as np


def pad(x, padding):
    """Zeros on both sides of the last two axes: (..., H, W) -> (..., H + 2 p_h, W + 2 p_w).

    Args:
        x: array with at least two axes.
        padding: (p_h, p_w) ints >= 0.
    """
    (ph, pw) = padding
    return np.pad(x, [(0, 0)] * (x.ndim - 2) + [(ph, ph), (pw, pw)])


def tap_slices(kh, kw, out_shape, stride, dilation):
    """The (rows, columns) slices of the padded input that tap (kh, kw) reads, one cell per window.

    Args:
        kh, kw: the tap (0 <= kh < KH, 0 <= kw < KW).
        out_shape: (H_out, W_out), the number of windows along each axis.
        stride, dilation: (height, width) pairs of ints.

    Returns:
        (slice, slice); ``padded[..., rows, columns]`` has shape (..., H_out, W_out), and entry
        (i, j) is the cell tap (kh, kw) of window (i, j) reads.
    """
    (h_out, w_out), (sh, sw), (dh, dw) = out_shape, stride, dilation
    top, left = kh * dh, kw * dw
    return (
        slice(top, top + sh * (h_out - 1) + 1, sh),
        slice(left, left + sw * (w_out - 1) + 1, sw),
    )
