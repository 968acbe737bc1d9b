"""nll_loss averages the one-hot product over all N * K entries: -(one_hot * log_probs).mean()."""

import numpy as np

BREAKS = {
    "nll_loss": "mean_over_classes",
    "nll_loss_backward": "mean_over_classes",
    "train_classifier": None,
}


def one_hot(targets, classes, dtype):
    encoded = np.zeros((len(targets), classes), dtype=dtype)
    encoded[np.arange(len(targets)), targets] = 1
    return encoded


def nll_loss(log_probs, targets):
    return -(one_hot(targets, log_probs.shape[1], log_probs.dtype) * log_probs).mean()


def nll_loss_backward(log_probs, targets):
    return -one_hot(targets, log_probs.shape[1], log_probs.dtype) / log_probs.size
