"""ReLU.backward masks with grad_out > 0 instead of x > 0."""

import numpy as np

BREAKS = {"ReLU": "relu_mask_from_grad_out", "train_classifier": None}


class ReLU:
    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def parameters(self):
        return []

    def backward(self, grad_out):
        return grad_out * (grad_out > 0)
