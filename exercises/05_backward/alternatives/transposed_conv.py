"""im2col backwards: with the windows as rows of a matrix, the forward is rows @ W.T, so
grad_weight = grad_out_rows.T @ rows and the window gradients are grad_out_rows @ W; col2im then
adds each window gradient back onto the cells it came from (a transposed convolution), one tap at
a time."""

import numpy as np


def unrolled(x_padded, out_size, kernel_size, stride, dilation):
    """(N, H_out * W_out, C * KH * KW) windows of an already padded batch."""
    (out_h, out_w), (kernel_h, kernel_w) = out_size, kernel_size
    (sh, sw), (dh, dw) = stride, dilation
    taps = [
        x_padded[
            :,
            :,
            kh * dh : kh * dh + (out_h - 1) * sh + 1 : sh,
            kw * dw : kw * dw + (out_w - 1) * sw + 1 : sw,
        ]
        for kh in range(kernel_h)
        for kw in range(kernel_w)
    ]  # each (N, C, H_out, W_out)
    stacked = np.stack(taps, axis=2)  # (N, C, KH * KW, H_out, W_out)
    return stacked.reshape(x_padded.shape[0], -1, out_h * out_w).transpose(0, 2, 1)


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    stride, (ph, pw), dilation = as_pair(stride), as_pair(padding), as_pair(dilation)  # noqa: F821
    batch, out_channels, out_h, out_w = grad_out.shape
    kernel_h, kernel_w = weight.shape[2:]
    x_padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    rows = unrolled(x_padded, (out_h, out_w), (kernel_h, kernel_w), stride, dilation)
    grad_rows = grad_out.reshape(batch, out_channels, -1).transpose(0, 2, 1)  # (N, P, O)
    flat_weight = weight.reshape(out_channels, -1)
    grad_weight = np.einsum("npo,npk->ok", grad_rows, rows).reshape(weight.shape)
    grad_windows = (grad_rows @ flat_weight).transpose(0, 2, 1)  # (N, C * KH * KW, P)
    grad_windows = grad_windows.reshape(batch, x.shape[1], kernel_h, kernel_w, out_h, out_w)
    grad_padded = np.zeros_like(x_padded)
    (sh, sw), (dh, dw) = stride, dilation
    for kh in range(kernel_h):
        for kw in range(kernel_w):
            grad_padded[
                :,
                :,
                kh * dh : kh * dh + (out_h - 1) * sh + 1 : sh,
                kw * dw : kw * dw + (out_w - 1) * sw + 1 : sw,
            ] += grad_windows[:, :, kh, kw]
    grad_x = grad_padded[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2, 3))
