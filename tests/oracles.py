"""Independent oracles for the `solutions` package: slow, obvious code written from the definitions.

Nothing here imports `solutions`.  Each oracle is the formula of the course typed as nested loops
(computed in float64, whatever the input dtype), so that a test compares the fast reference with
code a reader can check line by line against the math:

    Y[n, o, i, j] = b[o] + sum_{c, m, k} W[o, c, m, k] * X[n, c, s*i + d*m - p, s*j + d*k - p]

with X = 0 outside its bounds.  A second, unrelated oracle (`scipy.signal.correlate`) and a
central-difference gradient guard the loops themselves (see tests/solutions/test_oracles.py).

All tolerances used to compare an implementation with an oracle live in this module.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import signal

# ---------------------------------------------------------------------------------------------
# Tolerances (the one place they are stated)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerance:
    """How close an implementation must be to an oracle.

    The absolute part is scaled by max(1, max|expected|), so that a sum of many large terms is
    judged relative to its magnitude rather than to 1.
    """

    rtol: float
    atol: float


# Fast code against float64 loops: only summation order differs, so the error is ~1e-14.
FLOAT64_VS_LOOPS = Tolerance(rtol=1e-10, atol=1e-10)
# float32 code against float64 loops on the same (float32) inputs: a few float32 ulps per term.
FLOAT32_VS_LOOPS = Tolerance(rtol=1e-4, atol=1e-5)
# Analytic gradient against central differences in float64 (eps=1e-6): the roundoff is
# ~1e-16 * |L| / eps, about 1e-9 for the small tensors of the tests.
NUMERICAL_GRADIENT = Tolerance(rtol=1e-6, atol=1e-8)
CENTRAL_DIFFERENCE_EPS = 1e-6


def tolerance_for(dtype) -> Tolerance:
    """The tolerance for comparing an output of `dtype` with a float64 loop oracle."""
    return FLOAT32_VS_LOOPS if np.dtype(dtype) == np.float32 else FLOAT64_VS_LOOPS


def assert_close(got, expected, tolerance: Tolerance, what: str) -> None:
    """Assert |got - expected| <= atol * max(1, max|expected|) + rtol * |expected| elementwise.

    Raises AssertionError naming `what`, the shapes, and the worst element (index, got,
    expected), so that a failing case says *where* it is wrong.
    """
    got = np.asarray(got)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        raise AssertionError(f"{what}: shape {got.shape}, expected {expected.shape}")
    got64 = got.astype(np.float64)
    if not np.all(np.isfinite(got64)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got64))[0])
        raise AssertionError(f"{what}: non-finite value {got64[bad]} at index {bad}")
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    allowed = tolerance.atol * scale + tolerance.rtol * np.abs(expected)
    error = np.abs(got64 - expected)
    if np.any(error > allowed):
        worst = np.unravel_index(int(np.argmax(error - allowed)), error.shape)
        worst = tuple(int(i) for i in worst)
        count = int(np.sum(error > allowed))
        raise AssertionError(
            f"{what}: {count} of {error.size} elements differ; worst at index {worst}: "
            f"got {got64[worst]!r}, expected {expected[worst]!r} "
            f"(rtol={tolerance.rtol}, atol={tolerance.atol} x {scale:.3g})"
        )


# ---------------------------------------------------------------------------------------------
# Sizes
# ---------------------------------------------------------------------------------------------


def as_pair(value) -> tuple[int, int]:
    """An int or a pair, as a pair (the 2D functions accept both)."""
    if isinstance(value, tuple | list):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def count_window_positions(size: int, kernel_size: int, stride=1, padding=0, dilation=1) -> int:
    """Number of window placements, counted one by one (deliberately not the formula).

    Window i covers padded positions stride*i + dilation*m for m in 0..kernel_size-1; it is
    placed while its last tap is still inside the padded input of length size + 2*padding.
    """
    padded_size = size + 2 * padding
    count = 0
    while stride * count + dilation * (kernel_size - 1) <= padded_size - 1:
        count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Chapter 1: unroll (single channel, zeros beyond the right edge, anchored left)
# ---------------------------------------------------------------------------------------------


def unroll_1d_loops(x, kernel_size: int) -> np.ndarray:
    """(T,) -> (T, K) with out[i, k] = x[i + k], or 0 when i + k >= T."""
    x = np.asarray(x, dtype=np.float64)
    length = x.shape[0]
    out = np.zeros((length, kernel_size))
    for i in range(length):
        for k in range(kernel_size):
            if i + k < length:
                out[i, k] = x[i + k]
    return out


def conv1d_unroll_loops(x, weight) -> np.ndarray:
    """(T,), (K,) -> (T,) with out[i] = sum_k weight[k] * x[i + k] (x = 0 past its end)."""
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    length = x.shape[0]
    return np.array(
        [
            math.fsum(weight[k] * x[i + k] for k in range(weight.shape[0]) if i + k < length)
            for i in range(length)
        ]
    )


# ---------------------------------------------------------------------------------------------
# Convolution forward: direct loops
# ---------------------------------------------------------------------------------------------


def conv1d_loops(x, weight, bias=None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """(N, C, T), (O, C, K), (O,) -> (N, O, T_out), straight from the definition."""
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    batch, in_channels, length = x.shape
    out_channels, _, kernel_size = weight.shape
    out_length = count_window_positions(length, kernel_size, stride, padding, dilation)
    y = np.zeros((batch, out_channels, out_length))
    for n, o, i in itertools.product(range(batch), range(out_channels), range(out_length)):
        total = 0.0 if bias is None else float(bias[o])
        for c, k in itertools.product(range(in_channels), range(kernel_size)):
            t = stride * i + dilation * k - padding
            if 0 <= t < length:
                total += weight[o, c, k] * x[n, c, t]
        y[n, o, i] = total
    return y


def conv2d_loops(x, weight, bias=None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """(N, C, H, W), (O, C, KH, KW), (O,) -> (N, O, H_out, W_out), straight from the definition.

    stride, padding and dilation are ints or (height, width) pairs.
    """
    x = np.asarray(x, dtype=np.float64).tolist()  # lists index faster than arrays in loops
    weight_array = np.asarray(weight, dtype=np.float64)
    batch, in_channels, height, width = np.shape(x)
    out_channels, _, kernel_height, kernel_width = weight_array.shape
    weight = weight_array.tolist()
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    out_height = count_window_positions(height, kernel_height, sh, ph, dh)
    out_width = count_window_positions(width, kernel_width, sw, pw, dw)
    y = np.zeros((batch, out_channels, out_height, out_width))
    taps = list(itertools.product(range(in_channels), range(kernel_height), range(kernel_width)))
    for n, o, i, j in itertools.product(
        range(batch), range(out_channels), range(out_height), range(out_width)
    ):
        total = 0.0 if bias is None else float(bias[o])
        for c, m, k in taps:
            h = sh * i + dh * m - ph
            w = sw * j + dw * k - pw
            if 0 <= h < height and 0 <= w < width:
                total += weight[o][c][m][k] * x[n][c][h][w]
        y[n, o, i, j] = total
    return y


def unroll_2d_loops(x, kernel_size, stride=1, padding=0, dilation=1) -> np.ndarray:
    """(N, C, H, W) -> (N, H_out * W_out, C * KH * KW), one row per window, from the definition.

    Row r = i * W_out + j (row-major over output positions); column (c * KH + m) * KW + k holds
    X[n, c, s*i + d*m - p, s*j + d*k - p] (0 outside X), the order of weight.reshape(O, -1).
    """
    x = np.asarray(x, dtype=np.float64)
    batch, channels, height, width = x.shape
    (kh, kw), (sh, sw) = as_pair(kernel_size), as_pair(stride)
    (ph, pw), (dh, dw) = as_pair(padding), as_pair(dilation)
    out_height = count_window_positions(height, kh, sh, ph, dh)
    out_width = count_window_positions(width, kw, sw, pw, dw)
    out = np.zeros((batch, out_height * out_width, channels * kh * kw))
    for n, i, j, c, m, k in itertools.product(
        range(batch), range(out_height), range(out_width), range(channels), range(kh), range(kw)
    ):
        h = sh * i + dh * m - ph
        w = sw * j + dw * k - pw
        if 0 <= h < height and 0 <= w < width:
            out[n, i * out_width + j, (c * kh + m) * kw + k] = x[n, c, h, w]
    return out


# ---------------------------------------------------------------------------------------------
# Convolution forward: scipy.signal.correlate (an oracle that shares no code with the loops)
# ---------------------------------------------------------------------------------------------


def dilate_kernel(kernel, dilation) -> np.ndarray:
    """Insert dilation-1 zeros between the taps of a 1D or 2D kernel (last axes)."""
    kernel = np.asarray(kernel, dtype=np.float64)
    steps = (dilation,) * kernel.ndim if np.isscalar(dilation) else tuple(dilation)
    shape = tuple(step * (size - 1) + 1 for step, size in zip(steps, kernel.shape, strict=True))
    dilated = np.zeros(shape)
    dilated[tuple(slice(None, None, step) for step in steps)] = kernel
    return dilated


def _conv_scipy(x, weight, bias, stride, padding, dilation) -> np.ndarray:
    """Shared body of the scipy oracles: any number of spatial axes (all params are tuples)."""
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    spatial = x.ndim - 2
    padded = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding])
    subsample = tuple(slice(None, None, s) for s in stride)
    outputs = []
    for sample in padded:
        planes = []
        for kernels in weight:
            full = sum(
                signal.correlate(
                    plane, dilate_kernel(kernel, dilation), mode="valid", method="direct"
                )
                for plane, kernel in zip(sample, kernels, strict=True)
            )
            planes.append(full[subsample])
        outputs.append(planes)
    y = np.array(outputs)
    if bias is not None:
        y += np.asarray(bias, dtype=np.float64).reshape((-1,) + (1,) * spatial)
    return y


def conv1d_scipy(x, weight, bias=None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """conv1d via scipy: correlate ("valid") the zero-padded input with the dilated kernel,
    then keep every stride-th output."""
    return _conv_scipy(x, weight, bias, (stride,), (padding,), (dilation,))


def conv2d_scipy(x, weight, bias=None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """conv2d via scipy, as conv1d_scipy but in 2D; stride/padding/dilation int or pair."""
    return _conv_scipy(x, weight, bias, as_pair(stride), as_pair(padding), as_pair(dilation))


# ---------------------------------------------------------------------------------------------
# Convolution backward: loops from the chain rule
# ---------------------------------------------------------------------------------------------
# Y[n,o,i,j] depends on X[n,c,h,w] exactly when h = s*i + d*m - p and w = s*j + d*k - p, with
# derivative W[o,c,m,k]; so grad_x[n,c,h,w] is the sum over (o,i,j,m,k) meeting those equalities
# of grad_out[n,o,i,j] * W[o,c,m,k].  Visiting every (n,o,i,j,c,m,k) once and adding to the one
# (h,w) it touches computes exactly that sum.  The loops run over grad_out's own shape.


def conv1d_backward_loops(grad_out, x, weight, stride=1, padding=0, dilation=1):
    """-> (grad_x (N, C, T), grad_weight (O, C, K), grad_bias (O,)), all float64."""
    grad_out = np.asarray(grad_out, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    batch, in_channels, length = x.shape
    out_channels, _, kernel_size = weight.shape
    grad_x = np.zeros_like(x)
    grad_weight = np.zeros_like(weight)
    for n, o, i in itertools.product(range(batch), range(out_channels), range(grad_out.shape[2])):
        g = grad_out[n, o, i]
        for c, k in itertools.product(range(in_channels), range(kernel_size)):
            t = stride * i + dilation * k - padding
            if 0 <= t < length:
                grad_x[n, c, t] += g * weight[o, c, k]
                grad_weight[o, c, k] += g * x[n, c, t]
    grad_bias = np.array([math.fsum(grad_out[:, o, :].ravel()) for o in range(out_channels)])
    return grad_x, grad_weight, grad_bias


def conv2d_backward_loops(grad_out, x, weight, stride=1, padding=0, dilation=1):
    """-> (grad_x (N, C, H, W), grad_weight (O, C, KH, KW), grad_bias (O,)), all float64."""
    grad_out = np.asarray(grad_out, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    batch, in_channels, height, width = x.shape
    out_channels, _, kernel_height, kernel_width = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    grad_x = np.zeros_like(x)
    grad_weight = np.zeros_like(weight)
    taps = list(itertools.product(range(in_channels), range(kernel_height), range(kernel_width)))
    for n, o, i, j in itertools.product(
        range(batch), range(out_channels), range(grad_out.shape[2]), range(grad_out.shape[3])
    ):
        g = float(grad_out[n, o, i, j])
        for c, m, k in taps:
            h = sh * i + dh * m - ph
            w = sw * j + dw * k - pw
            if 0 <= h < height and 0 <= w < width:
                grad_x[n, c, h, w] += g * weight[o, c, m, k]
                grad_weight[o, c, m, k] += g * x[n, c, h, w]
    grad_bias = np.array([math.fsum(grad_out[:, o].ravel()) for o in range(out_channels)])
    return grad_x, grad_weight, grad_bias


# ---------------------------------------------------------------------------------------------
# Pooling: loops (no padding; stride defaults to the kernel size)
# ---------------------------------------------------------------------------------------------


def pool_windows(shape, kernel_size, stride):
    """Yield (i, j, [(h, w), ...]) for every window of a 2D pooling, taps in row-major order."""
    kh, kw = as_pair(kernel_size)
    sh, sw = as_pair(kernel_size if stride is None else stride)
    height, width = shape
    out_height = count_window_positions(height, kh, sh)
    out_width = count_window_positions(width, kw, sw)
    for i, j in itertools.product(range(out_height), range(out_width)):
        yield i, j, [(sh * i + m, sw * j + k) for m in range(kh) for k in range(kw)]


def _pool_output_shape(x_shape, kernel_size, stride):
    kh, kw = as_pair(kernel_size)
    sh, sw = as_pair(kernel_size if stride is None else stride)
    return (
        *x_shape[:2],
        count_window_positions(x_shape[2], kh, sh),
        count_window_positions(x_shape[3], kw, sw),
    )


def first_argmax(values) -> int:
    """Index of the first largest value (ties go to the earliest), scanning left to right."""
    best = 0
    for index, value in enumerate(values):
        if value > values[best]:
            best = index
    return best


def _pool2d_loops(x, kernel_size, stride, reduce: Callable[[list[float]], float]) -> np.ndarray:
    """(N, C, H, W) -> (N, C, H_out, W_out): reduce(the values of each window)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.zeros(_pool_output_shape(x.shape, kernel_size, stride))
    for n, c in itertools.product(range(x.shape[0]), range(x.shape[1])):
        for i, j, taps in pool_windows(x.shape[2:], kernel_size, stride):
            y[n, c, i, j] = reduce([x[n, c, h, w] for h, w in taps])
    return y


def maxpool2d_loops(x, kernel_size, stride=None) -> np.ndarray:
    """(N, C, H, W) -> (N, C, H_out, W_out): the largest value of each window."""
    return _pool2d_loops(x, kernel_size, stride, max)


def maxpool2d_backward_loops(grad_out, x, kernel_size, stride=None) -> np.ndarray:
    """grad_x: each window sends its upstream gradient to its first maximum (row-major order);
    overlapping windows add up."""
    x = np.asarray(x, dtype=np.float64)
    grad_out = np.asarray(grad_out, dtype=np.float64)
    grad_x = np.zeros_like(x)
    for n, c in itertools.product(range(x.shape[0]), range(x.shape[1])):
        for i, j, taps in pool_windows(x.shape[2:], kernel_size, stride):
            h, w = taps[first_argmax([x[n, c, h, w] for h, w in taps])]
            grad_x[n, c, h, w] += grad_out[n, c, i, j]
    return grad_x


def avgpool2d_loops(x, kernel_size, stride=None) -> np.ndarray:
    """(N, C, H, W) -> (N, C, H_out, W_out): the mean of each window."""
    return _pool2d_loops(x, kernel_size, stride, lambda values: math.fsum(values) / len(values))


def avgpool2d_backward_loops(grad_out, x_shape, kernel_size, stride=None) -> np.ndarray:
    """grad_x: each window shares its upstream gradient equally among its KH*KW taps."""
    grad_out = np.asarray(grad_out, dtype=np.float64)
    grad_x = np.zeros(x_shape)
    for n, c in itertools.product(range(x_shape[0]), range(x_shape[1])):
        for i, j, taps in pool_windows(x_shape[2:], kernel_size, stride):
            for h, w in taps:
                grad_x[n, c, h, w] += grad_out[n, c, i, j] / len(taps)
    return grad_x


# A 1D pooling of (N, C, T) is the 2D pooling of (N, C, 1, T) with a (1, K) window.


def maxpool1d_loops(x, kernel_size, stride=None) -> np.ndarray:
    """(N, C, T) -> (N, C, T_out)."""
    stride_2d = None if stride is None else (1, stride)
    return maxpool2d_loops(np.asarray(x)[:, :, None, :], (1, kernel_size), stride_2d)[:, :, 0]


def maxpool1d_backward_loops(grad_out, x, kernel_size, stride=None) -> np.ndarray:
    """grad_x (N, C, T), ties to the first maximum, overlapping windows accumulate."""
    stride_2d = None if stride is None else (1, stride)
    return maxpool2d_backward_loops(
        np.asarray(grad_out)[:, :, None, :],
        np.asarray(x)[:, :, None, :],
        (1, kernel_size),
        stride_2d,
    )[:, :, 0]


# ---------------------------------------------------------------------------------------------
# Losses: loops over rows with math.fsum
# ---------------------------------------------------------------------------------------------


def _rows_along(array, axis):
    """View `array` as rows along `axis`: returns (rows (M, K), function back to the shape)."""
    moved = np.moveaxis(np.asarray(array, dtype=np.float64), axis, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    return rows, lambda result: np.moveaxis(result.reshape(moved.shape), -1, axis)


def log_softmax_loops(z, axis=-1) -> np.ndarray:
    """log_softmax(z)_i = z_i - log(sum_j exp(z_j)), with the row maximum factored out of the
    sum so that exp never overflows."""
    rows, back = _rows_along(z, axis)
    out = np.empty_like(rows)
    for r, row in enumerate(rows):
        largest = max(row)
        log_sum = largest + math.log(math.fsum(math.exp(v - largest) for v in row))
        out[r] = [v - log_sum for v in row]
    return back(out)


def log_softmax_backward_loops(grad_out, z, axis=-1) -> np.ndarray:
    """grad_z_j = sum_i grad_out_i * d log_softmax_i / d z_j = sum_i grad_out_i * (1[i=j] - p_j)."""
    probabilities, _ = _rows_along(np.exp(log_softmax_loops(z, axis)), axis)
    grad_rows, back = _rows_along(grad_out, axis)
    out = np.empty_like(grad_rows)
    for r, (g, p) in enumerate(zip(grad_rows, probabilities, strict=True)):
        size = len(g)
        out[r] = [math.fsum(g[i] * ((i == j) - p[j]) for i in range(size)) for j in range(size)]
    return back(out)


def nll_loss_loops(log_probs, targets) -> float:
    """-(1/N) sum_n log_probs[n, targets[n]]."""
    log_probs = np.asarray(log_probs, dtype=np.float64)
    return -math.fsum(log_probs[n, int(t)] for n, t in enumerate(targets)) / len(targets)


def nll_loss_backward_loops(log_probs, targets) -> np.ndarray:
    """d nll_loss / d log_probs: -1/N at each row's target, 0 elsewhere."""
    grad = np.zeros(np.shape(log_probs))
    for n, t in enumerate(targets):
        grad[n, int(t)] = -1.0 / len(targets)
    return grad


# ---------------------------------------------------------------------------------------------
# Numerical gradients (the tests' own helper; solutions.numerical_gradient is tested against
# analytic gradients, not trusted)
# ---------------------------------------------------------------------------------------------


def central_difference_gradient(
    loss: Callable[[np.ndarray], float], x, eps: float = CENTRAL_DIFFERENCE_EPS
) -> np.ndarray:
    """d loss / d x for every element of x, by (loss(x + eps e) - loss(x - eps e)) / (2 eps).

    Works on a float64 copy; x itself is never touched.
    """
    point = np.array(x, dtype=np.float64)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + eps
        upper = float(loss(point))
        point[index] = original - eps
        lower = float(loss(point))
        point[index] = original
        grad[index] = (upper - lower) / (2 * eps)
    return grad


def numerical_conv_gradients(forward: Callable, x, weight, bias, upstream, params: dict) -> dict:
    """Central-difference gradients of L = sum(upstream * forward(x, weight, bias, **params))
    with respect to x, weight and bias, in float64 -> {"grad_x": ..., "grad_weight": ...,
    "grad_bias": ...}.  A missing bias is differentiated at zero."""
    bias = np.zeros(np.shape(weight)[0]) if bias is None else bias
    variables = {
        "grad_x": (lambda v: forward(v, weight, bias, **params), x),
        "grad_weight": (lambda v: forward(x, v, bias, **params), weight),
        "grad_bias": (lambda v: forward(x, weight, v, **params), bias),
    }
    # L is linear in each of x, weight and bias, so central differences are exact for any eps;
    # a large eps divides the roundoff (~1e-16 * |L| / eps) by a thousand.
    return {
        name: central_difference_gradient(projected_loss(function, upstream), point, eps=1e-3)
        for name, (function, point) in variables.items()
    }


def projected_loss(function: Callable[[np.ndarray], np.ndarray], upstream) -> Callable:
    """L(x) = sum(upstream * function(x)): a scalar whose gradient is the backward pass of
    `function` applied to `upstream` (a random upstream gradient tests every output)."""
    upstream = np.asarray(upstream, dtype=np.float64)
    return lambda x: math.fsum((upstream * np.asarray(function(x), dtype=np.float64)).ravel())
