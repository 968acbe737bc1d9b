"""nll_loss and its gradient index log_probs[:, targets]: for every row, all N target columns."""

import numpy as np

BREAKS = {
    "nll_loss": "targets_picked_per_column",
    "nll_loss_backward": "targets_picked_per_column",
    "train_classifier": None,
}


def nll_loss(log_probs, targets):
    return -log_probs[:, targets].mean()


def nll_loss_backward(log_probs, targets):
    count = len(targets)
    grad = np.zeros_like(log_probs)
    for target in targets:
        grad[:, target] -= 1.0 / (count * count)
    return grad
