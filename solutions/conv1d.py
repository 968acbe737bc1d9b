"""Chapter 2 (and 5): 1D convolution of a batch of multichannel signals, forward and backward.

    out[n, o, t] = bias[o] + sum_{c, k} weight[o, c, k] * x_padded[n, c, t * stride + k * dilation]

A 1D signal is a 2D image of height 1, so both functions run through conv2d's "unroll, then one
matrix multiply" (``solutions.conv2d``) with a kernel of height 1: one implementation of the
arithmetic.
Unlike chapter 1's ``conv1d_unroll``, the output length follows the output-size formula
(``solutions.output_size``): with no padding it is ``T - K + 1``.

Every function keeps the input dtype, never modifies its inputs and returns new arrays.
Non-finite values propagate (see ``solutions.checks``).
"""

from solutions.conv2d import correlate, correlate_backward
from solutions.conv_arguments import check_conv_backward_call, check_conv_call


def _as_2d(hyper):
    """1D (stride, padding, dilation) -> the 2D ones of an image of height 1."""
    stride, padding, dilation = hyper
    return (1, *stride), (0, *padding), (1, *dilation)


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """1D convolution (cross-correlation).

    Args:
        x: (N, C, T) input.
        weight: (O, C, K) filters.
        bias: (O,) or None.
        stride, padding, dilation: ints; padding adds zeros at both ends.

    Returns:
        (N, O, T_out), T_out = floor((T + 2 padding - dilation (K - 1) - 1) / stride) + 1.

    Raises:
        ValueError: as ``conv2d``, naming ``conv1d``.
    """
    x, weight, bias, hyper, _ = check_conv_call(
        "conv1d", x, weight, bias, stride, padding, dilation, 1
    )
    out = correlate(x[:, :, None, :], weight[:, :, None, :], bias, *_as_2d(hyper))
    return out[:, :, 0, :]


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    """Gradients of ``conv1d``.

    Args:
        grad_out: (N, O, T_out), same shape as ``conv1d``'s output.
        x: (N, C, T); weight: (O, C, K); stride, padding, dilation: as in the forward call.

    Returns:
        grad_x (N, C, T), grad_weight (O, C, K), grad_bias (O,).
    """
    func = "conv1d_backward"
    x, weight, _, hyper, _ = check_conv_call(func, x, weight, None, stride, padding, dilation, 1)
    grad_out = check_conv_backward_call(
        func, grad_out, x.shape, weight, stride, padding, dilation, 1
    )[0]
    grad_x, grad_weight, grad_bias = correlate_backward(
        grad_out[:, :, None, :], x[:, :, None, :], weight[:, :, None, :], *_as_2d(hyper)
    )
    return grad_x[:, :, 0, :], grad_weight[:, :, 0, :], grad_bias
