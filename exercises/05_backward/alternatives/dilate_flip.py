"""The input gradient as a correlation: insert stride - 1 zeros between the entries of grad_out,
pad by the kernel's reach, correlate with the kernel rotated by 180 degrees.  The weight gradient
correlates x with the zero-inserted grad_out.  1D is 2D with an image of height 1."""

import numpy as np


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)  # noqa: F821
    batch, out_channels, out_h, out_w = grad_out.shape
    kernel_h, kernel_w = weight.shape[2:]
    x_padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    padded_h, padded_w = x_padded.shape[2:]
    spread = np.zeros((batch, out_channels, (out_h - 1) * sh + 1, (out_w - 1) * sw + 1), x.dtype)
    spread[:, :, ::sh, ::sw] = grad_out
    reach_h, reach_w = dh * (kernel_h - 1), dw * (kernel_w - 1)
    # the border: reach zeros before, and enough after to cover cells no window reads
    full = np.pad(
        spread,
        (
            (0, 0),
            (0, 0),
            (reach_h, padded_h - spread.shape[2]),
            (reach_w, padded_w - spread.shape[3]),
        ),
    )
    rotated = weight[:, :, ::-1, ::-1]
    grad_padded = np.zeros_like(x_padded)
    grad_weight = np.zeros_like(weight)
    for kh in range(kernel_h):
        for kw in range(kernel_w):
            shifted = full[:, :, kh * dh : kh * dh + padded_h, kw * dw : kw * dw + padded_w]
            grad_padded += np.einsum("nohw,oc->nchw", shifted, rotated[:, :, kh, kw])
            read = x_padded[
                :, :, kh * dh : kh * dh + spread.shape[2], kw * dw : kw * dw + spread.shape[3]
            ]
            grad_weight[:, :, kh, kw] = np.einsum("nohw,nchw->oc", spread, read)
    grad_x = grad_padded[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2, 3))


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    grad_x, grad_weight, grad_bias = conv2d_backward(
        grad_out[:, :, None, :],
        x[:, :, None, :],
        weight[:, :, None, :],
        (1, stride),
        (0, padding),
        (1, dilation),
    )
    return grad_x[:, :, 0, :], grad_weight[:, :, 0, :], grad_bias
