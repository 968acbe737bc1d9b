"""Both max-pooling backward passes route the gradient to the window's first maximum but divide
it by the window size, as if the window were averaged."""

import numpy as np

BREAKS = {
    "maxpool1d_backward": "routed_gradient_divided",
    "maxpool2d_backward": "routed_gradient_divided",
}


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    grad_x = np.zeros_like(x)
    n, c = np.indices(x.shape[:2])
    for t in range(grad_out.shape[2]):
        best = t * stride + x[:, :, t * stride : t * stride + kernel_size].argmax(axis=2)
        grad_x[n, c, best] += grad_out[:, :, t] / kernel_size
    return grad_x


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    grad_x = np.zeros_like(x)
    n, c = np.indices(x.shape[:2])
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            top, left = i * stride_h, j * stride_w
            window = x[:, :, top : top + kernel_height, left : left + kernel_width]
            flat = window.reshape(*x.shape[:2], -1).argmax(axis=2)
            row, column = np.divmod(flat, kernel_width)
            grad_x[n, c, top + row, left + column] += grad_out[:, :, i, j] / (
                kernel_height * kernel_width
            )
    return grad_x
