"""log_softmax always normalises over the last axis, whatever `axis` says."""

import numpy as np

# log_softmax_backward (built on it) mixes two axes: no single known mistake matches.
BREAKS = {"log_softmax": "softmax_wrong_axis", "log_softmax_backward": None}


def log_softmax(z, axis=-1):
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
