"""ReLU.backward returns grad_out unchanged: the mask is forgotten."""

import numpy as np

BREAKS = {"ReLU": "relu_gradient_not_masked", "train_classifier": None}


class ReLU:
    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, grad_out):
        return grad_out

    def parameters(self):
        return []
