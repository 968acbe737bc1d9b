"""maxpool1d_backward and avgpool2d_backward start window p at p: they loop over grad_out's
positions but forget to multiply by the stride (which defaults to the window size)."""

import numpy as np

BREAKS = {
    "maxpool1d_backward": "stride_ignored_in_pool_backward",
    "avgpool2d_backward": "stride_ignored_in_pool_backward",
}


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    grad_x = np.zeros_like(x)
    n, c = np.indices(x.shape[:2])
    for t in range(grad_out.shape[2]):
        best = t + x[:, :, t : t + kernel_size].argmax(axis=2)  # should start at t * stride
        grad_x[n, c, best] += grad_out[:, :, t]
    return grad_x


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    grad_x = np.zeros_like(x)
    for i in range(grad_out.shape[2]):
        for j in range(grad_out.shape[3]):
            grad_x[:, :, i : i + kernel_height, j : j + kernel_width] += grad_out[
                :, :, i, j, None, None
            ] / (kernel_height * kernel_width)
    return grad_x
