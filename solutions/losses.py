"""Chapter 7: log-softmax and the negative log-likelihood loss, with their gradients.

    log_softmax(z)_i = z_i - log(sum_j exp(z_j))
                     = (z_i - m) - log(sum_j exp(z_j - m)),   m = max_j z_j

Subtracting the maximum changes nothing mathematically but keeps every exponent <= 0, so logits
of 1e4 do not overflow to inf.  ``nll_loss`` averages ``-log_probs[n, targets[n]]`` over the batch.

Every function keeps the input dtype and never modifies its inputs.  Non-finite logits propagate
(see ``solutions.checks``); targets are checked.
"""

import numpy as np

from solutions.checks import check_ndim


def _check_axis(func, z, axis):
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise ValueError(f"{func}: axis must be an int, got {axis!r}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"{func}: axis={axis} is not valid for z.shape={z.shape}")


def log_softmax(z, axis=-1):
    """Numerically stable log-softmax.

    Args:
        z: logits of any shape with at least one axis, e.g. (N, K).
        axis: the axis that softmax normalises over.

    Returns:
        array of z's shape and dtype; ``exp`` of it sums to 1 along ``axis``.
    """
    z = np.asarray(z)
    _check_axis("log_softmax", z, axis)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def log_softmax_backward(grad_out, z, axis=-1):
    """Gradient of ``log_softmax``: ``grad_z = grad_out - softmax(z) * sum(grad_out, axis)``.

    Args:
        grad_out: gradient w.r.t. log_softmax(z), same shape as z.
        z: the forward logits.
        axis: as in the forward call.

    Returns:
        array of z's shape, the gradient w.r.t. z.
    """
    func = "log_softmax_backward"
    z = np.asarray(z)
    grad_out = np.asarray(grad_out)
    _check_axis(func, z, axis)
    if grad_out.shape != z.shape:
        raise ValueError(
            f"{func}: grad_out.shape={grad_out.shape} does not match z.shape={z.shape}"
        )
    softmax = np.exp(log_softmax(z, axis))
    return grad_out - softmax * grad_out.sum(axis=axis, keepdims=True)


def _check_nll(func, log_probs, targets):
    log_probs = check_ndim(func, "log_probs", log_probs, 2, "(N, K)")
    targets = np.asarray(targets)
    n, classes = log_probs.shape
    if targets.shape != (n,):
        raise ValueError(
            f"{func}: targets must have shape ({n},), one class index per row of log_probs, "
            f"got targets.shape={targets.shape} (log_probs.shape={log_probs.shape})"
        )
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"{func}: targets must be integers, got dtype {targets.dtype}")
    if n == 0:
        raise ValueError(f"{func}: the batch is empty (log_probs.shape={log_probs.shape})")
    bad = (targets < 0) | (targets >= classes)
    if bad.any():
        raise ValueError(
            f"{func}: targets must lie in [0, {classes}) for log_probs.shape={log_probs.shape}, "
            f"got {targets[bad][0]} at index {int(np.flatnonzero(bad)[0])}"
        )
    return log_probs, targets


def nll_loss(log_probs, targets):
    """Mean negative log-likelihood of the target classes.

    Args:
        log_probs: (N, K) log-probabilities (e.g. from ``log_softmax``).
        targets: (N,) integer class indices in [0, K).

    Returns:
        scalar of log_probs' dtype, ``-mean_n log_probs[n, targets[n]]``.
    """
    log_probs, targets = _check_nll("nll_loss", log_probs, targets)
    picked = log_probs[np.arange(len(targets)), targets]
    return -picked.mean()


def nll_loss_backward(log_probs, targets):
    """Gradient of ``nll_loss`` w.r.t. log_probs.

    Args:
        log_probs: (N, K); targets: (N,) integer class indices.

    Returns:
        (N, K) array of log_probs' dtype: ``-1 / N`` at ``[n, targets[n]]``, 0 elsewhere.
    """
    log_probs, targets = _check_nll("nll_loss_backward", log_probs, targets)
    n = len(targets)
    grad = np.zeros_like(log_probs)
    grad[np.arange(n), targets] = -1.0 / n
    return grad
