"""Argument checks shared by every reference function: one place for every error message.

Each check raises ``ValueError`` whose message starts with the public function's name, names the
argument, shows what was received (shapes, values) and says what was expected, e.g.::

    conv2d: weight has 3 input channels but x has 4 (x.shape=(2, 4, 8, 8),
    weight.shape=(5, 3, 3, 3))

Policy for non-finite values (NaN, +-inf): they are *not* checked.  Like NumPy and PyTorch, every
function propagates them through the arithmetic (a NaN in x gives NaN in the outputs that read it).
Checking every element would cost a full pass over each tensor and would hide the place where the
NaN was born; a learner who sees NaN in a loss should look upstream, not at the convolution.

Integer-valued hyper-parameters (kernel size, stride, padding, dilation) accept Python ``int`` and
NumPy integers; ``bool`` and floats (even ``2.0``) are rejected, because ``stride=True`` or
``padding=1.5`` is always a mistake.
"""

import numbers

import numpy as np


def _is_integer(value):
    """True for Python and NumPy integers, False for bools and everything else."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def check_int(func, name, value, minimum):
    """Return ``value`` as a Python int after checking it is an integer >= ``minimum``.

    Args:
        func: name of the public function, first word of the error message.
        name: argument name shown in the message.
        value: the value received.
        minimum: smallest allowed value (1 for sizes and strides, 0 for padding).
    """
    if not _is_integer(value):
        raise ValueError(
            f"{func}: {name} must be an integer, got {value!r} of type {type(value).__name__}"
        )
    if value < minimum:
        kind = "positive" if minimum == 1 else f">= {minimum}"
        raise ValueError(f"{func}: {name} must be {kind}, got {value}")
    return int(value)


def check_tuple(func, name, value, length, minimum):
    """Return ``value`` as a tuple of ``length`` ints, each >= ``minimum``.

    An int is repeated (``stride=2`` means ``(2, 2)`` in 2D); a tuple or list must have exactly
    ``length`` entries (1D operations take an int only).
    """
    if isinstance(value, tuple | list):
        if length == 1:
            raise ValueError(f"{func}: {name} must be an int for a 1D operation, got {value!r}")
        if len(value) != length:
            raise ValueError(
                f"{func}: {name} must be an int or a sequence of {length} ints, got {value!r}"
            )
        return tuple(check_int(func, f"{name}[{i}]", v, minimum) for i, v in enumerate(value))
    return (check_int(func, name, value, minimum),) * length


def check_conv_hyperparameters(func, stride, padding, dilation, dims):
    """Normalise stride, padding and dilation of a ``dims``-D convolution to tuples of ints.

    Returns:
        (stride, padding, dilation), each a tuple of ``dims`` ints.
    """
    return (
        check_tuple(func, "stride", stride, dims, 1),
        check_tuple(func, "padding", padding, dims, 0),
        check_tuple(func, "dilation", dilation, dims, 1),
    )


def check_ndim(func, name, array, ndim, layout):
    """Return ``array`` as an ndarray after checking it has ``ndim`` axes named by ``layout``."""
    array = np.asarray(array)
    if array.ndim != ndim:
        raise ValueError(
            f"{func}: {name} must have {ndim} dimension{'s' if ndim != 1 else ''} {layout}, "
            f"got {name}.shape={array.shape}"
        )
    return array


def check_shape(func, name, shape, ndim, layout):
    """Check a shape tuple received as an argument (e.g. ``x_shape``) and return it as ints."""
    if not isinstance(shape, tuple | list) or len(shape) != ndim:
        raise ValueError(f"{func}: {name} must be a tuple of {ndim} ints {layout}, got {shape!r}")
    return tuple(check_int(func, f"{name}[{i}]", size, 1) for i, size in enumerate(shape))


def check_conv_shapes(func, x_shape, weight_shape, bias_shape, dims):
    """Check that input, weight and bias shapes of a ``dims``-D convolution fit together.

    Args:
        x_shape: (N, C, *spatial); weight_shape: (O, C, *kernel); bias_shape: (O,) or None.
        (The number of axes is checked by the caller with ``check_ndim``.)
    """
    if weight_shape[1] != x_shape[1]:
        raise ValueError(
            f"{func}: weight has {weight_shape[1]} input channels but x has {x_shape[1]} "
            f"(x.shape={tuple(x_shape)}, weight.shape={tuple(weight_shape)})"
        )
    if 0 in weight_shape[2:]:
        raise ValueError(
            f"{func}: kernel size must be positive, got weight.shape={tuple(weight_shape)}"
        )
    if bias_shape is not None and tuple(bias_shape) != (weight_shape[0],):
        raise ValueError(
            f"{func}: bias must have shape ({weight_shape[0]},), one value per output "
            f"channel, got bias.shape={tuple(bias_shape)} (weight.shape={tuple(weight_shape)})"
        )


def check_window_fits(func, input_shape, kernel_size, padding, dilation, what="kernel"):
    """Check that a (dilated) window fits inside the padded input along every spatial axis.

    Args:
        input_shape: spatial sizes of the input, e.g. (H, W).
        kernel_size, padding, dilation: tuples of the same length.
    """
    for axis, (size, k, p, d) in enumerate(
        zip(input_shape, kernel_size, padding, dilation, strict=True)
    ):
        extent = d * (k - 1) + 1
        if extent > size + 2 * p:
            room = f"the padded input has only {size + 2 * p} (size {size} + 2 * padding {p})"
            raise ValueError(
                f"{func}: {what} spans {extent} cells along spatial axis {axis} "
                f"(kernel_size={k}, dilation={d}) but "
                f"{room if p else f'the input has only {size}'}; "
                f"input spatial shape={tuple(input_shape)}"
            )


def check_grad_out(func, grad_out, expected_shape):
    """Return ``grad_out`` as an array after checking it has the forward output's shape."""
    grad_out = np.asarray(grad_out)
    if grad_out.shape != tuple(expected_shape):
        raise ValueError(
            f"{func}: grad_out.shape={grad_out.shape} does not match the forward output shape "
            f"{tuple(expected_shape)}"
        )
    return grad_out
