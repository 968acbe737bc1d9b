"""Flatten.backward reshapes grad_out to (N, H, W, C) and moves the channels forward: the order of
a channels-last flatten, not of this forward pass."""

BREAKS = {"Flatten": "flatten_channels_last", "train_classifier": None}


class Flatten:
    def __init__(self):
        self.input_shape = None

    def parameters(self):
        return []

    def forward(self, x):
        self.input_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out):
        batch, channels, height, width = self.input_shape
        return grad_out.reshape(batch, height, width, channels).transpose(0, 3, 1, 2)
