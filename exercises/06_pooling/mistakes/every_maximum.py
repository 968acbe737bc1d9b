"""Both max-pooling backward passes mark the maximum with window == window.max(): every tied
maximum gets the whole gradient."""

import numpy as np

BREAKS = {
    "maxpool1d_backward": "gradient_to_every_maximum",
    "maxpool2d_backward": "gradient_to_every_maximum",
}


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    stride_h, stride_w = as_pair(kernel_size if stride is None else stride)  # noqa: F821
    grad_x = np.zeros_like(x)
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            cells = (
                slice(None),
                slice(None),
                slice(i * stride_h, i * stride_h + kernel_height),
                slice(j * stride_w, j * stride_w + kernel_width),
            )
            window = x[cells]
            is_max = window == window.max(axis=(2, 3), keepdims=True)
            grad_x[cells] += is_max * grad_out[:, :, i, j, None, None]
    return grad_x


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    grad_x = np.zeros_like(x)
    for t in range(grad_out.shape[2]):
        cells = (slice(None), slice(None), slice(t * stride, t * stride + kernel_size))
        window = x[cells]
        is_max = window == window.max(axis=2, keepdims=True)
        grad_x[cells] += is_max * grad_out[:, :, t, None]
    return grad_x
