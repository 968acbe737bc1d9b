"""Validation of a whole convolution call, shared by conv1d, conv2d and the input gradients.

Returns everything normalised (arrays, hyper-parameter tuples, output shape) so that each public
function is "check, then compute".  Error messages follow ``solutions.checks``.
"""

import numpy as np

from solutions.checks import check_conv_shapes, check_grad_out, check_ndim, check_shape
from solutions.output_size import checked_output_shape

_LAYOUTS = {
    1: ("(N, C, T)", "(O, C, K)"),
    2: ("(N, C, H, W)", "(O, C, KH, KW)"),
}


def check_conv_call(func, x, weight, bias, stride, padding, dilation, dims):
    """Check a forward call.

    Args:
        x: (N, C, *spatial) array-like; weight: (O, C, *kernel); bias: (O,) or None.
        dims: number of spatial axes (1 or 2).

    Returns:
        x, weight, bias as arrays, (stride, padding, dilation) as tuples of ``dims`` ints, and
        the output shape (N, O, *spatial_out).
    """
    x_layout, weight_layout = _LAYOUTS[dims]
    x = check_ndim(func, "x", x, dims + 2, x_layout)
    weight = check_ndim(func, "weight", weight, dims + 2, weight_layout)
    bias = None if bias is None else np.asarray(bias)
    check_conv_shapes(func, x.shape, weight.shape, None if bias is None else bias.shape, dims)
    stride, padding, dilation, spatial_out = checked_output_shape(
        func, x.shape[2:], weight.shape[2:], stride, padding, dilation
    )
    out_shape = (x.shape[0], weight.shape[0], *spatial_out)
    return x, weight, bias, (stride, padding, dilation), out_shape


def check_conv_backward_call(func, grad_out, x_shape, weight, stride, padding, dilation, dims):
    """Check a backward call, where the input may be known only by its shape.

    Args:
        grad_out: (N, O, *spatial_out), must match the forward output.
        x_shape: (N, C, *spatial) tuple of ints.
        weight: (O, C, *kernel).

    Returns:
        grad_out and weight as arrays, x_shape as a tuple, (stride, padding, dilation).
    """
    x_layout, weight_layout = _LAYOUTS[dims]
    x_shape = check_shape(func, "x_shape", x_shape, dims + 2, x_layout)
    weight = check_ndim(func, "weight", weight, dims + 2, weight_layout)
    check_conv_shapes(func, x_shape, weight.shape, None, dims)
    stride, padding, dilation, spatial_out = checked_output_shape(
        func, x_shape[2:], weight.shape[2:], stride, padding, dilation
    )
    grad_out = check_grad_out(func, grad_out, (x_shape[0], weight.shape[0], *spatial_out))
    return grad_out, x_shape, weight, (stride, padding, dilation)
