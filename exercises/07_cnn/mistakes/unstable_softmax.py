"""log_softmax exponentiates the logits directly: exp(1000) overflows to inf."""

import numpy as np

BREAKS = {"log_softmax": "unstable_softmax", "log_softmax_backward": "unstable_softmax"}


def log_softmax(z, axis=-1):
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))
