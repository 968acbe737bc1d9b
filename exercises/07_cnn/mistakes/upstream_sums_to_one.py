"""log_softmax_backward returns grad_out - softmax(z): the formula for a grad_out whose entries
sum to 1 along the axis (true for a one-hot target, not in general)."""

import numpy as np

BREAKS = {"log_softmax_backward": "upstream_sum_assumed_one", "train_classifier": None}


def log_softmax_backward(grad_out, z, axis=-1):
    return grad_out - np.exp(log_softmax(z, axis))  # noqa: F821 (the model answer)
