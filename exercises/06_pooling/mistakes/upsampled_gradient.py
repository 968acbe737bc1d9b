"""avgpool2d_backward repeats grad_out over KH x KW blocks (np.repeat), which assumes the windows
tile x (stride == window): with another stride the gradient lands in the wrong cells."""

import numpy as np

BREAKS = {"avgpool2d_backward": "upsampled_ignoring_stride"}


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    kernel_height, kernel_width = as_pair(kernel_size)  # noqa: F821
    up = np.repeat(np.repeat(grad_out, kernel_height, axis=2), kernel_width, axis=3)
    up = up / (kernel_height * kernel_width)
    grad_x = np.zeros_like(x)
    rows, columns = min(up.shape[2], x.shape[2]), min(up.shape[3], x.shape[3])
    grad_x[:, :, :rows, :columns] = up[:, :, :rows, :columns]
    return grad_x
