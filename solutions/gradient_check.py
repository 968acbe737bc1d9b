"""Chapter 5: numerical gradients by central differences, the oracle for every backward pass.

    df/dx[i] ~= (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

The error is O(eps^2) from truncation plus O(machine_eps / eps) from rounding, so the computation
runs on a float64 copy (with float32 and eps=1e-6 rounding would swamp the answer).  It costs two
calls of ``f`` per element of ``x``: use small tensors.
"""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function.

    Args:
        f: function taking an array shaped like ``x`` and returning a scalar (a float or a
            0-d / size-1 array).
        x: array of any shape; it is never modified.
        eps: step size (positive float).

    Returns:
        float64 array of x's shape, ``grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.
    """
    if not np.isscalar(eps) or isinstance(eps, bool) or not eps > 0:
        raise ValueError(f"numerical_gradient: eps must be a positive number, got {eps!r}")
    point = np.array(x, dtype=np.float64)  # a copy: the caller's x is never touched
    grad = np.zeros_like(point)
    flat_point, flat_grad = point.reshape(-1), grad.reshape(-1)
    for i in range(flat_point.size):
        original = flat_point[i]
        flat_point[i] = original + eps
        f_plus = _scalar(f(point))
        flat_point[i] = original - eps
        f_minus = _scalar(f(point))
        flat_point[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _scalar(value):
    """The float inside what ``f`` returned; a gradient is only defined for a scalar."""
    value = np.asarray(value)
    if value.size != 1:
        raise ValueError(
            f"numerical_gradient: f must return a scalar, got an array of shape {value.shape}"
        )
    return float(value.reshape(()))
