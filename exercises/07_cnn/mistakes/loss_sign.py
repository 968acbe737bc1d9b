"""nll_loss and its gradient drop the minus sign: +mean log-probability, +1/N at the targets."""

import numpy as np

BREAKS = {"nll_loss": "loss_sign", "nll_loss_backward": "loss_sign", "train_classifier": None}


def nll_loss(log_probs, targets):
    return log_probs[np.arange(len(targets)), targets].mean()


def nll_loss_backward(log_probs, targets):
    grad = np.zeros_like(log_probs)
    grad[np.arange(len(targets)), targets] = 1.0 / len(targets)
    return grad
