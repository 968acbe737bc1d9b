"""SGD shrinks each value by weight_decay after the step, outside the gradient and without lr."""

import numpy as np

BREAKS = {"SGD": "decay_not_in_gradient"}


class SGD:
    def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0):
        self.parameters = list(parameters)
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.velocities = [np.zeros_like(p.value) for p in self.parameters]

    def step(self):
        for parameter, velocity in zip(self.parameters, self.velocities, strict=True):
            velocity *= self.momentum
            velocity += parameter.grad
            parameter.value -= self.lr * velocity
            parameter.value -= self.weight_decay * parameter.value
