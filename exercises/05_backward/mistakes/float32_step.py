"""numerical_gradient perturbs a copy in x's own dtype: in float32, x + 1e-6 is mostly rounding."""

import numpy as np

BREAKS = {"numerical_gradient": "step_in_input_dtype"}


def numerical_gradient(f, x, eps=1e-6):
    point = x.copy()  # keeps float32 when x is float32
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = point[index]
        point[index] = original + eps
        f_plus = f(point)
        point[index] = original - eps
        f_minus = f(point)
        point[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
