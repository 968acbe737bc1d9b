"""maxpool2d_backward reads the flat argmax k of a window column by column, (k % KH, k // KH),
while numpy flattens it row by row."""

import numpy as np

BREAKS = {"maxpool2d_backward": "argmax_unraveled_wrong"}


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    grad_x = np.zeros_like(x)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range(grad_out.shape[2]):
                for j in range(grad_out.shape[3]):
                    top, left = i * stride_h, j * stride_w
                    window = x[n, c, top : top + kernel_height, left : left + kernel_width]
                    column, row = divmod(int(window.argmax()), kernel_height)
                    grad_x[n, c, top + row, left + column] += grad_out[n, c, i, j]
    return grad_x
