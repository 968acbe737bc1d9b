"""log_softmax, nll_loss and their gradients against fsum loops and numerical gradients."""

import numpy as np
import pytest
from hypothesis import given, settings

from solutions.losses import log_softmax, log_softmax_backward, nll_loss, nll_loss_backward
from tests import oracles
from tests.oracles import NUMERICAL_GRADIENT, assert_close, central_difference_gradient
from tests.solutions.checks import (
    check_log_softmax,
    check_log_softmax_backward,
    check_nll_loss,
    check_nll_loss_backward,
)
from tests.strategies import (
    LOGITS_EXAMPLES,
    NLL_EXAMPLES,
    LogitsCase,
    logits_cases,
    nll_cases,
    with_examples,
)


@settings(max_examples=50)
@with_examples(LOGITS_EXAMPLES)
@given(case=logits_cases())
def test_log_softmax_matches_loops(case):
    check_log_softmax(log_softmax, case)


@settings(max_examples=50)
@with_examples(LOGITS_EXAMPLES)
@given(case=logits_cases())
def test_log_softmax_backward_matches_loops(case):
    check_log_softmax_backward(log_softmax_backward, case)


def test_log_softmax_backward_matches_numerical_gradient():
    case = LogitsCase((3, 5), axis=1, seed=91)
    z, upstream = case.arrays()
    loss = oracles.projected_loss(lambda v: oracles.log_softmax_loops(v, case.axis), upstream)
    assert_close(
        log_softmax_backward(upstream, z, axis=case.axis),
        central_difference_gradient(loss, z),
        NUMERICAL_GRADIENT,
        "log_softmax_backward",
    )


def test_log_softmax_of_huge_logits_by_hand():
    # exp(1e4) overflows float64; after subtracting the maximum the row is [0, -1e4, -2e4] and
    # log(1 + e^-1e4 + e^-2e4) rounds to 0 exactly.
    for dtype in (np.float32, np.float64):
        z = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]], dtype=dtype)
        got = log_softmax(z)
        np.testing.assert_allclose(got[0], [0.0, -1e4, -2e4], rtol=1e-6)
        np.testing.assert_allclose(got[1], np.full(3, -np.log(3)), rtol=1e-6)
        grad = log_softmax_backward(np.ones_like(z), z)
        assert np.all(np.isfinite(grad)) and grad.dtype == dtype
        # sum of upstream ones is 3 per row: grad = 1 - 3 * softmax
        np.testing.assert_allclose(grad[0], [-2.0, 1.0, 1.0], atol=1e-6)


@settings(max_examples=40)
@with_examples(NLL_EXAMPLES)
@given(case=nll_cases())
def test_nll_loss_matches_loops(case):
    check_nll_loss(nll_loss, case)


@settings(max_examples=40)
@with_examples(NLL_EXAMPLES)
@given(case=nll_cases())
def test_nll_loss_backward_matches_loops(case):
    check_nll_loss_backward(nll_loss_backward, case)


def test_nll_loss_by_hand():
    # mean of -log p[target]: -(log 0.5 + log 0.25) / 2 = (log 2 + log 4) / 2 = 1.5 log 2
    log_probs = np.log(np.array([[0.5, 0.5, 0.0 + 1e-300], [0.25, 0.5, 0.25]]))
    assert nll_loss(log_probs, np.array([1, 2])) == pytest.approx(1.5 * np.log(2), rel=1e-12)
    np.testing.assert_array_equal(
        nll_loss_backward(log_probs, np.array([1, 2])), [[0.0, -0.5, 0.0], [0.0, 0.0, -0.5]]
    )
