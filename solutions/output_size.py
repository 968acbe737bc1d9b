"""Chapter 4: how long is the output of a convolution (or pooling) along one axis?

A window of ``kernel_size`` taps spaced ``dilation`` apart spans
``dilation * (kernel_size - 1) + 1`` cells.  After ``padding`` zeros on both sides the input has
``size + 2 * padding`` cells, and the window may start at 0, stride, 2 * stride, ... as long
as it still fits:

    out = floor((size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1

Cells past the last full window are never read (sizes that do not divide evenly drop the
remainder).  Example: ``conv_output_size(28, 3, stride=2, padding=1) == 14``.

This module is the one place where that formula lives; ``checked_output_shape`` applies it to every
spatial axis after validating the hyper-parameters, for conv1d, conv2d, their gradients and pooling.
"""

from solutions.checks import check_conv_hyperparameters, check_int, check_window_fits


def _output_length(size, kernel_size, stride, padding, dilation):
    return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """Output length of a convolution along one axis.

    Args:
        size: input length (positive int).
        kernel_size: number of kernel taps (positive int).
        stride: step between window starts (positive int).
        padding: zeros added on each side (int >= 0).
        dilation: spacing between kernel taps (positive int).

    Returns:
        int, ``floor((size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1``.

    Raises:
        ValueError: for non-integer or out-of-range arguments, or a window larger than the
            padded input.
    """
    func = "conv_output_size"
    size = check_int(func, "size", size, 1)
    kernel_size = check_int(func, "kernel_size", kernel_size, 1)
    (stride,), (padding,), (dilation,) = check_conv_hyperparameters(
        func, stride, padding, dilation, 1
    )
    check_window_fits(func, (size,), (kernel_size,), (padding,), (dilation,))
    return _output_length(size, kernel_size, stride, padding, dilation)


def checked_output_shape(func, input_shape, kernel_size, stride, padding, dilation, what="kernel"):
    """Validate the hyper-parameters of a sliding window and return the output's spatial shape.

    Args:
        func: public function name used in error messages.
        input_shape: spatial sizes of the input, e.g. (H, W) or (T,).
        kernel_size: window size per axis (tuple of positive ints, already checked).
        stride, padding, dilation: int or tuple per axis (checked here).
        what: the word used for the window in error messages ("kernel", "pooling window").

    Returns:
        (stride, padding, dilation, output_shape), each a tuple with one int per spatial axis.
    """
    dims = len(input_shape)
    stride, padding, dilation = check_conv_hyperparameters(func, stride, padding, dilation, dims)
    check_window_fits(func, input_shape, kernel_size, padding, dilation, what)
    return (
        stride,
        padding,
        dilation,
        output_shape(input_shape, kernel_size, stride, padding, dilation),
    )


def output_shape(input_shape, kernel_size, stride, padding, dilation):
    """The formula applied to every spatial axis, without checks (tuples in, tuple out)."""
    return tuple(
        _output_length(*args)
        for args in zip(input_shape, kernel_size, stride, padding, dilation, strict=True)
    )
