"""Flatten.backward returns grad_out as it is, still flat: (N, C * H * W), not x's shape."""

BREAKS = {"Flatten": "flatten_backward_not_reshaped", "train_classifier": None}


class Flatten:
    def __init__(self):
        self.input_shape = None

    def parameters(self):
        return []

    def forward(self, x):
        self.input_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out):
        return grad_out
