"""Chapter 3 (and 4, 5): multichannel 2D convolution as "unroll, then one matrix multiply".

    out[n, o, i, j] = bias[o] + sum_{c, kh, kw} weight[o, c, kh, kw]
                      * x_padded[n, c, i * s_h + kh * d_h, j * s_w + kw * d_w]

with s = stride, d = dilation and x_padded = x with ``padding`` zeros on every side.

The algorithm is the chapter's: ``unroll_2d`` copies every window into one row, ordered
(C, KH, KW) like ``weight.reshape(O, -1)``, so the whole convolution is one matrix product
``rows @ weight.reshape(O, -1).T``.  The backward pass (chapter 5) reads the same product
backwards: the weight gradient is ``grad_rows.T @ rows`` summed over the batch, and the input
gradient multiplies ``grad_rows`` by the weight matrix and adds every row back onto the window it
was copied from (``col2im``, the adjoint of ``unroll_2d``).

"Convolution" is cross-correlation (no kernel flip), as in every deep-learning framework.
``stride``, ``padding`` and ``dilation`` take an int or an (height, width) pair.  This is the
readable reference; ``solutions.fast`` computes the same faster (tested equal).

Every function keeps the input dtype (float32 in, float32 out), never modifies its inputs and
returns new arrays.  Non-finite values propagate (see ``solutions.checks``).
"""

import numpy as np

from solutions.checks import check_ndim, check_tuple
from solutions.conv_arguments import check_conv_backward_call, check_conv_call
from solutions.output_size import checked_output_shape, output_shape
from solutions.windows import pad, tap_slices


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    """Copy every receptive field of ``x`` into one row (im2col, in the teaching layout).

    Args:
        x: (N, C, H, W) input.
        kernel_size: int or (KH, KW).
        stride, padding, dilation: int or pair.

    Returns:
        (N, H_out * W_out, C * KH * KW): row ``i * W_out + j`` of sample n holds the window that
        produces output (i, j), its entries ordered (C, KH, KW) like ``weight.reshape(O, -1)``, so
        ``unroll_2d(x, ...) @ weight.reshape(O, -1).T`` is the convolution (before reshaping).

    Example:
        ``unroll_2d(np.arange(9.0).reshape(1, 1, 3, 3), 2)[0]`` is
        ``[[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]``.
    """
    func = "unroll_2d"
    x = check_ndim(func, "x", x, 4, "(N, C, H, W)")
    kernel_shape = check_tuple(func, "kernel_size", kernel_size, 2, 1)
    hyper = checked_output_shape(func, x.shape[2:], kernel_shape, stride, padding, dilation)[:3]
    return _unroll(x, kernel_shape, *hyper)


def _unroll(x, kernel_shape, stride, padding, dilation):
    """``unroll_2d`` without the checks: hyper-parameters are already pairs of ints."""
    n, channels, height, width = x.shape
    kh_size, kw_size = kernel_shape
    out_shape = output_shape((height, width), kernel_shape, stride, padding, dilation)
    padded = pad(x, padding)
    windows = np.empty((n, *out_shape, channels, kh_size, kw_size), dtype=x.dtype)
    for kh in range(kh_size):
        for kw in range(kw_size):
            # Tap (kh, kw) of every window: (N, C, H_out, W_out), moved to (N, H_out, W_out, C).
            tap = padded[(..., *tap_slices(kh, kw, out_shape, stride, dilation))]
            windows[..., kh, kw] = tap.transpose(0, 2, 3, 1)
    return windows.reshape(n, out_shape[0] * out_shape[1], channels * kh_size * kw_size)


def col2im(rows, x_shape, kernel_shape, stride, padding, dilation):
    """Adjoint of ``unroll_2d``: add every row entry back onto the input cell it was copied from.

    An input cell read by several windows receives the sum of their entries; a cell no window
    read (the remainder when sizes do not divide evenly, or skipped by the stride) receives 0;
    the padding is cropped away.

    Args:
        rows: (N, H_out * W_out, C * KH * KW), laid out like ``unroll_2d``'s result.
        x_shape: (N, C, H, W), the shape to return.
        kernel_shape, stride, padding, dilation: pairs of ints (already checked).

    Returns:
        (N, C, H, W) array of rows' dtype.
    """
    n, channels, height, width = x_shape
    (kh_size, kw_size), (ph, pw) = kernel_shape, padding
    out_shape = output_shape((height, width), kernel_shape, stride, padding, dilation)
    windows = rows.reshape(n, *out_shape, channels, kh_size, kw_size)
    padded = np.zeros((n, channels, height + 2 * ph, width + 2 * pw), dtype=rows.dtype)
    for kh in range(kh_size):
        for kw in range(kw_size):
            # Within one tap every window reads a different cell, so the add is a plain slice add.
            tap = windows[..., kh, kw].transpose(0, 3, 1, 2)  # (N, C, H_out, W_out)
            padded[(..., *tap_slices(kh, kw, out_shape, stride, dilation))] += tap
    return padded[:, :, ph : ph + height, pw : pw + width].copy()


def correlate(x, weight, bias, stride, padding, dilation):
    """``conv2d`` without the checks: (N, C, H, W), (O, C, KH, KW), (O,) or None -> (N, O, Ho, Wo).

    Hyper-parameters are pairs of ints.  ``conv1d`` runs through here with images of height 1.
    """
    n, out_channels = x.shape[0], weight.shape[0]
    h_out, w_out = output_shape(x.shape[2:], weight.shape[2:], stride, padding, dilation)
    rows = _unroll(x, weight.shape[2:], stride, padding, dilation)  # (N, H_out*W_out, C*KH*KW)
    out = rows @ weight.reshape(out_channels, -1).T  # (N, H_out * W_out, O)
    out = out.transpose(0, 2, 1).reshape(n, out_channels, h_out, w_out)
    if bias is not None:
        out = out + bias[:, None, None]
    return out


def correlate_backward(grad_out, x, weight, stride, padding, dilation):
    """``conv2d_backward`` without the checks (hyper-parameters are pairs of ints).

    Returns:
        grad_x (N, C, H, W), grad_weight (O, C, KH, KW), grad_bias (O,).
    """
    n, out_channels = grad_out.shape[:2]
    kernel_shape = weight.shape[2:]
    # The forward was out_rows = rows @ weight_matrix.T, one row per output position.
    grad_rows = grad_out.reshape(n, out_channels, -1).transpose(0, 2, 1)  # (N, H_out*W_out, O)
    weight_matrix = weight.reshape(out_channels, -1)  # (O, C*KH*KW)
    rows = _unroll(x, kernel_shape, stride, padding, dilation)  # (N, H_out*W_out, C*KH*KW)
    # Each weight met every window once per sample: sum over positions (the product) and batch.
    grad_weight = (grad_rows.transpose(0, 2, 1) @ rows).sum(axis=0).reshape(weight.shape)
    # Each window's gradient goes back to the cells it was copied from.
    grad_x = col2im(grad_rows @ weight_matrix, x.shape, kernel_shape, stride, padding, dilation)
    grad_bias = grad_out.sum(axis=(0, 2, 3))
    return grad_x, grad_weight, grad_bias


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """2D convolution (cross-correlation) of a batch of multichannel images.

    Args:
        x: (N, C, H, W) input.
        weight: (O, C, KH, KW) filters.
        bias: (O,) or None.
        stride, padding, dilation: int or (height, width) pair; padding adds zeros on both sides.

    Returns:
        (N, O, H_out, W_out) with H_out = floor((H + 2 p_h - d_h (KH - 1) - 1) / s_h) + 1 (same
        for W): ``unroll_2d(x) @ weight.reshape(O, -1).T``, transposed to channels first, + bias.

    Raises:
        ValueError: wrong number of axes, channel mismatch, bias of the wrong shape, invalid
            stride/padding/dilation, or a dilated kernel larger than the padded input.
    """
    x, weight, bias, hyper, _ = check_conv_call(
        "conv2d", x, weight, bias, stride, padding, dilation, 2
    )
    return correlate(x, weight, bias, *hyper)


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    """Gradients of ``conv2d`` given the gradient of the loss w.r.t. its output.

    With ``rows = unroll_2d(x)`` (N, P, C*KH*KW), P = H_out * W_out, and ``grad_rows`` =
    grad_out as (N, P, O):

    Args:
        grad_out: (N, O, H_out, W_out), same shape as ``conv2d``'s output.
        x: (N, C, H, W), the forward input.
        weight: (O, C, KH, KW), the forward filters.
        stride, padding, dilation: as in the forward call.

    Returns:
        grad_x (N, C, H, W): ``col2im(grad_rows @ weight.reshape(O, -1))`` (input cells no window
            read get 0);
        grad_weight (O, C, KH, KW): ``sum_n grad_rows[n].T @ rows[n]``, reshaped;
        grad_bias (O,): ``grad_out`` summed over batch and positions.
    """
    func = "conv2d_backward"
    x, weight, _, hyper, _ = check_conv_call(func, x, weight, None, stride, padding, dilation, 2)
    grad_out = check_conv_backward_call(
        func, grad_out, x.shape, weight, stride, padding, dilation, 2
    )[0]
    return correlate_backward(grad_out, x, weight, *hyper)
