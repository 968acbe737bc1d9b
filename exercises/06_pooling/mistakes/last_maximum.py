"""maxpool1d_backward finds the maximum with a >= scan, which keeps the LAST of tied maxima."""

import numpy as np

BREAKS = {"maxpool1d_backward": "gradient_to_last_maximum"}


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
