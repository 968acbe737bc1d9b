"""Both max-pooling backward passes share each window's gradient equally among its cells, the
average-pooling rule."""

import numpy as np

BREAKS = {"maxpool1d_backward": "average_not_max", "maxpool2d_backward": "average_not_max"}


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    grad_x = np.zeros_like(x)
    for t in range(grad_out.shape[2]):
        grad_x[:, :, t * stride : t * stride + kernel_size] += grad_out[:, :, t, None] / kernel_size
    return grad_x


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    grad_x = np.zeros_like(x)
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            top, left = i * stride_h, j * stride_w
            grad_x[:, :, top : top + kernel_height, left : left + kernel_width] += grad_out[
                :, :, i, j, None, None
            ] / (kernel_height * kernel_width)
    return grad_x
