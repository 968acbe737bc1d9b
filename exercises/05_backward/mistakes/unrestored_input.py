"""numerical_gradient perturbs the caller's x in place and never puts the element back."""

import numpy as np

BREAKS = {"numerical_gradient": "modifies_input"}


def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += eps
        f_plus = f(x)
        x[index] -= 2 * eps  # forgot to add eps back afterwards
        f_minus = f(x)
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
