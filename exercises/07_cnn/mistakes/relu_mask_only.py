"""ReLU.backward returns the derivative mask (x > 0) and forgets to multiply by grad_out."""

import numpy as np

BREAKS = {"ReLU": "relu_mask_not_multiplied", "train_classifier": None}


class ReLU:
    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def parameters(self):
        return []

    def backward(self, grad_out):
        return (self.x > 0).astype(self.x.dtype)
