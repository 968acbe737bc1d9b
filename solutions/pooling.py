"""Chapter 6: max and average pooling, forward and backward.

Each channel of each sample is pooled on its own: window (i, j) covers rows
``i * stride_h ... i * stride_h + KH - 1`` and columns ``j * stride_w ... j * stride_w + KW - 1``.

- ``stride`` defaults to ``kernel_size`` (non-overlapping windows).  With stride < kernel_size the
  windows overlap and an input cell collects gradient from every window it wins (max) or belongs
  to (average).
- No padding: pooling here never pads.  Sizes that do not divide evenly drop the remainder
  (output size ``floor((H - KH) / stride_h) + 1``, like PyTorch without ``ceil_mode``); the dropped
  cells get zero gradient.
- Max pooling ties: the gradient goes to the *first* maximum in row-major window order (like
  PyTorch).  A NaN in a window propagates: it is that window's maximum and receives its gradient.
- Average pooling divides by the full window size KH * KW.

1D pooling is 2D pooling of an image of height 1 (one implementation).  Every function keeps the
input dtype and never modifies its inputs.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from solutions.checks import check_grad_out, check_ndim, check_tuple
from solutions.im2col import tap_slices
from solutions.output_size import checked_output_shape


def _check_pool(func, x, kernel_size, stride, dims):
    """Validate a pooling call; return x (N, C, H, W), kernel, stride (pairs) and output shape."""
    layout = "(N, C, T)" if dims == 1 else "(N, C, H, W)"
    x = check_ndim(func, "x", x, dims + 2, layout)
    kernel = check_tuple(func, "kernel_size", kernel_size, dims, 1)
    stride = kernel_size if stride is None else stride
    stride, _, _, spatial_out = checked_output_shape(
        func, x.shape[2:], kernel, stride, 0, 1, what="pooling window"
    )
    out_shape = (*x.shape[:2], *spatial_out)
    if dims == 1:  # a signal is an image of height 1
        x, kernel, stride = x[:, :, None, :], (1, *kernel), (1, *stride)
    return x, kernel, stride, out_shape


def _windows(x, kernel, stride):
    """(N, C, H, W) -> (N, C, H_out, W_out, KH * KW) copy of every window, row-major inside."""
    (sh, sw), (kh_size, kw_size) = stride, kernel
    view = sliding_window_view(x, kernel, axis=(2, 3))[:, :, ::sh, ::sw]
    return view.reshape(*view.shape[:4], kh_size * kw_size)


def _scatter(per_tap, x_shape, kernel, stride, dtype):
    """Sum ``per_tap(k)`` (N, C, H_out, W_out) onto the input cells read by window tap k."""
    grad_x = np.zeros(x_shape, dtype=dtype)
    kh_size, kw_size = kernel
    for k in range(kh_size * kw_size):
        kh, kw = divmod(k, kw_size)
        contribution = per_tap(k)
        rows, columns = tap_slices(kh, kw, contribution.shape[2:], stride, (1, 1))
        grad_x[:, :, rows, columns] += contribution
    return grad_x


def _maxpool(func, x, kernel_size, stride, dims):
    x4, kernel, stride, out_shape = _check_pool(func, x, kernel_size, stride, dims)
    return _windows(x4, kernel, stride).max(axis=-1).reshape(out_shape)


def _maxpool_backward(func, grad_out, x, kernel_size, stride, dims):
    x4, kernel, stride, out_shape = _check_pool(func, x, kernel_size, stride, dims)
    grad_out = check_grad_out(func, grad_out, out_shape).reshape(
        x4.shape[:2] + _windows_shape(out_shape, dims)
    )
    # argmax returns the first maximum (row-major inside the window), as PyTorch does.
    winner = _windows(x4, kernel, stride).argmax(axis=-1)
    dtype = np.result_type(grad_out, x4)
    grad_x = _scatter(lambda k: np.where(winner == k, grad_out, 0), x4.shape, kernel, stride, dtype)
    return grad_x.reshape(np.shape(x))


def _windows_shape(out_shape, dims):
    """Spatial output shape as (H_out, W_out), with H_out = 1 for 1D."""
    return tuple(out_shape[2:]) if dims == 2 else (1, out_shape[2])


def maxpool1d(x, kernel_size, stride=None):
    """1D max pooling.

    Args:
        x: (N, C, T); kernel_size: int; stride: int, default kernel_size.

    Returns:
        (N, C, T_out), T_out = floor((T - kernel_size) / stride) + 1.
    """
    return _maxpool("maxpool1d", x, kernel_size, stride, 1)


def maxpool1d_backward(grad_out, x, kernel_size, stride=None):
    """Gradient of ``maxpool1d``: each window's gradient goes to its (first) maximum.

    Args:
        grad_out: (N, C, T_out); x: (N, C, T), the forward input; kernel_size, stride: as forward.

    Returns:
        (N, C, T) gradient w.r.t. x.
    """
    return _maxpool_backward("maxpool1d_backward", grad_out, x, kernel_size, stride, 1)


def maxpool2d(x, kernel_size, stride=None):
    """2D max pooling.

    Args:
        x: (N, C, H, W); kernel_size: int or (KH, KW); stride: int or pair, default kernel_size.

    Returns:
        (N, C, H_out, W_out), H_out = floor((H - KH) / stride_h) + 1 (same for W).
    """
    return _maxpool("maxpool2d", x, kernel_size, stride, 2)


def maxpool2d_backward(grad_out, x, kernel_size, stride=None):
    """Gradient of ``maxpool2d``: each window's gradient goes to its first maximum (row-major).

    Args:
        grad_out: (N, C, H_out, W_out); x: (N, C, H, W); kernel_size, stride: as forward.

    Returns:
        (N, C, H, W) gradient w.r.t. x; overlapping windows add up.
    """
    return _maxpool_backward("maxpool2d_backward", grad_out, x, kernel_size, stride, 2)


def avgpool2d(x, kernel_size, stride=None):
    """2D average pooling (divides by the full window size KH * KW).

    Args:
        x: (N, C, H, W); kernel_size: int or (KH, KW); stride: int or pair, default kernel_size.

    Returns:
        (N, C, H_out, W_out), the mean of each window.
    """
    x4, kernel, stride, _ = _check_pool("avgpool2d", x, kernel_size, stride, 2)
    return _windows(x4, kernel, stride).mean(axis=-1)


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    """Gradient of ``avgpool2d``: each window spreads its gradient evenly, grad / (KH * KW).

    Args:
        grad_out: (N, C, H_out, W_out); x: (N, C, H, W); kernel_size, stride: as forward.

    Returns:
        (N, C, H, W) gradient w.r.t. x; overlapping windows add up.
    """
    func = "avgpool2d_backward"
    x4, kernel, stride, out_shape = _check_pool(func, x, kernel_size, stride, 2)
    grad_out = check_grad_out(func, grad_out, out_shape)
    share = grad_out / (kernel[0] * kernel[1])
    dtype = np.result_type(grad_out, x4)
    return _scatter(lambda k: share, x4.shape, kernel, stride, dtype)
