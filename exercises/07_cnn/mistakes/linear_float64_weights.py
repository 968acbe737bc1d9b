"""Linear keeps its He-normal weights in float64 (no astype): float32 inputs give float64."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

import numpy as np

BREAKS = {"Linear": "wrong_dtype"}


class Linear:
    def __init__(self, in_features, out_features, rng=None):
        rng = np.random.default_rng(0) if rng is None else rng
        weight = rng.standard_normal((out_features, in_features)) * np.sqrt(2.0 / in_features)
        self.weight = Parameter(weight)
        self.bias = Parameter(np.zeros(out_features))

    def forward(self, x):
        self.x = x
        return x @ self.weight.value.T + self.bias.value

    def backward(self, grad_out):
        self.weight.grad = grad_out.T @ self.x
        self.bias.grad = grad_out.sum(axis=0)
        return grad_out @ self.weight.value

    def parameters(self):
        return [self.weight, self.bias]
