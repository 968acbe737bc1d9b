"""Oracle checks as plain functions: `check_x(implementation, case)` raises AssertionError when
the implementation disagrees with the oracles of tests/oracles.py.

The real tests pass the `solutions` functions; tests/solutions/test_mutants.py passes deliberately
wrong variants and asserts that these same checks reject them.  Besides the values, every check
asserts the contract's conventions: output shape, dtype kept (float32 stays float32, gradients
too), inputs not modified, outputs not sharing memory with inputs.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np
import pytest

from tests import oracles
from tests.oracles import (
    NUMERICAL_GRADIENT,
    assert_close,
    central_difference_gradient,
    count_window_positions,
    projected_loss,
    tolerance_for,
)
from tests.strategies import ConvCase, LogitsCase, NllCase, PoolCase, Unroll1dCase

# Where test_mutants leaves its "mutants caught: k/n" line for the terminal summary (conftest.py).
MUTANT_REPORT = pytest.StashKey[str]()

# ---------------------------------------------------------------------------------------------
# Conventions every function must follow
# ---------------------------------------------------------------------------------------------


def guarded_call(implementation: Callable, *args, **kwargs):
    """Call implementation(*args, **kwargs); assert that no array argument was modified and that
    no returned array shares memory with an argument.  Returns what the call returned."""
    inputs = [a for a in args if isinstance(a, np.ndarray)]
    copies = [a.copy() for a in inputs]
    result = implementation(*args, **kwargs)
    name = getattr(implementation, "__name__", repr(implementation))
    for position, (array, copy) in enumerate(zip(inputs, copies, strict=True)):
        if not np.array_equal(array, copy, equal_nan=True):
            raise AssertionError(f"{name} modified its array argument #{position}")
    outputs = result if isinstance(result, tuple) else (result,)
    for k, output in enumerate(outputs):
        for position, array in enumerate(inputs):
            if isinstance(output, np.ndarray) and np.shares_memory(output, array):
                raise AssertionError(
                    f"{name}: output #{k} shares memory with array argument #{position} "
                    "(return a new array, not a view)"
                )
    return result


def assert_array_like(got, dtype, shape, what: str) -> None:
    """got is an ndarray of exactly this dtype and shape."""
    if not isinstance(got, np.ndarray):
        raise AssertionError(f"{what}: returned {type(got).__name__}, expected numpy.ndarray")
    if got.dtype != np.dtype(dtype):
        raise AssertionError(
            f"{what}: dtype {got.dtype}, expected {np.dtype(dtype)} (keep the input dtype)"
        )
    if got.shape != tuple(shape):
        raise AssertionError(f"{what}: shape {got.shape}, expected {tuple(shape)}")


def assert_matches_oracle(got, expected, dtype, what: str) -> None:
    """dtype, shape and values of `got` against a float64 oracle result."""
    expected = np.asarray(expected)
    assert_array_like(got, dtype, expected.shape, what)
    assert_close(got, expected, tolerance_for(dtype), what)


def _float64(array):
    return None if array is None else np.asarray(array, dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# Chapter 1: unroll_1d, conv1d_unroll
# ---------------------------------------------------------------------------------------------


def check_unroll_1d(unroll_1d: Callable, case: Unroll1dCase) -> None:
    x, _ = case.arrays()
    got = guarded_call(unroll_1d, x, case.kernel_size)
    expected = oracles.unroll_1d_loops(x, case.kernel_size)
    assert_matches_oracle(got, expected, case.dtype, f"unroll_1d {case}")


def check_conv1d_unroll(conv1d_unroll: Callable, case: Unroll1dCase) -> None:
    x, weight = case.arrays()
    got = guarded_call(conv1d_unroll, x, weight)
    expected = oracles.conv1d_unroll_loops(x, weight)
    assert_matches_oracle(got, expected, case.dtype, f"conv1d_unroll {case}")


# ---------------------------------------------------------------------------------------------
# Output size
# ---------------------------------------------------------------------------------------------


def check_conv_output_size(
    conv_output_size: Callable, size, kernel_size, stride, padding, dilation
) -> None:
    """conv_output_size against counting the window placements one by one."""
    got = conv_output_size(size, kernel_size, stride=stride, padding=padding, dilation=dilation)
    expected = count_window_positions(size, kernel_size, stride, padding, dilation)
    what = (
        f"conv_output_size(size={size}, kernel_size={kernel_size}, stride={stride}, "
        f"padding={padding}, dilation={dilation})"
    )
    if not isinstance(got, numbers.Integral) or isinstance(got, bool):
        raise AssertionError(f"{what} returned {got!r} of type {type(got).__name__}, not an int")
    if got != expected:
        raise AssertionError(f"{what} = {got}, but {expected} windows fit")


# ---------------------------------------------------------------------------------------------
# Convolution, forward and backward (1D and 2D share the checks; the case knows its dims)
# ---------------------------------------------------------------------------------------------

LOOP_FORWARD = {1: oracles.conv1d_loops, 2: oracles.conv2d_loops}
SCIPY_FORWARD = {1: oracles.conv1d_scipy, 2: oracles.conv2d_scipy}
LOOP_BACKWARD = {1: oracles.conv1d_backward_loops, 2: oracles.conv2d_backward_loops}


def check_conv_forward(conv: Callable, case: ConvCase, oracle: str = "loops") -> None:
    """conv1d or conv2d (per case) against the loop oracle, or the scipy one (oracle="scipy")."""
    x, weight, bias, _ = case.arrays()
    got = guarded_call(conv, x, weight, bias, **case.params)
    dims = len(case.input_size)
    forward = (LOOP_FORWARD if oracle == "loops" else SCIPY_FORWARD)[dims]
    expected = forward(_float64(x), _float64(weight), _float64(bias), **case.params)
    assert_matches_oracle(got, expected, case.dtype, f"conv{dims}d vs {oracle} {case}")


def _backward_outputs(backward: Callable, case: ConvCase, upstream_dtype=None):
    """Call backward on the case; check it returns three arrays; name them."""
    x, weight, _, grad_out = case.arrays()
    if upstream_dtype is not None:
        x, weight, grad_out = (a.astype(upstream_dtype) for a in (x, weight, grad_out))
    result = guarded_call(backward, grad_out, x, weight, **case.params)
    if not (isinstance(result, tuple) and len(result) == 3):
        raise AssertionError(
            f"backward must return (grad_x, grad_weight, grad_bias), got "
            f"{type(result).__name__} {case}"
        )
    return (x, weight, grad_out), dict(
        zip(("grad_x", "grad_weight", "grad_bias"), result, strict=True)
    )


def check_conv_backward(backward: Callable, case: ConvCase) -> None:
    """conv1d_backward or conv2d_backward against the chain-rule loops."""
    (x, weight, grad_out), got = _backward_outputs(backward, case)
    dims = len(case.input_size)
    expected = LOOP_BACKWARD[dims](grad_out, x, weight, **case.params)
    for (name, value), oracle_value in zip(got.items(), expected, strict=True):
        assert_matches_oracle(
            value, oracle_value, case.dtype, f"conv{dims}d_backward {name} {case}"
        )


def check_conv_backward_numerically(backward: Callable, case: ConvCase) -> None:
    """The three gradients against central differences of the scipy forward, in float64, for
    L = sum(R * conv(x, weight, bias)) with the case's random upstream gradient R."""
    (x, weight, grad_out), got = _backward_outputs(backward, case, upstream_dtype=np.float64)
    _, _, bias, _ = case.arrays()
    dims = len(case.input_size)
    numeric = oracles.numerical_conv_gradients(
        SCIPY_FORWARD[dims], x, weight, _float64(bias), grad_out, case.params
    )
    for name, expected in numeric.items():
        assert_array_like(got[name], np.float64, expected.shape, f"{name} {case}")
        assert_close(
            got[name],
            expected,
            NUMERICAL_GRADIENT,
            f"conv{dims}d_backward {name} vs numerical {case}",
        )


def check_unroll_2d(unroll_2d: Callable, case: ConvCase) -> None:
    """unroll_2d's layout against the loops, and unroll_2d(x) @ weight.reshape(O, -1).T against
    conv2d's loops (the reason for the layout)."""
    x, weight, _, _ = case.arrays()
    got = guarded_call(unroll_2d, x, case.kernel_size, **case.params)
    expected = oracles.unroll_2d_loops(x, case.kernel_size, **case.params)
    assert_matches_oracle(got, expected, case.dtype, f"unroll_2d {case}")
    product = got.astype(np.float64) @ weight.reshape(case.out_channels, -1).T.astype(np.float64)
    y = product.transpose(0, 2, 1).reshape(case.batch, case.out_channels, *case.output_size)
    expected_y = oracles.conv2d_loops(_float64(x), _float64(weight), **case.params)
    assert_close(
        y,
        expected_y,
        tolerance_for(case.dtype),
        f"unroll_2d(x) @ weight.reshape(O, -1).T vs conv2d loops {case}",
    )


def check_input_gradient(grad_input: Callable, case: ConvCase) -> None:
    """One formulation of solutions.input_gradient: (grad_out, x_shape, weight, ...) -> grad_x."""
    x, weight, _, grad_out = case.arrays()
    got = guarded_call(grad_input, grad_out, x.shape, weight, **case.params)
    expected, _, _ = oracles.conv2d_backward_loops(grad_out, x, weight, **case.params)
    name = getattr(grad_input, "__name__", "grad_input")
    assert_matches_oracle(got, expected, case.dtype, f"{name} {case}")


# ---------------------------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------------------------

POOL_FORWARD = {
    ("max", 1): oracles.maxpool1d_loops,
    ("max", 2): oracles.maxpool2d_loops,
    ("avg", 2): oracles.avgpool2d_loops,
}


def _pool_backward_oracle(kind: str, dims: int, grad_out, x, kernel_size, stride):
    if kind == "avg":
        return oracles.avgpool2d_backward_loops(grad_out, x.shape, kernel_size, stride)
    backward = oracles.maxpool1d_backward_loops if dims == 1 else oracles.maxpool2d_backward_loops
    return backward(grad_out, x, kernel_size, stride)


def check_pool_forward(pool: Callable, case: PoolCase, kind: str) -> None:
    """maxpool1d / maxpool2d / avgpool2d (kind "max" or "avg") against the loops."""
    x, _ = case.arrays()
    dims = len(case.input_size)
    got = guarded_call(pool, x, case.kernel_size, **case.params)
    expected = POOL_FORWARD[kind, dims](x, case.kernel_size, case.stride)
    assert_matches_oracle(got, expected, case.dtype, f"{kind}pool{dims}d {case}")


def check_pool_backward(pool_backward: Callable, case: PoolCase, kind: str) -> None:
    """The pooling gradient against the loops (ties to the first maximum, overlaps add up)."""
    x, grad_out = case.arrays()
    dims = len(case.input_size)
    got = guarded_call(pool_backward, grad_out, x, case.kernel_size, **case.params)
    expected = _pool_backward_oracle(kind, dims, grad_out, x, case.kernel_size, case.stride)
    assert_matches_oracle(got, expected, case.dtype, f"{kind}pool{dims}d_backward {case}")


def check_pool_backward_numerically(pool_backward: Callable, case: PoolCase, kind: str) -> None:
    """The pooling gradient against central differences of the loop forward (float64, no ties:
    max pooling has no derivative where two inputs tie)."""
    continuous = PoolCase(**{**case.__dict__, "ties": False, "dtype": "float64"})
    x, grad_out = continuous.arrays()
    got = guarded_call(pool_backward, grad_out, x, case.kernel_size, **case.params)
    forward = POOL_FORWARD[kind, len(case.input_size)]
    loss = projected_loss(lambda v: forward(v, case.kernel_size, case.stride), grad_out)
    assert_close(
        got,
        central_difference_gradient(loss, x),
        NUMERICAL_GRADIENT,
        f"{kind}pool backward vs numerical {continuous}",
    )


# ---------------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------------


def check_log_softmax(log_softmax: Callable, case: LogitsCase) -> None:
    z, _ = case.arrays()
    got = guarded_call(log_softmax, z, axis=case.axis)
    assert_matches_oracle(
        got, oracles.log_softmax_loops(z, case.axis), case.dtype, f"log_softmax {case}"
    )


def check_log_softmax_backward(log_softmax_backward: Callable, case: LogitsCase) -> None:
    z, grad_out = case.arrays()
    got = guarded_call(log_softmax_backward, grad_out, z, axis=case.axis)
    expected = oracles.log_softmax_backward_loops(grad_out, z, case.axis)
    assert_matches_oracle(got, expected, case.dtype, f"log_softmax_backward {case}")


def check_nll_loss(nll_loss: Callable, case: NllCase) -> None:
    log_probs, targets = case.arrays()
    got = guarded_call(nll_loss, log_probs, targets)
    what = f"nll_loss {case}"
    if np.ndim(got) != 0:
        raise AssertionError(f"{what}: returned shape {np.shape(got)}, expected a scalar")
    if np.asarray(got).dtype != np.dtype(case.dtype):
        raise AssertionError(f"{what}: dtype {np.asarray(got).dtype}, expected {case.dtype}")
    assert_close(
        np.asarray(got), oracles.nll_loss_loops(log_probs, targets), tolerance_for(case.dtype), what
    )


def check_nll_loss_backward(nll_loss_backward: Callable, case: NllCase) -> None:
    log_probs, targets = case.arrays()
    got = guarded_call(nll_loss_backward, log_probs, targets)
    assert_matches_oracle(
        got,
        oracles.nll_loss_backward_loops(log_probs, targets),
        case.dtype,
        f"nll_loss_backward {case}",
    )


# ---------------------------------------------------------------------------------------------
# numerical_gradient: against analytic gradients of known functions
# ---------------------------------------------------------------------------------------------

_rng = np.random.default_rng(2024)
_UPSTREAM = _rng.standard_normal((3, 4))
_MATRIX = _rng.standard_normal((4, 2))

# name -> (function, its analytic gradient, shape of x)
KNOWN_GRADIENTS = {
    "sum(x**3)": (lambda x: np.sum(x**3), lambda x: 3 * x**2, (7,)),
    "sum(R*sin(x))": (
        lambda x: np.sum(_UPSTREAM * np.sin(x)),
        lambda x: _UPSTREAM * np.cos(x),
        (3, 4),
    ),
    "logsumexp(x)": (
        lambda x: np.log(np.sum(np.exp(x))),
        lambda x: np.exp(x) / np.sum(np.exp(x)),
        (2, 3, 2),
    ),
    "sum(R*(x@A))": (
        lambda x: np.sum(_UPSTREAM[:, :2] * (x @ _MATRIX)),
        lambda x: _UPSTREAM[:, :2] @ _MATRIX.T,
        (3, 4),
    ),
}


def check_numerical_gradient(numerical_gradient: Callable, name: str) -> None:
    """numerical_gradient(f, x) against the analytic gradient of a known f; x left untouched and
    f always called with an array of x's shape."""
    function, gradient, shape = KNOWN_GRADIENTS[name]
    x = np.random.default_rng(len(name)).standard_normal(shape)
    seen_shapes = set()

    def recorded(v):
        seen_shapes.add(np.shape(v))
        return function(v)

    got = guarded_call(numerical_gradient, recorded, x)
    if seen_shapes != {shape}:
        raise AssertionError(
            f"numerical_gradient called f with shapes {seen_shapes}, expected {shape}"
        )
    assert_array_like(got, np.float64, shape, f"numerical_gradient of {name}")
    assert_close(got, gradient(x), NUMERICAL_GRADIENT, f"numerical_gradient of {name}")


def check_numerical_gradient_is_central(numerical_gradient: Callable) -> None:
    """For f = sum(x**3), ((x+e)^3 - (x-e)^3) / (2e) = 3x^2 + e^2 exactly: with a large eps the
    result shows whether eps is used and the difference is central (a forward difference gives
    3x^2 + 3xe + e^2)."""
    x = np.linspace(-2.0, 2.0, 9)
    eps = 1e-2
    got = numerical_gradient(lambda v: np.sum(v**3), x, eps=eps)
    assert_close(
        got,
        3 * x**2 + eps**2,
        NUMERICAL_GRADIENT,
        "numerical_gradient(eps=1e-2) of sum(x**3), expected 3x^2 + eps^2",
    )
