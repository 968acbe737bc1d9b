"""conv2d_backward sends the gradient of output (i, j) back to the window starting at (i, j),
not at (i * s_h, j * s_w), in the input gradient (grad_weight reads the right windows)."""

import numpy as np

BREAKS = {"conv2d_backward": "stride_ignored_in_backward"}


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)  # noqa: F821
    kernel_h, kernel_w = weight.shape[2:]
    x_padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    grad_padded = np.zeros_like(x_padded)
    grad_weight = np.zeros_like(weight)
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            rows = slice(i * sh, i * sh + dh * (kernel_h - 1) + 1, dh)
            columns = slice(j * sw, j * sw + dw * (kernel_w - 1) + 1, dw)
            grad_here = grad_out[:, :, i, j]
            grad_weight += np.einsum("no,nchw->ochw", grad_here, x_padded[:, :, rows, columns])
            back_rows = slice(i, i + dh * (kernel_h - 1) + 1, dh)  # should start at i * sh
            back_columns = slice(j, j + dw * (kernel_w - 1) + 1, dw)
            grad_padded[:, :, back_rows, back_columns] += np.einsum(
                "no,ochw->nchw", grad_here, weight
            )
    grad_x = grad_padded[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2, 3))
