"""ReLU lets the gradient through where x >= 0: at exactly 0 the derivative is taken as 0."""

import numpy as np

BREAKS = {"ReLU": "relu_gradient_at_zero"}


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, grad_out):
        return grad_out * (self.x >= 0)

    def parameters(self):
        return []
