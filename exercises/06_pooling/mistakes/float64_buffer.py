"""maxpool1d, avgpool2d and avgpool2d_backward allocate with np.zeros' default dtype: float32
comes back float64."""

import numpy as np

BREAKS = {
    "maxpool1d": "wrong_dtype",
    "avgpool2d": "wrong_dtype",
    "avgpool2d_backward": "wrong_dtype",
}


def avgpool2d(x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    out_height = (x.shape[2] - kernel_height) // stride_h + 1
    out_width = (x.shape[3] - kernel_width) // stride_w + 1
    out = np.zeros((x.shape[0], x.shape[1], out_height, out_width))
    for i in range(out_height):
        for j in range(out_width):
            rows = slice(i * stride_h, i * stride_h + kernel_height)
            columns = slice(j * stride_w, j * stride_w + kernel_width)
            out[:, :, i, j] = x[:, :, rows, columns].sum(axis=(2, 3)) / (
                kernel_height * kernel_width
            )
    return out


def maxpool1d(x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    out_length = (x.shape[2] - kernel_size) // stride + 1
    out = np.zeros(x.shape[:2] + (out_length,))
    for t in range(out_length):
        out[:, :, t] = x[:, :, t * stride : t * stride + kernel_size].max(axis=2)
    return out


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    grad_x = np.zeros(x.shape)
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            top, left = i * stride_h, j * stride_w
            grad_x[:, :, top : top + kernel_height, left : left + kernel_width] += grad_out[
                :, :, i, j, None, None
            ] / (kernel_height * kernel_width)
    return grad_x
