"""SGD starts a new velocity at every step, so momentum never carries anything over."""

import numpy as np

BREAKS = {"SGD": "momentum_ignored", "train_classifier": None}  # too slow to learn


class SGD:
    def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0):
        self.parameters = list(parameters)
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay

    def step(self):
        for parameter in self.parameters:
            velocity = np.zeros_like(parameter.value)
            grad = parameter.grad + self.weight_decay * parameter.value
            velocity = self.momentum * velocity + grad
            parameter.value -= self.lr * velocity
