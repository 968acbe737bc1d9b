"""Index arrays for every (output position, tap), einsum for the products and np.add.at to
scatter the window gradients back (it adds repeated indices, as overlapping windows need); the
numerical gradient perturbs along the rows of an identity matrix."""

import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    point = np.asarray(x, dtype=np.float64).reshape(-1)
    steps = eps * np.eye(point.size)
    grad = [
        (f((point + step).reshape(x.shape)) - f((point - step).reshape(x.shape))) / (2 * eps)
        for step in steps
    ]
    return np.array(grad, dtype=np.float64).reshape(x.shape)


def tap_index(out_size, kernel_size, stride, dilation):
    """(out_size, kernel_size) padded-input index read by output i, tap k."""
    return np.arange(out_size)[:, None] * stride + np.arange(kernel_size)[None, :] * dilation


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    index = tap_index(grad_out.shape[2], weight.shape[2], stride, dilation)
    grad_weight = np.einsum("not,nctk->ock", grad_out, x_padded[:, :, index])
    grad_padded = np.zeros_like(x_padded)
    np.add.at(
        grad_padded, (slice(None), slice(None), index), np.einsum("not,ock->nctk", grad_out, weight)
    )
    return grad_padded[:, :, padding : padding + x.shape[2]], grad_weight, grad_out.sum(axis=(0, 2))


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)  # noqa: F821
    x_padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    rows = tap_index(grad_out.shape[2], weight.shape[2], sh, dh)  # (H_out, KH)
    columns = tap_index(grad_out.shape[3], weight.shape[3], sw, dw)  # (W_out, KW)
    where = (slice(None), slice(None), rows[:, None, :, None], columns[None, :, None, :])
    windows = x_padded[where]  # (N, C, H_out, W_out, KH, KW)
    grad_weight = np.einsum("noij,ncijhw->ochw", grad_out, windows)
    grad_padded = np.zeros_like(x_padded)
    np.add.at(grad_padded, where, np.einsum("noij,ochw->ncijhw", grad_out, weight))
    grad_x = grad_padded[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2, 3))
