"""SGD forgets the weight-decay term of the gradient."""

import numpy as np

BREAKS = {"SGD": "weight_decay_ignored"}


class SGD:
    def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0):
        self.parameters, self.lr, self.momentum = list(parameters), lr, momentum
        self.velocities = [np.zeros_like(p.value) for p in self.parameters]

    def step(self):
        for parameter, velocity in zip(self.parameters, self.velocities, strict=True):
            velocity *= self.momentum
            velocity += parameter.grad
            parameter.value -= self.lr * velocity
