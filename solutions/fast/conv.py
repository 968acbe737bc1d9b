"""The fast engine's convolutions: conv1d and conv2d, forward and backward.

Same contract, same argument checks and same error messages as ``solutions.conv1d`` and
``solutions.conv2d`` (the reference, tested equal in ``tests/solutions/test_fast_engine.py``);
the arithmetic runs in ``solutions.fast.im2col`` or, where it measured faster, in
``solutions.fast.channels_last``.  A 1D signal is an image of height 1.

Shapes: x (N, C, H, W) or (N, C, T), weight (O, C, KH, KW) or (O, C, K), bias (O,) or None.
"""

from solutions.conv_arguments import check_conv_backward_call, check_conv_call
from solutions.fast import channels_last, im2col


def correlate(x, weight, bias, stride, padding, dilation):
    """(N, C, H, W) * (O, C, KH, KW) -> (N, O, H_out, W_out) by the engine that wins here."""
    out_shape = im2col.column_layout(x.shape, weight.shape[2:], stride, padding, dilation).out_shape
    if channels_last.channels_last_wins(x, weight, stride, padding, dilation, out_shape[1]) and (
        bias is None or bias.dtype == x.dtype
    ):
        return channels_last.correlate(x, weight, bias, padding, dilation, out_shape)
    return im2col.correlate(x, weight, bias, stride, padding, dilation)


def correlate_backward(grad_out, x, weight, stride, padding, dilation, need_input_grad=True):
    """grad_x (None unless ``need_input_grad``), grad_weight, grad_bias of ``correlate`` by the
    engine that wins here."""
    wins = channels_last.channels_last_wins(x, weight, stride, padding, dilation, grad_out.shape[3])
    if wins and grad_out.dtype == x.dtype:
        return channels_last.correlate_backward(
            grad_out, x, weight, padding, dilation, need_input_grad
        )
    return im2col.correlate_backward(
        grad_out, x, weight, stride, padding, dilation, need_input_grad
    )


def _as_2d(hyper):
    """1D (stride, padding, dilation) -> the 2D ones of an image of height 1."""
    stride, padding, dilation = hyper
    return (1, *stride), (0, *padding), (1, *dilation)


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """``solutions.conv1d``, fast: (N, C, T), (O, C, K), (O,) or None -> (N, O, T_out)."""
    x, weight, bias, hyper, _ = check_conv_call(
        "conv1d", x, weight, bias, stride, padding, dilation, 1
    )
    out = correlate(x[:, :, None, :], weight[:, :, None, :], bias, *_as_2d(hyper))
    return out[:, :, 0, :]


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1, *, need_input_grad=True):
    """``solutions.conv1d_backward``, fast.

    Args:
        need_input_grad: False skips grad_x, which a network's first layer does not need (its
            input is the data); see ``conv2d_backward``.

    Returns:
        grad_x (N, C, T) or None, grad_weight (O, C, K), grad_bias (O,).
    """
    func = "conv1d_backward"
    x, weight, _, hyper, _ = check_conv_call(func, x, weight, None, stride, padding, dilation, 1)
    grad_out = check_conv_backward_call(
        func, grad_out, x.shape, weight, stride, padding, dilation, 1
    )[0]
    grad_x, grad_weight, grad_bias = correlate_backward(
        grad_out[:, :, None, :],
        x[:, :, None, :],
        weight[:, :, None, :],
        *_as_2d(hyper),
        need_input_grad,
    )
    if grad_x is not None:
        grad_x = grad_x[:, :, 0, :]
    return grad_x, grad_weight[:, :, 0, :], grad_bias


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """``solutions.conv2d``, fast: (N, C, H, W), (O, C, KH, KW), (O,) or None -> (N, O, Ho, Wo)."""
    x, weight, bias, hyper, _ = check_conv_call(
        "conv2d", x, weight, bias, stride, padding, dilation, 2
    )
    return correlate(x, weight, bias, *hyper)


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1, *, need_input_grad=True):
    """``solutions.conv2d_backward``, fast.

    Args:
        need_input_grad: False skips grad_x and returns None in its place.  A network's first
            layer needs no grad_x (its input is the data, which is not trained), and PyTorch
            skips it too for an input that does not require a gradient.  Measured on the
            Fashion-MNIST CNN's first layer (batch 64, 1 thread): see ``training.models``.

    Returns:
        grad_x (N, C, H, W) or None, grad_weight (O, C, KH, KW), grad_bias (O,).
    """
    func = "conv2d_backward"
    x, weight, _, hyper, _ = check_conv_call(func, x, weight, None, stride, padding, dilation, 2)
    grad_out = check_conv_backward_call(
        func, grad_out, x.shape, weight, stride, padding, dilation, 2
    )[0]
    return correlate_backward(grad_out, x, weight, *hyper, need_input_grad)
