"""nll_loss indexes log_probs[targets]: whole rows, one per target, averaged; its gradient
spreads -1 / (N * K) over those rows."""

import numpy as np

BREAKS = {
    "nll_loss": "targets_picked_as_rows",
    "nll_loss_backward": "targets_picked_as_rows",
    "train_classifier": None,
}


def nll_loss(log_probs, targets):
    return -log_probs[targets].mean()


def nll_loss_backward(log_probs, targets):
    grad = np.zeros_like(log_probs)
    for target in targets:
        grad[target] -= 1.0 / log_probs.size
    return grad
