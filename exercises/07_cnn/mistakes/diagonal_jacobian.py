"""log_softmax_backward keeps only the diagonal of the Jacobian: grad_out * (1 - softmax(z))."""

import numpy as np

BREAKS = {"log_softmax_backward": "diagonal_jacobian_only", "train_classifier": None}


def log_softmax_backward(grad_out, z, axis=-1):
    return grad_out * (1 - np.exp(log_softmax(z, axis)))  # noqa: F821 (the model answer)
