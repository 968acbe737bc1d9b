"""numerical_gradient loops over x.ravel() and returns the flat gradient, not x's shape."""

import numpy as np

BREAKS = {"numerical_gradient": "gradient_flattened"}


def numerical_gradient(f, x, eps=1e-6):
    flat = x.astype(np.float64).ravel()
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        f_plus = f(flat.reshape(x.shape))
        flat[i] = original - eps
        f_minus = f(flat.reshape(x.shape))
        flat[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
