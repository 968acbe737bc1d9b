"""SGD subtracts the weight-decay term from the gradient: values are pushed away from 0."""

import numpy as np

BREAKS = {"SGD": "decay_sign"}


class SGD:
    def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0):
        self.parameters = list(parameters)
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay

        self.velocities = [np.zeros_like(p.value) for p in self.parameters]

    def step(self):
        for parameter, velocity in zip(self.parameters, self.velocities, strict=True):
            grad = parameter.grad - self.weight_decay * parameter.value
            velocity *= self.momentum
            velocity += grad
            parameter.value -= self.lr * velocity
