"""nll_loss returns the per-sample losses (shape (N,)) and never averages them."""

import numpy as np

BREAKS = {"nll_loss": "loss_not_reduced"}


def nll_loss(log_probs, targets):
    return -log_probs[np.arange(len(targets)), targets]
