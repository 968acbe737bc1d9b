"""Both max-pooling backward passes find the maximum with a >= scan, which keeps the LAST of
tied maxima."""

import numpy as np

BREAKS = {
    "maxpool1d_backward": "gradient_to_last_maximum",
    "maxpool2d_backward": "gradient_to_last_maximum",
}


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    grad_x = np.zeros_like(x)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range(grad_out.shape[2]):
                best = i * stride
                for t in range(i * stride, i * stride + kernel_size):
                    if x[n, c, t] >= x[n, c, best]:
                        best = t
                grad_x[n, c, best] += grad_out[n, c, i]
    return grad_x


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    grad_x = np.zeros_like(x)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range(grad_out.shape[2]):
                for j in range(grad_out.shape[3]):
                    best = (i * stride_h, j * stride_w)
                    for row in range(i * stride_h, i * stride_h + kernel_height):
                        for column in range(j * stride_w, j * stride_w + kernel_width):
                            if x[n, c, row, column] >= x[n, c, best[0], best[1]]:
                                best = (row, column)
                    grad_x[n, c, best[0], best[1]] += grad_out[n, c, i, j]
    return grad_x
