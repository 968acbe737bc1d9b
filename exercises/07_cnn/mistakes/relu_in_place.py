"""ReLU clips its input in place to save memory: the caller's x is changed."""

import numpy as np

BREAKS = {"ReLU": "modifies_input"}


class ReLU:
    def forward(self, x):
        np.maximum(x, 0, out=x)
        self.positive = x > 0
        return x.copy()

    def backward(self, grad_out):
        return grad_out * self.positive

    def parameters(self):
        return []
