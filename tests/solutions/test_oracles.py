"""The oracles checked against each other before anything is compared with them.

Loops against scipy.signal.correlate, against numpy's sliding windows and scipy.special, and the
backward loops against central differences of the forward oracles.  None of this imports
`solutions`: if these fail, the oracle is wrong, not the package.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view
from scipy import special

from tests import oracles
from tests.oracles import NUMERICAL_GRADIENT, assert_close, central_difference_gradient
from tests.strategies import (
    LOGITS_EXAMPLES,
    ConvCase,
    PoolCase,
    conv_cases,
    logits_cases,
    output_size_arguments,
    pool_cases,
)


def test_seed_example_by_hand():
    # unroll([1..6], K=3) rows: [1,2,3] [2,3,4] [3,4,5] [4,5,6] [5,6,0] [6,0,0]; dotted with
    # [5,2,3]: 5+4+9=18, 10+6+12=28, 15+8+15=38, 20+10+18=48, 25+12+0=37, 30+0+0=30.
    unrolled = oracles.unroll_1d_loops([1, 2, 3, 4, 5, 6], 3)
    assert unrolled.tolist() == [[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 0], [6, 0, 0]]
    assert oracles.conv1d_unroll_loops([1, 2, 3, 4, 5, 6], [5, 2, 3]).tolist() == [
        18,
        28,
        38,
        48,
        37,
        30,
    ]


@given(arguments=output_size_arguments())
def test_window_count_matches_range_length(arguments):
    size, kernel_size, stride, padding, dilation = arguments
    last_start = size + 2 * padding - dilation * (kernel_size - 1)  # exclusive
    expected = len(range(0, max(last_start, 0), stride))
    assert oracles.count_window_positions(*arguments) == expected


def _as_float64(case: ConvCase):
    return tuple(None if a is None else a.astype(np.float64) for a in case.arrays())


@settings(max_examples=60)
@given(case=conv_cases(dims=1))
def test_conv1d_loops_match_scipy(case):
    x, weight, bias, _ = _as_float64(case)
    assert_close(
        oracles.conv1d_loops(x, weight, bias, **case.params),
        oracles.conv1d_scipy(x, weight, bias, **case.params),
        oracles.FLOAT64_VS_LOOPS,
        f"conv1d loops vs scipy {case}",
    )


@settings(max_examples=60)
@given(case=conv_cases(dims=2))
def test_conv2d_loops_match_scipy(case):
    x, weight, bias, _ = _as_float64(case)
    assert_close(
        oracles.conv2d_loops(x, weight, bias, **case.params),
        oracles.conv2d_scipy(x, weight, bias, **case.params),
        oracles.FLOAT64_VS_LOOPS,
        f"conv2d loops vs scipy {case}",
    )


@settings(max_examples=30)
@given(case=conv_cases(dims=2))
def test_unroll_2d_loops_times_weight_is_conv2d(case):
    x, weight, bias, _ = _as_float64(case)
    columns = oracles.unroll_2d_loops(x, case.kernel_size, **case.params)
    y = columns @ weight.reshape(case.out_channels, -1).T  # (N, H_out*W_out, O)
    y = y.transpose(0, 2, 1).reshape(case.batch, case.out_channels, *case.output_size)
    assert_close(
        y,
        oracles.conv2d_scipy(x, weight, None, **case.params),
        oracles.FLOAT64_VS_LOOPS,
        f"unroll_2d loops @ weight {case}",
    )


def _check_backward_loops_numerically(forward, backward, case: ConvCase):
    x, weight, bias, upstream = _as_float64(case)
    analytic = dict(
        zip(
            ("grad_x", "grad_weight", "grad_bias"),
            backward(upstream, x, weight, **case.params),
            strict=True,
        )
    )
    numeric = oracles.numerical_conv_gradients(forward, x, weight, bias, upstream, case.params)
    for name, expected in numeric.items():
        assert_close(analytic[name], expected, NUMERICAL_GRADIENT, f"{name} loops {case}")


@settings(max_examples=25)
@given(case=conv_cases(dims=1))
def test_conv1d_backward_loops_match_numerical_gradient(case):
    _check_backward_loops_numerically(oracles.conv1d_scipy, oracles.conv1d_backward_loops, case)


@settings(max_examples=15)
@given(case=conv_cases(dims=2, max_kernel=3, max_extra=3))
def test_conv2d_backward_loops_match_numerical_gradient(case):
    _check_backward_loops_numerically(oracles.conv2d_scipy, oracles.conv2d_backward_loops, case)


def _windows_2d(x, case: PoolCase):
    """(N, C, H_out, W_out, KH, KW) windows with numpy's sliding_window_view (no loops)."""
    kernel = oracles.as_pair(case.kernel_size)
    stride = oracles.as_pair(case.kernel_size if case.stride is None else case.stride)
    windows = sliding_window_view(x, kernel, axis=(2, 3))
    return windows[:, :, :: stride[0], :: stride[1]]


def _as_2d(case: PoolCase, x):
    """A 1D pooling case as its 2D equivalent: (N, C, 1, T) with (1, K) windows."""
    if len(case.input_size) == 2:
        return case, x
    stride = None if case.stride is None else (1, case.stride)
    flat = PoolCase(
        case.batch,
        case.channels,
        (1, *case.input_size),
        (1, case.kernel_size),
        stride,
        case.dtype,
        case.ties,
        case.seed,
    )
    return flat, x[:, :, None, :]


@settings(max_examples=40)
@given(case=st.one_of(pool_cases(dims=1), pool_cases(dims=2)))
def test_pooling_loops_match_sliding_windows(case):
    x, _ = case.arrays()
    x = x.astype(np.float64)
    flat_case, flat_x = _as_2d(case, x)
    windows = _windows_2d(flat_x, flat_case)
    if len(case.input_size) == 1:
        expected_max = windows.max(axis=(-2, -1))[:, :, 0]
        got_max = oracles.maxpool1d_loops(x, case.kernel_size, case.stride)
    else:
        expected_max = windows.max(axis=(-2, -1))
        got_max = oracles.maxpool2d_loops(x, case.kernel_size, case.stride)
        assert_close(
            oracles.avgpool2d_loops(x, case.kernel_size, case.stride),
            windows.mean(axis=(-2, -1)),
            oracles.FLOAT64_VS_LOOPS,
            f"avg {case}",
        )
    assert_close(got_max, expected_max, oracles.FLOAT64_VS_LOOPS, f"max {case}")


@settings(max_examples=30)
@given(case=st.one_of(pool_cases(dims=1), pool_cases(dims=2)))
def test_pooling_backward_loops_match_numerical_gradient(case):
    # Ties make max pooling non-differentiable, so numerical checks use continuous inputs.
    x, upstream = PoolCase(**{**case.__dict__, "ties": False}).arrays()
    x, upstream = x.astype(np.float64), upstream.astype(np.float64)
    kernel, stride = case.kernel_size, case.stride
    if len(case.input_size) == 1:
        pairs = {
            "max": (
                oracles.maxpool1d_loops,
                oracles.maxpool1d_backward_loops(upstream, x, kernel, stride),
            )
        }
    else:
        pairs = {
            "max": (
                oracles.maxpool2d_loops,
                oracles.maxpool2d_backward_loops(upstream, x, kernel, stride),
            ),
            "avg": (
                oracles.avgpool2d_loops,
                oracles.avgpool2d_backward_loops(upstream, x.shape, kernel, stride),
            ),
        }
    for name, (forward, analytic) in pairs.items():
        loss = oracles.projected_loss(lambda v, f=forward: f(v, kernel, stride), upstream)
        assert_close(
            analytic,
            central_difference_gradient(loss, x),
            NUMERICAL_GRADIENT,
            f"{name}pool backward loops {case}",
        )


def test_maxpool_backward_loops_send_ties_to_first_maximum():
    x = np.array([[[[1.0, 3.0, 3.0], [3.0, 0.0, 3.0]]]])  # window 2x3, four equal maxima
    grad = oracles.maxpool2d_backward_loops(np.array([[[[5.0]]]]), x, (2, 3))
    assert grad.tolist() == [[[[0.0, 5.0, 0.0], [0.0, 0.0, 0.0]]]]
    # windows of 2, stride 1, over [1, 3, 3, 1]: [1,3] and the tie [3,3] both pick index 1
    # (so their gradients add up), [3,1] picks index 2
    grad_1d = oracles.maxpool1d_backward_loops(
        np.array([[[1.0, 10.0, 100.0]]]), np.array([[[1.0, 3.0, 3.0, 1.0]]]), 2, 1
    )
    assert grad_1d.tolist() == [[[0.0, 11.0, 100.0, 0.0]]]


@settings(max_examples=40)
@given(case=logits_cases())
def test_log_softmax_loops_match_scipy(case):
    z, _ = case.arrays()
    z = z.astype(np.float64)
    assert_close(
        oracles.log_softmax_loops(z, case.axis),
        special.log_softmax(z, axis=case.axis),
        oracles.FLOAT64_VS_LOOPS,
        f"log_softmax loops {case}",
    )


@pytest.mark.parametrize("case", [c for c in LOGITS_EXAMPLES if c.scale == 1.0], ids=repr)
def test_log_softmax_backward_loops_match_numerical_gradient(case):
    z, upstream = (a.astype(np.float64) for a in case.arrays())
    loss = oracles.projected_loss(lambda v: oracles.log_softmax_loops(v, case.axis), upstream)
    assert_close(
        oracles.log_softmax_backward_loops(upstream, z, case.axis),
        central_difference_gradient(loss, z),
        NUMERICAL_GRADIENT,
        f"{case}",
    )


def test_nll_loops_match_fancy_indexing_and_numerical_gradient():
    rng = np.random.default_rng(7)
    log_probs = special.log_softmax(rng.standard_normal((5, 4)), axis=1)
    targets = np.array([0, 3, 3, 1, 2])
    expected = -np.mean(log_probs[np.arange(5), targets])
    assert oracles.nll_loss_loops(log_probs, targets) == pytest.approx(expected, rel=1e-12)
    numeric = central_difference_gradient(lambda v: oracles.nll_loss_loops(v, targets), log_probs)
    assert_close(
        oracles.nll_loss_backward_loops(log_probs, targets),
        numeric,
        NUMERICAL_GRADIENT,
        "nll_loss backward loops",
    )


def test_central_difference_matches_analytic_gradient():
    x = np.random.default_rng(8).standard_normal((3, 4))
    assert_close(
        central_difference_gradient(lambda v: np.sum(v**3), x),
        3 * x**2,
        NUMERICAL_GRADIENT,
        "d sum(x^3)",
    )


def test_assert_close_rejects_shape_nan_and_error():
    with pytest.raises(AssertionError, match="shape"):
        assert_close(np.zeros(3), np.zeros(4), oracles.FLOAT64_VS_LOOPS, "shape")
    with pytest.raises(AssertionError, match="non-finite"):
        assert_close(np.array([np.nan]), np.zeros(1), oracles.FLOAT64_VS_LOOPS, "nan")
    with pytest.raises(AssertionError, match="index"):
        assert_close(
            np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-6]), oracles.FLOAT64_VS_LOOPS, "value"
        )
