"""numerical_gradient perturbs a float64 copy but stores the result with np.zeros_like(x): float32
for a float32 x (the oracle's precision is thrown away)."""

import numpy as np

BREAKS = {"numerical_gradient": "gradient_not_float64"}


def numerical_gradient(f, x, eps=1e-6):
    point = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = point[index]
        point[index] = original + eps
        f_plus = f(point)
        point[index] = original - eps
        f_minus = f(point)
        point[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
