"""log_softmax takes np.log of a (stable) softmax: exp underflows to 0 for logits far below the
maximum, and log(0) gives -inf."""

import numpy as np

BREAKS = {"log_softmax": "log_of_softmax"}


def log_softmax(z, axis=-1):
    exps = np.exp(z - z.max(axis=axis, keepdims=True))
    return np.log(exps / exps.sum(axis=axis, keepdims=True))
