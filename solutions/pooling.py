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

Why tap by tap.  Window (i, j) reads x at (i * s_h + kh, j * s_w + kw) for the KH * KW taps
(kh, kw).  For one tap, the cells of every window form one strided view of x, shape
(N, C, H_out, W_out), which costs nothing to make.  So the max is ``np.maximum`` of KH * KW views
and the average their sum: KH * KW passes over output-sized arrays, never a copy of all the
windows (measured 28 times faster than ``sliding_window_view(...).max(axis=-1)`` on the first
pooling layer of the Fashion-MNIST CNN).  The backward adds each window's gradient into the same
views of grad_x.  The layers of chapter 7 call these functions.
"""

import numpy as np

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


def _taps(x, kernel, stride, out_hw):
    """Yield the KH * KW taps of the windows of ``x`` (N, C, H, W), in row-major window order.

    Tap (kh, kw) is the view (N, C, H_out, W_out) holding cell (kh, kw) of every window.  Views,
    not copies: adding into a tap of grad_x adds into grad_x.
    """
    kh_size, kw_size = kernel
    for kh in range(kh_size):
        for kw in range(kw_size):
            yield x[(slice(None), slice(None), *tap_slices(kh, kw, out_hw, stride, (1, 1)))]


def _max_of_taps(x4, kernel, stride, out_hw):
    """(N, C, H, W) -> (N, C, H_out, W_out) maximum of every window (NaN wins: np.maximum)."""
    taps = _taps(x4, kernel, stride, out_hw)
    pooled = np.array(next(taps))  # a contiguous copy of the first tap, then max in place
    for tap in taps:
        np.maximum(pooled, tap, out=pooled)
    return pooled


def _maxpool(func, x, kernel_size, stride, dims):
    x4, kernel, stride, out_shape = _check_pool(func, x, kernel_size, stride, dims)
    return _max_of_taps(x4, kernel, stride, _windows_shape(out_shape, dims)).reshape(out_shape)


def _maxpool_backward(func, grad_out, x, kernel_size, stride, dims):
    x4, kernel, stride, out_shape = _check_pool(func, x, kernel_size, stride, dims)
    out_hw = _windows_shape(out_shape, dims)
    grad_out = check_grad_out(func, grad_out, out_shape).reshape(x4.shape[:2] + out_hw)
    pooled = _max_of_taps(x4, kernel, stride, out_hw)
    # NaN != NaN: a window whose maximum is NaN is won by its first NaN (as argmax would).
    nan_windows = pooled != pooled
    nan_windows = nan_windows if nan_windows.any() else None
    grad_x = np.zeros(x4.shape, dtype=np.result_type(grad_out, x4))
    overlapping = any(s < k for s, k in zip(stride, kernel, strict=True))
    unclaimed = np.ones(pooled.shape, dtype=bool)
    grad_taps = _taps(grad_x, kernel, stride, out_hw)  # views into grad_x
    taps = list(zip(_taps(x4, kernel, stride, out_hw), grad_taps, strict=True))
    # Taps come in row-major window order, so the first maximum of a window claims its gradient.
    for index, (tap, grad_tap) in enumerate(taps):
        if index == len(taps) - 1:
            winner = unclaimed  # a window no earlier tap won has its maximum in the last tap
        else:
            winner = tap == pooled
            if nan_windows is not None:
                winner |= nan_windows & (tap != tap)
            winner &= unclaimed
            unclaimed ^= winner  # winner is a subset of unclaimed: this removes it
        if overlapping:  # a cell can win several windows: add up
            grad_tap += grad_out * winner
        else:  # each cell is in one window at most: write, do not read
            np.multiply(grad_out, winner, out=grad_tap)
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
    x4, kernel, stride, out_shape = _check_pool("avgpool2d", x, kernel_size, stride, 2)
    # Like np.mean: integers average to float64, floating dtypes are kept.
    dtype = x4.dtype if np.issubdtype(x4.dtype, np.inexact) else np.float64
    taps = _taps(x4, kernel, stride, out_shape[2:])
    total = np.array(next(taps), dtype=dtype)
    for tap in taps:
        total += tap
    total /= kernel[0] * kernel[1]
    return total


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
    grad_x = np.zeros(x4.shape, dtype=np.result_type(grad_out, x4))
    for grad_tap in _taps(grad_x, kernel, stride, out_shape[2:]):
        grad_tap += share
    return grad_x
