"""numerical_gradient uses the one-sided difference (f(x + eps e_i) - f(x)) / eps: O(eps) error."""

import numpy as np

BREAKS = {"numerical_gradient": "forward_difference"}


def numerical_gradient(f, x, eps=1e-6):
    point = x.astype(np.float64)
    grad = np.zeros_like(point)
    f_at_x = f(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + eps
        grad[index] = (f(point) - f_at_x) / eps
        point[index] = original
    return grad
