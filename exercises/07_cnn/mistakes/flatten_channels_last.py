"""Flatten moves the channels last before reshaping (NHWC order, as in TensorFlow)."""

import numpy as np

BREAKS = {"Flatten": "flatten_channels_last"}


class Flatten:
    def forward(self, x):
        self.input_shape = x.shape
        return np.moveaxis(x, 1, -1).reshape(x.shape[0], -1)

    def backward(self, grad_out):
        n, c, *spatial = self.input_shape
        return np.moveaxis(grad_out.reshape(n, *spatial, c), -1, 1)

    def parameters(self):
        return []
