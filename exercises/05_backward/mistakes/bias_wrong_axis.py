"""conv2d_backward sums grad_bias over the spatial axes only: one bias gradient per sample."""

import numpy as np

BREAKS = {"conv2d_backward": "gradient_wrong_axis"}


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)  # noqa: F821
    out_h, out_w = grad_out.shape[2:]
    x_padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    grad_padded = np.zeros_like(x_padded)
    grad_weight = np.zeros_like(weight)
    for kh in range(weight.shape[2]):
        rows = slice(kh * dh, kh * dh + (out_h - 1) * sh + 1, sh)
        for kw in range(weight.shape[3]):
            columns = slice(kw * dw, kw * dw + (out_w - 1) * sw + 1, sw)
            grad_weight[:, :, kh, kw] = np.einsum(
                "nohw,nchw->oc", grad_out, x_padded[:, :, rows, columns]
            )
            grad_padded[:, :, rows, columns] += np.einsum(
                "nohw,oc->nchw", grad_out, weight[:, :, kh, kw]
            )
    grad_x = grad_padded[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]
    return grad_x, grad_weight, grad_out.sum(axis=(2, 3))
