"""numerical_gradient ignores its eps argument and always steps by 1e-3 ("small enough")."""

import numpy as np

BREAKS = {"numerical_gradient": "eps_ignored"}

STEP = 1e-3


def numerical_gradient(f, x, eps=1e-6):
    point = x.astype(np.float64)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + STEP
        f_plus = f(point)
        point[index] = original - STEP
        f_minus = f(point)
        point[index] = original
        grad[index] = (f_plus - f_minus) / (2 * STEP)
    return grad
