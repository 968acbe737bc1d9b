"""Chapter 7: layers, the functional operations of chapters 2 to 6 wrapped as objects.

A layer is a function that remembers.  ``forward(x)`` computes the output *and caches* what the
backward pass will need (the input, or a mask); ``backward(grad_out)`` receives dL/d(output), stores
dL/d(parameter) in each parameter's ``.grad`` (overwriting the previous value) and returns
dL/d(input) for the layer below.  A network is a ``Sequential`` list of layers: forward runs the
list in order, backward runs it in reverse, which is the chain rule.

The layers call the fast engine (``solutions.fast``), which returns the same values as the
functions of chapters 2 to 6 (tested equal) in less time; the algorithms are those of the
reference modules.

Activations stay channels-first from end to end: (N, C, T) in 1D, (N, C, H, W) in 2D, then (N, F)
after ``Flatten``.  Layers compute in the dtype of their parameters (float32 unless ``dtype`` says
otherwise); an input of another dtype is converted on the way in.

Example::

    net = Sequential(
        Conv2d(1, 8, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(8 * 4 * 4, 10)
    )
    logits = net.forward(x)              # x: (N, 1, 8, 8)
    grad_x = net.backward(grad_logits)   # fills p.grad for p in net.parameters()
"""

import math

import numpy as np

from solutions.checks import check_int, check_ndim, check_tuple
from solutions.fast import (
    avgpool2d,
    avgpool2d_backward,
    conv1d,
    conv1d_backward,
    conv2d,
    conv2d_backward,
    maxpool1d,
    maxpool1d_backward,
    maxpool2d,
    maxpool2d_backward,
)


class Parameter:
    """A trainable array and the gradient of the loss with respect to it.

    Attributes:
        value: the array the optimiser updates (any shape).
        grad: dL/d(value), same shape and dtype; zeros until the owning layer's backward runs.
    """

    def __init__(self, value):
        self.value = np.asarray(value)
        self.grad = np.zeros_like(self.value)

    def __repr__(self):
        return f"Parameter(shape={self.value.shape}, dtype={self.value.dtype})"


class Layer:
    """Base class: a layer without parameters that refuses to run backward before forward."""

    def forward(self, x):
        raise NotImplementedError

    def backward(self, grad_out):
        raise NotImplementedError

    def parameters(self):
        """Returns: list of this layer's Parameter objects (empty for ReLU, pooling, Flatten)."""
        return []

    def __call__(self, x):
        return self.forward(x)

    def _cached(self, value):
        # A backward without its forward would silently use another batch's input.
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return value


def he_normal(rng, shape, fan_in, dtype):
    """He (Kaiming) normal initialisation: N(0, 2 / fan_in).

    With ReLU half of the units are zero, so a weight variance of 2 / fan_in keeps the variance of
    the activations roughly constant from layer to layer (He et al., 2015).

    Args:
        rng: numpy Generator.
        shape: weight shape, e.g. (O, C, KH, KW).
        fan_in: number of inputs that feed one output, e.g. C * KH * KW.
        dtype: dtype of the returned array.

    Returns:
        ndarray of ``shape`` and ``dtype``.
    """
    std = math.sqrt(2.0 / fan_in)
    return (rng.standard_normal(shape) * std).astype(dtype)


def _default_rng(rng):
    return np.random.default_rng(0) if rng is None else rng


def _sizes(values):
    """A 1-tuple becomes its int (the 1D functions take ints); pairs stay pairs for 2D."""
    return values[0] if len(values) == 1 else values


class _Convolution(Layer):
    """Shared by Conv1d and Conv2d: weight (O, C, *kernel), bias (O,), He-normal weights.

    Subclasses set ``spatial_dims`` and the functional pair ``convolve`` / ``convolve_backward``.
    """

    spatial_dims = 0
    convolve = None
    convolve_backward = None

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        rng=None,
        *,
        dtype=np.float32,
    ):
        name, dims = type(self).__name__, self.spatial_dims
        in_channels = check_int(name, "in_channels", in_channels, 1)
        out_channels = check_int(name, "out_channels", out_channels, 1)
        kernel = check_tuple(name, "kernel_size", kernel_size, dims, 1)
        # The functional op checks these again; checking here fails when the network is built.
        self.stride = _sizes(check_tuple(name, "stride", stride, dims, 1))
        self.padding = _sizes(check_tuple(name, "padding", padding, dims, 0))
        self.dilation = _sizes(check_tuple(name, "dilation", dilation, dims, 1))
        fan_in = in_channels * math.prod(kernel)
        weight = he_normal(_default_rng(rng), (out_channels, in_channels, *kernel), fan_in, dtype)
        self.weight = Parameter(weight)
        self.bias = Parameter(np.zeros(out_channels, dtype=dtype))
        self.x = None

    def forward(self, x):
        """Args: x (N, C, *spatial).  Returns: (N, O, *spatial_out)."""
        self.x = np.asarray(x, dtype=self.weight.value.dtype)
        hyper = (self.stride, self.padding, self.dilation)
        return type(self).convolve(self.x, self.weight.value, self.bias.value, *hyper)

    def backward(self, grad_out):
        """Args: grad_out (N, O, *spatial_out).  Returns: grad_x (N, C, *spatial)."""
        x = self._cached(self.x)
        hyper = (self.stride, self.padding, self.dilation)
        grad_x, self.weight.grad, self.bias.grad = type(self).convolve_backward(
            grad_out, x, self.weight.value, *hyper
        )
        return grad_x

    def parameters(self):
        return [self.weight, self.bias]

    def __repr__(self):
        out_channels, in_channels, *kernel = self.weight.value.shape
        kernel_size = _sizes(tuple(kernel))
        return (
            f"{type(self).__name__}({in_channels}, {out_channels}, kernel_size={kernel_size}, "
            f"stride={self.stride}, padding={self.padding}, dilation={self.dilation})"
        )


class Conv1d(_Convolution):
    """1D convolution layer (chapter 2): x (N, C, T) -> (N, O, T_out).

    Args:
        in_channels (C), out_channels (O), kernel_size (K): ints.
        stride, padding, dilation: ints, as in ``solutions.conv1d``.
        rng: numpy Generator for the He-normal weights (default ``default_rng(0)``).
        dtype: dtype of the parameters and of the computation (default float32).
    """

    spatial_dims = 1
    convolve = staticmethod(conv1d)
    convolve_backward = staticmethod(conv1d_backward)


class Conv2d(_Convolution):
    """2D convolution layer (chapters 3 to 5): x (N, C, H, W) -> (N, O, H_out, W_out).

    Args:
        in_channels (C), out_channels (O): ints.
        kernel_size, stride, padding, dilation: int or (height, width) pair.
        rng: numpy Generator for the He-normal weights (default ``default_rng(0)``).
        dtype: dtype of the parameters and of the computation (default float32).
    """

    spatial_dims = 2
    convolve = staticmethod(conv2d)
    convolve_backward = staticmethod(conv2d_backward)


class _Pooling(Layer):
    """Shared by the pooling layers: no parameters, caches its input for backward.

    Subclasses set ``spatial_dims`` and the functional pair ``pool`` / ``pool_backward``.
    """

    spatial_dims = 0
    pool = None
    pool_backward = None

    def __init__(self, kernel_size, stride=None):
        name, dims = type(self).__name__, self.spatial_dims
        self.kernel_size = _sizes(check_tuple(name, "kernel_size", kernel_size, dims, 1))
        # stride=None means "windows side by side", the usual choice (stride = kernel_size).
        self.stride = self.kernel_size
        if stride is not None:
            self.stride = _sizes(check_tuple(name, "stride", stride, dims, 1))
        self.x = None

    def forward(self, x):
        """Args: x (N, C, *spatial).  Returns: (N, C, *spatial_out)."""
        self.x = np.asarray(x)
        return type(self).pool(self.x, self.kernel_size, self.stride)

    def backward(self, grad_out):
        """Args: grad_out (N, C, *spatial_out).  Returns: grad_x (N, C, *spatial)."""
        x = self._cached(self.x)
        return type(self).pool_backward(grad_out, x, self.kernel_size, self.stride)

    def __repr__(self):
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class MaxPool1d(_Pooling):
    """Max pooling over time (chapter 6): x (N, C, T) -> (N, C, T_out); stride defaults to K."""

    spatial_dims = 1
    pool = staticmethod(maxpool1d)
    pool_backward = staticmethod(maxpool1d_backward)


class MaxPool2d(_Pooling):
    """2D max pooling (chapter 6): x (N, C, H, W) -> (N, C, H_out, W_out); stride defaults to K.

    Backward sends each output's gradient to the first maximum of its window (row-major order).
    """

    spatial_dims = 2
    pool = staticmethod(maxpool2d)
    pool_backward = staticmethod(maxpool2d_backward)


class AvgPool2d(_Pooling):
    """2D average pooling (chapter 6): x (N, C, H, W) -> (N, C, H_out, W_out)."""

    spatial_dims = 2
    pool = staticmethod(avgpool2d)
    pool_backward = staticmethod(avgpool2d_backward)


class ReLU(Layer):
    """max(0, x), elementwise, any shape.  Backward lets the gradient through where x > 0."""

    def __init__(self):
        self.positive = None

    def forward(self, x):
        x = np.asarray(x)
        self.positive = x > 0
        return np.maximum(x, 0)

    def backward(self, grad_out):
        positive = self._cached(self.positive)
        # The derivative at exactly 0 is taken as 0, like PyTorch.  Multiplying by the boolean
        # mask keeps grad_out's dtype and is several times faster than np.where.
        return grad_out * positive

    def __repr__(self):
        return "ReLU()"


class Flatten(Layer):
    """(N, C, ...) -> (N, C * ...): joins channel and spatial axes, in channel-first order."""

    def __init__(self):
        self.input_shape = None

    def forward(self, x):
        x = np.asarray(x)
        self.input_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out):
        return np.reshape(grad_out, self._cached(self.input_shape))

    def __repr__(self):
        return "Flatten()"


class Linear(Layer):
    """Fully connected layer: y = x @ weight.T + bias, x (N, in_features) -> (N, out_features).

    Args:
        in_features, out_features: ints.
        rng: numpy Generator for the He-normal weight (default ``default_rng(0)``).
        dtype: dtype of the parameters and of the computation (default float32).

    The weight has shape (out_features, in_features), as in PyTorch.
    """

    def __init__(self, in_features, out_features, rng=None, *, dtype=np.float32):
        in_features = check_int("Linear", "in_features", in_features, 1)
        out_features = check_int("Linear", "out_features", out_features, 1)
        weight = he_normal(_default_rng(rng), (out_features, in_features), in_features, dtype)
        self.weight = Parameter(weight)
        self.bias = Parameter(np.zeros(out_features, dtype=dtype))
        self.x = None

    def forward(self, x):
        x = check_ndim("Linear", "x", x, 2, "(N, in_features)")
        in_features = self.weight.value.shape[1]
        if x.shape[1] != in_features:
            raise ValueError(
                f"Linear: x has {x.shape[1]} features but the layer expects {in_features} "
                f"(x.shape={x.shape}, weight.shape={self.weight.value.shape})"
            )
        self.x = x.astype(self.weight.value.dtype, copy=False)
        return self.x @ self.weight.value.T + self.bias.value

    def backward(self, grad_out):
        """Args: grad_out (N, out_features).  Returns: grad_x (N, in_features)."""
        x = self._cached(self.x)
        self.weight.grad = grad_out.T @ x
        self.bias.grad = grad_out.sum(axis=0)
        return grad_out @ self.weight.value

    def parameters(self):
        return [self.weight, self.bias]

    def __repr__(self):
        out_features, in_features = self.weight.value.shape
        return f"Linear({in_features}, {out_features})"


class Sequential(Layer):
    """Layers applied one after another; backward applies their backward in reverse order.

    Attributes:
        layers: the list of layers, in forward order.
    """

    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_out):
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        inner = "".join(f"\n  {layer!r}," for layer in self.layers)
        return f"Sequential({inner}\n)"
