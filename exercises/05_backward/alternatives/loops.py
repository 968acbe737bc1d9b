"""The definitions written as plain loops over every index (slow, but obviously right), and a
numerical gradient that walks x through a flat float64 copy."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    flat = np.array(x, dtype=np.float64).reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (f(plus.reshape(x.shape)) - f(minus.reshape(x.shape))) / (2 * eps)
    return grad.reshape(x.shape)


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    batch, out_channels, out_length = grad_out.shape
    channels, kernel_size = weight.shape[1:]
    grad_x = np.zeros_like(x)
    grad_weight = np.zeros_like(weight)
    for n in range(batch):
        for o in range(out_channels):
            for i in range(out_length):
                for c in range(channels):
                    for k in range(kernel_size):
                        t = i * stride + k * dilation - padding  # index into x (not padded)
                        if 0 <= t < x.shape[2]:
                            grad_x[n, c, t] += weight[o, c, k] * grad_out[n, o, i]
                            grad_weight[o, c, k] += x[n, c, t] * grad_out[n, o, i]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2))


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)  # noqa: F821
    batch, out_channels, out_h, out_w = grad_out.shape
    height, width = x.shape[2:]
    grad_x = np.zeros_like(x)
    grad_weight = np.zeros_like(weight)
    for n in range(batch):
        for o in range(out_channels):
            for i in range(out_h):
                for j in range(out_w):
                    g = grad_out[n, o, i, j]
                    for kh in range(weight.shape[2]):
                        r = i * sh + kh * dh - ph
                        for kw in range(weight.shape[3]):
                            q = j * sw + kw * dw - pw
                            if 0 <= r < height and 0 <= q < width:
                                grad_x[n, :, r, q] += weight[o, :, kh, kw] * g
                                grad_weight[o, :, kh, kw] += x[n, :, r, q] * g
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2, 3))
