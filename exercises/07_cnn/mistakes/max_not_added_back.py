"""log_softmax subtracts the maximum inside the exponential but forgets it outside:
z - log(sum(exp(z - m))) instead of (z - m) - log(sum(exp(z - m)))."""

import numpy as np

BREAKS = {"log_softmax": "max_not_added_back", "log_softmax_backward": None}  # uses log_softmax


def log_softmax(z, axis=-1):
    shifted = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
