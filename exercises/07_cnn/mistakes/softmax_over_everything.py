"""log_softmax normalises over every entry of z at once (z.max(), .sum() without an axis)."""

import numpy as np

BREAKS = {
    "log_softmax": "softmax_wrong_axis",
    "log_softmax_backward": None,  # the model backward uses this log_softmax
    "train_classifier": None,
}


def log_softmax(z, axis=-1):
    shifted = z - z.max()
    return shifted - np.log(np.exp(shifted).sum())
