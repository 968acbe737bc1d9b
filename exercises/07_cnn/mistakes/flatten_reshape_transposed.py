"""Flatten.forward reshapes to (C * H * W, N) and transposes: right shape, samples mixed up."""

BREAKS = {"Flatten": "flatten_batch_too", "train_classifier": None}


class Flatten:
    def __init__(self):
        self.input_shape = None

    def parameters(self):
        return []

    def forward(self, x):
        self.input_shape = x.shape
        return x.reshape(-1, x.shape[0]).T

    def backward(self, grad_out):
        return grad_out.T.reshape(self.input_shape)
