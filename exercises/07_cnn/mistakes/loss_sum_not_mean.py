"""nll_loss and its gradient sum over the batch instead of averaging."""

import numpy as np

BREAKS = {
    "nll_loss": "loss_sum_not_mean",
    "nll_loss_backward": "loss_sum_not_mean",
    "train_classifier": None,  # gradients N times too large: training diverges
}


def nll_loss(log_probs, targets):
    return -log_probs[np.arange(len(targets)), targets].sum()


def nll_loss_backward(log_probs, targets):
    grad = np.zeros_like(log_probs)
    grad[np.arange(len(targets)), targets] = -1.0
    return grad
