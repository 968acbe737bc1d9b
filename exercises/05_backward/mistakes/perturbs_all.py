"""numerical_gradient moves every element of x at once: one directional slope, copied everywhere."""

import numpy as np

BREAKS = {"numerical_gradient": "every_element_at_once"}


def numerical_gradient(f, x, eps=1e-6):
    point = x.astype(np.float64)
    slope = (f(point + eps) - f(point - eps)) / (2 * eps)
    return np.full(point.shape, slope)
