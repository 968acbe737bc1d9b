"""Flatten.forward flattens everything, batch included: x.reshape(-1)."""

BREAKS = {"Flatten": "flatten_batch_too", "train_classifier": None}


class Flatten:
    def __init__(self):
        self.input_shape = None

    def parameters(self):
        return []

    def forward(self, x):
        self.input_shape = x.shape
        return x.reshape(-1)

    def backward(self, grad_out):
        return grad_out.reshape(self.input_shape)
