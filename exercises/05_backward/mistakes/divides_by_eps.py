"""numerical_gradient divides the central difference by eps instead of 2 * eps."""

import numpy as np

BREAKS = {"numerical_gradient": "gradient_doubled"}


def numerical_gradient(f, x, eps=1e-6):
    flat = x.astype(np.float64).reshape(-1)
    grad = np.zeros_like(flat)
    for i in range(flat.size):
        step = np.zeros_like(flat)
        step[i] = eps
        plus = f((flat + step).reshape(x.shape))
        minus = f((flat - step).reshape(x.shape))
        grad[i] = (plus - minus) / eps
    return grad.reshape(x.shape)
