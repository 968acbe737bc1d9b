"""The three backward passes assign (=) each window's gradient instead of adding it: where windows
overlap, the last window wins."""

import numpy as np

BREAKS = {
    "maxpool1d_backward": "overlap_overwritten",
    "maxpool2d_backward": "overlap_overwritten",
    "avgpool2d_backward": "overlap_overwritten",
}


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
                    row, column = np.unravel_index(window.argmax(), window.shape)
                    grad_x[n, c, top + row, left + column] = grad_out[n, c, i, j]
    return grad_x


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    grad_x = np.zeros_like(x)
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            top, left = i * stride_h, j * stride_w
            grad_x[:, :, top : top + kernel_height, left : left + kernel_width] = grad_out[
                :, :, i, j, None, None
            ] / (kernel_height * kernel_width)
    return grad_x


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    grad_x = np.zeros_like(x)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for t in range(grad_out.shape[2]):
                best = t * stride + x[n, c, t * stride : t * stride + kernel_size].argmax()
                grad_x[n, c, best] = grad_out[n, c, t]
    return grad_x
