"""Adam unpacks betas as (beta2, beta1): the gradient's mean forgets slowly, its square fast."""

import numpy as np

BREAKS = {"Adam": "adam_betas_swapped"}


class Adam:
    def __init__(self, parameters, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.parameters = list(parameters)
        self.lr, (self.beta2, self.beta1) = lr, betas
        self.eps, self.weight_decay = eps, weight_decay
        self.t = 0
        self.means = [np.zeros_like(p.value) for p in self.parameters]
        self.squares = [np.zeros_like(p.value) for p in self.parameters]

    def step(self):
        self.t += 1
        for parameter, mean, square in zip(self.parameters, self.means, self.squares, strict=True):
            grad = parameter.grad + self.weight_decay * parameter.value
            mean[...] = self.beta1 * mean + (1 - self.beta1) * grad
            square[...] = self.beta2 * square + (1 - self.beta2) * grad * grad
            mean_hat = mean / (1 - self.beta1**self.t)
            square_hat = square / (1 - self.beta2**self.t)
            parameter.value -= self.lr * mean_hat / (np.sqrt(square_hat) + self.eps)
