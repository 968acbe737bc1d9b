"""Chapter 7: optimisers, the rules that turn gradients into parameter updates.

Both follow PyTorch's definitions, so a learner can compare numbers with ``torch.optim``:
weight decay is an L2 term added to the gradient (``grad + weight_decay * value``) before the
update.  ``step()`` reads each ``Parameter.grad`` (filled by the layers' backward) and changes
``Parameter.value`` in place, so the layers, which hold the same Parameter objects, see the change.
"""

import numpy as np


def _check_parameters(func, parameters):
    parameters = list(parameters)
    if not parameters:
        raise ValueError(f"{func}: got an empty parameter list; pass net.parameters()")
    return parameters


def _check_range(func, name, value, low, high=None):
    """Raise ValueError unless low <= value (< high when high is given)."""
    if value < low or (high is not None and value >= high):
        allowed = f">= {low}" if high is None else f"in [{low}, {high})"
        raise ValueError(f"{func}: {name} must be {allowed}, got {value}")


class SGD:
    """Stochastic gradient descent with optional momentum and weight decay.

    For each parameter, with g = grad + weight_decay * value::

        velocity = momentum * velocity + g      (velocity starts at 0)
        value    = value - lr * velocity

    With momentum=0 this is plain gradient descent, value -= lr * g.

    Args:
        parameters: iterable of Parameter (e.g. ``net.parameters()``).
        lr: learning rate (> 0).
        momentum: in [0, 1).
        weight_decay: L2 coefficient (>= 0).
    """

    def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0):
        self.parameters = _check_parameters("SGD", parameters)
        _check_range("SGD", "lr", lr, np.finfo(float).tiny)
        _check_range("SGD", "momentum", momentum, 0.0, 1.0)
        _check_range("SGD", "weight_decay", weight_decay, 0.0)
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.velocities = [np.zeros_like(p.value) for p in self.parameters]

    def step(self):
        """Update every parameter once from its current ``.grad``."""
        for parameter, velocity in zip(self.parameters, self.velocities, strict=True):
            grad = parameter.grad + self.weight_decay * parameter.value
            velocity *= self.momentum
            velocity += grad
            parameter.value -= self.lr * velocity


class Adam:
    """Adam (Kingma and Ba, 2015): a step per parameter scaled by running gradient statistics.

    For each parameter, at step t = 1, 2, ..., with g = grad + weight_decay * value::

        m = beta1 * m + (1 - beta1) * g            running mean of g
        v = beta2 * v + (1 - beta2) * g**2         running mean of g squared
        m_hat = m / (1 - beta1**t)                 bias correction: m and v start at 0
        v_hat = v / (1 - beta2**t)
        value = value - lr * m_hat / (sqrt(v_hat) + eps)

    Args:
        parameters: iterable of Parameter.
        lr: learning rate (> 0).
        betas: (beta1, beta2), each in [0, 1).
        eps: added to the denominator (> 0) so a zero gradient does not divide by zero.
        weight_decay: L2 coefficient (>= 0).
    """

    def __init__(self, parameters, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.parameters = _check_parameters("Adam", parameters)
        _check_range("Adam", "lr", lr, np.finfo(float).tiny)
        beta1, beta2 = betas
        _check_range("Adam", "betas[0]", beta1, 0.0, 1.0)
        _check_range("Adam", "betas[1]", beta2, 0.0, 1.0)
        _check_range("Adam", "eps", eps, np.finfo(float).tiny)
        _check_range("Adam", "weight_decay", weight_decay, 0.0)
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.eps, self.weight_decay = eps, weight_decay
        self.t = 0
        self.means = [np.zeros_like(p.value) for p in self.parameters]
        self.squares = [np.zeros_like(p.value) for p in self.parameters]

    def step(self):
        """Update every parameter once from its current ``.grad``."""
        self.t += 1
        mean_correction = 1 - self.beta1**self.t
        square_correction = 1 - self.beta2**self.t
        for parameter, mean, square in zip(self.parameters, self.means, self.squares, strict=True):
            grad = parameter.grad + self.weight_decay * parameter.value
            mean *= self.beta1
            mean += (1 - self.beta1) * grad
            square *= self.beta2
            square += (1 - self.beta2) * grad * grad
            denominator = np.sqrt(square / square_correction) + self.eps
            parameter.value -= (self.lr / mean_correction) * mean / denominator
