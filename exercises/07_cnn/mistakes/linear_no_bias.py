"""Linear.forward forgets to add the bias (its gradient is still computed)."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {"Linear": "missing_bias"}


class Linear:
    def __init__(self, in_features, out_features, rng=None):
        rng = np.random.default_rng(0) if rng is None else rng
        weight = rng.standard_normal((out_features, in_features)) * np.sqrt(2.0 / in_features)
        self.weight = Parameter(weight.astype(np.float32))
        self.bias = Parameter(np.zeros(out_features, dtype=np.float32))

    def forward(self, x):
        self.x = x
        return x @ self.weight.value.T

    def backward(self, grad_out):
        self.weight.grad = grad_out.T @ self.x
        self.bias.grad = grad_out.sum(axis=0)
        return grad_out @ self.weight.value

    def parameters(self):
        return [self.weight, self.bias]
