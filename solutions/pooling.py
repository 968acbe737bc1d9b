"""Chapter 6: max and average pooling, forward and backward.

Each channel of each sample is pooled on its own: window (i, j) covers rows
``i * stride_h ... i * stride_h + KH - 1`` and columns ``j * stride_w ... j * stride_w + KW - 1``.

- ``stride`` defaults to ``kernel_size`` (non-overlapping windows).  With stride < kernel_size the
  windows overlap and an input cell collects gradient from every window it wins (max) or belongs
  to (average).
- No padding: pooling here never pads.  Sizes that do not divide evenly drop the remainder
  (output size ``floor((H - KH) / stride_h) + 1``, like PyTorch without ``ceil_mode``); the dropped
  cells get zero gradient.
- Max pooling routes each window's gradient to its argmax.  Ties: the *first* maximum in
  row-major window order wins (like PyTorch, and like ``np.argmax``).  A NaN in a window
  propagates: it is that window's maximum and receives its gradient.
- Average pooling divides by the full window size KH * KW and spreads the gradient evenly.

The algorithm is the chapter's: gather the windows, reduce each one (max or mean), and in the
backward send each window's gradient back to the cells it came from.  1D pooling is 2D pooling of
an image of height 1 (one implementation).  Every function keeps the input dtype and never
modifies its inputs.  ``solutions.fast.pooling`` computes the same without gathering the windows.
"""

import numpy as np

from solutions.checks import check_grad_out, check_ndim, check_tuple
from solutions.output_size import checked_output_shape
from solutions.windows import tap_slices


def check_pool_call(func, x, kernel_size, stride, dims):
    """Validate a pooling call (shared with ``solutions.fast.pooling``).

    Args:
        func: public function name for error messages.
        x: (N, C, T) if dims == 1, (N, C, H, W) if dims == 2.
        kernel_size, stride: int (1D), int or pair (2D); stride None means kernel_size.

    Returns:
        x as (N, C, H, W) (H = 1 in 1D), kernel and stride as pairs, and the output shape in the
        caller's layout ((N, C, T_out) or (N, C, H_out, W_out)).
    """
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


def _tap_views(x4, kernel, stride, out_hw):
    """The KH * KW taps of the windows of x4 (N, C, H, W), in row-major window order.

    Tap (kh, kw) is the view (N, C, H_out, W_out) holding cell (kh, kw) of every window; adding
    into a tap of an array adds into that array.
    """
    kh_size, kw_size = kernel
    return [
        x4[(..., *tap_slices(kh, kw, out_hw, stride, (1, 1)))]
        for kh in range(kh_size)
        for kw in range(kw_size)
    ]


def _windows(x4, kernel, stride, out_hw):
    """(N, C, H, W) -> (N, C, H_out, W_out, KH * KW): every window's cells, row-major."""
    return np.stack(_tap_views(x4, kernel, stride, out_hw), axis=-1)


def _maxpool(func, x, kernel_size, stride, dims):
    x4, kernel, stride, out_shape = check_pool_call(func, x, kernel_size, stride, dims)
    windows = _windows(x4, kernel, stride, _out_hw(out_shape))
    return windows.max(axis=-1).reshape(out_shape)  # np.max propagates NaN


def _maxpool_backward(func, grad_out, x, kernel_size, stride, dims):
    x4, kernel, stride, out_shape = check_pool_call(func, x, kernel_size, stride, dims)
    out_hw = _out_hw(out_shape)
    grad_out = check_grad_out(func, grad_out, out_shape).reshape(x4.shape[:2] + out_hw)
    # Index of each window's first maximum (np.argmax also picks the first NaN, if any).
    winner = _windows(x4, kernel, stride, out_hw).argmax(axis=-1)  # (N, C, H_out, W_out)
    grad_x = np.zeros(x4.shape, dtype=np.result_type(grad_out, x4))
    for tap_index, grad_tap in enumerate(_tap_views(grad_x, kernel, stride, out_hw)):
        grad_tap += np.where(winner == tap_index, grad_out, 0)  # overlapping windows add up
    return grad_x.reshape(np.shape(x))


def _out_hw(out_shape):
    """Spatial output shape as (H_out, W_out), with H_out = 1 for 1D."""
    return tuple(out_shape[2:]) if len(out_shape) == 4 else (1, out_shape[2])


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
        (N, C, H_out, W_out), the mean of each window (integers average to float64, like np.mean).
    """
    x4, kernel, stride, out_shape = check_pool_call("avgpool2d", x, kernel_size, stride, 2)
    return _windows(x4, kernel, stride, out_shape[2:]).mean(axis=-1)


def avgpool2d_backward(grad_out, x, kernel_size, stride=None):
    """Gradient of ``avgpool2d``: each window spreads its gradient evenly, grad / (KH * KW).

    Args:
        grad_out: (N, C, H_out, W_out); x: (N, C, H, W); kernel_size, stride: as forward.

    Returns:
        (N, C, H, W) gradient w.r.t. x; overlapping windows add up.
    """
    func = "avgpool2d_backward"
    x4, kernel, stride, out_shape = check_pool_call(func, x, kernel_size, stride, 2)
    share = check_grad_out(func, grad_out, out_shape) / (kernel[0] * kernel[1])
    grad_x = np.zeros(x4.shape, dtype=np.result_type(share, x4))
    for grad_tap in _tap_views(grad_x, kernel, stride, out_shape[2:]):
        grad_tap += share  # overlapping windows add up
    return grad_x
