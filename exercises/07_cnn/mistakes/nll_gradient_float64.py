"""nll_loss_backward allocates the gradient with np.zeros(shape): float64 for float32 inputs."""

import numpy as np

BREAKS = {"nll_loss_backward": "wrong_dtype"}


def nll_loss_backward(log_probs, targets):
    grad = np.zeros(log_probs.shape)
    grad[np.arange(len(targets)), targets] = -1.0 / len(targets)
    return grad
