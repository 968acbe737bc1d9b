"""conv2d_backward computes grad_x as a full correlation of the stride-dilated grad_out with the
kernel, but forgets to rotate the kernel by 180 degrees."""

import numpy as np

BREAKS = {"conv2d_backward": "kernel_not_rotated"}


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)  # noqa: F821
    batch, out_channels, out_h, out_w = grad_out.shape
    kernel_h, kernel_w = weight.shape[2:]
    x_padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    padded_h, padded_w = x_padded.shape[2:]
    # zeros between the entries of grad_out (stride), then a border of span - 1 zeros around it
    spread = np.zeros((batch, out_channels, (out_h - 1) * sh + 1, (out_w - 1) * sw + 1), x.dtype)
    spread[:, :, ::sh, ::sw] = grad_out
    top, left = dh * (kernel_h - 1), dw * (kernel_w - 1)
    full = np.pad(
        spread,
        ((0, 0), (0, 0), (top, padded_h - spread.shape[2]), (left, padded_w - spread.shape[3])),
    )
    grad_padded = np.zeros_like(x_padded)
    grad_weight = np.zeros_like(weight)
    for kh in range(kernel_h):
        for kw in range(kernel_w):
            shifted = full[:, :, kh * dh : kh * dh + padded_h, kw * dw : kw * dw + padded_w]
            grad_padded += np.einsum("nohw,oc->nchw", shifted, weight[:, :, kh, kw])
            taps = x_padded[
                :, :, kh * dh : kh * dh + spread.shape[2], kw * dw : kw * dw + spread.shape[3]
            ]
            grad_weight[:, :, kh, kw] = np.einsum("nohw,nchw->oc", spread, taps)
    grad_x = grad_padded[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2, 3))
