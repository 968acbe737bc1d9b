"""Chapter 3 (and 4, 5): multichannel 2D convolution as im2col + one matrix multiply.

    out[n, o, i, j] = bias[o] + sum_{c, kh, kw} weight[o, c, kh, kw]
                      * x_padded[n, c, i * s_h + kh * d_h, j * s_w + kw * d_w]

with s = stride, d = dilation and x_padded = x with ``padding`` zeros on every side.

"Convolution" is cross-correlation (no kernel flip), as in every deep-learning framework.
``stride``, ``padding`` and ``dilation`` take an int or an (height, width) pair.  The arithmetic
lives in ``solutions.im2col``; this module checks arguments and states the contract.

Every function keeps the input dtype (float32 in, float32 out), never modifies its inputs and
returns new arrays.  Non-finite values propagate (see ``solutions.checks``).
"""

from solutions.checks import check_ndim, check_tuple
from solutions.conv_arguments import check_conv_backward_call, check_conv_call
from solutions.im2col import column_layout, correlate, correlate_backward, im2col
from solutions.output_size import checked_output_shape


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    """Copy every receptive field of ``x`` into one row (im2col, in the row-major teaching layout).

    Args:
        x: (N, C, H, W) input.
        kernel_size: int or (KH, KW).
        stride, padding, dilation: int or pair.

    Returns:
        (N, H_out * W_out, C * KH * KW): row ``i * W_out + j`` of sample n holds the window that
        produces output (i, j), its entries ordered (C, KH, KW) like ``weight.reshape(O, -1)``, so
        ``unroll_2d(x, ...) @ weight.reshape(O, -1).T`` is the convolution (before reshaping).
    """
    func = "unroll_2d"
    x = check_ndim(func, "x", x, 4, "(N, C, H, W)")
    kernel_shape = check_tuple(func, "kernel_size", kernel_size, 2, 1)
    stride, padding, dilation, (h_out, w_out) = checked_output_shape(
        func, x.shape[2:], kernel_shape, stride, padding, dilation
    )
    n, channels = x.shape[:2]
    layout = column_layout(x.shape, kernel_shape, stride, padding, dilation, flat=False)
    cols = im2col(x, layout).reshape(*kernel_shape, channels, n, h_out * w_out)
    # The engine orders rows (KH, KW, C); the teaching layout is (C, KH, KW), like the weight.
    return cols.transpose(3, 4, 2, 0, 1).reshape(n, h_out * w_out, -1)


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """2D convolution (cross-correlation) of a batch of multichannel images.

    Args:
        x: (N, C, H, W) input.
        weight: (O, C, KH, KW) filters.
        bias: (O,) or None.
        stride, padding, dilation: int or (height, width) pair; padding adds zeros on both sides.

    Returns:
        (N, O, H_out, W_out) with H_out = floor((H + 2 p_h - d_h (KH - 1) - 1) / s_h) + 1 (same
        for W).

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

    Args:
        grad_out: (N, O, H_out, W_out), same shape as ``conv2d``'s output.
        x: (N, C, H, W), the forward input.
        weight: (O, C, KH, KW), the forward filters.
        stride, padding, dilation: as in the forward call.

    Returns:
        grad_x (N, C, H, W): col2im of ``weight.reshape(O, -1).T @ grad_out`` columns (input
            cells no window read get 0);
        grad_weight (O, C, KH, KW): ``grad_out`` columns times the im2col matrix of x;
        grad_bias (O,): ``grad_out`` summed over batch and positions.
    """
    func = "conv2d_backward"
    x, weight, _, hyper, _ = check_conv_call(func, x, weight, None, stride, padding, dilation, 2)
    grad_out = check_conv_backward_call(
        func, grad_out, x.shape, weight, stride, padding, dilation, 2
    )[0]
    return correlate_backward(grad_out, x, weight, *hyper)
