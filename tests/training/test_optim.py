"""SGD and Adam against update rules worked out by hand (numbers in the comments)."""

import math

import numpy as np
import pytest

from solutions.layers import Parameter
from solutions.optim import SGD, Adam


def parameter(value, grad):
    p = Parameter(np.array(value, dtype=np.float64))
    p.grad = np.array(grad, dtype=np.float64)
    return p


def test_sgd_plain_step():
    p = parameter([1.0, -2.0], [0.5, 0.25])
    SGD([p], lr=0.1).step()
    # value - lr * grad = [1 - 0.05, -2 - 0.025]
    np.testing.assert_allclose(p.value, [0.95, -2.025], rtol=1e-12)


def test_sgd_momentum_accumulates_velocity():
    p = parameter([1.0, -2.0], [0.5, 0.25])
    optimizer = SGD([p], lr=0.1, momentum=0.9)
    optimizer.step()  # velocity = g = [0.5, 0.25] -> [0.95, -2.025]
    optimizer.step()  # velocity = 0.9 g + g = [0.95, 0.475] -> [0.95 - 0.095, -2.025 - 0.0475]
    np.testing.assert_allclose(p.value, [0.855, -2.0725], rtol=1e-12)


def test_sgd_weight_decay_adds_l2_gradient():
    p = parameter([1.0, -2.0], [0.5, 0.25])
    SGD([p], lr=0.1, weight_decay=0.1).step()
    # g + 0.1 * value = [0.6, 0.05] -> [1 - 0.06, -2 - 0.005]
    np.testing.assert_allclose(p.value, [0.94, -2.005], rtol=1e-12)


def test_adam_first_step_moves_by_lr_times_sign():
    p = parameter([1.0, -2.0], [0.5, 0.25])
    Adam([p], lr=0.1).step()
    # bias-corrected m_hat = g, v_hat = g^2, so the step is lr * g / (|g| + eps)
    np.testing.assert_allclose(p.value, [1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 - 0.1 * 0.25 / 0.25])


def test_adam_eps_is_added_after_the_square_root():
    p = parameter([0.0], [1e-8])
    Adam([p], lr=0.1, eps=1e-8).step()
    # lr * g / (sqrt(g^2) + eps) = 0.1 * 1e-8 / (1e-8 + 1e-8) = 0.05
    np.testing.assert_allclose(p.value, [-0.05], rtol=1e-6)


def test_adam_second_step_uses_running_moments():
    p = parameter([1.0, -2.0], [0.5, 0.25])
    optimizer = Adam([p], lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    optimizer.step()
    p.grad = np.array([-1.0, 0.25])
    optimizer.step()
    # m = 0.9 * [0.05, 0.025] + 0.1 * [-1, 0.25] = [-0.055, 0.0475]
    # v = 0.999 * [0.00025, 0.0000625] + 0.001 * [1, 0.0625] = [0.00124975, 0.0001249375]
    # m_hat = m / (1 - 0.9^2) = m / 0.19, v_hat = v / (1 - 0.999^2) = v / 0.001999
    expected = [
        0.9 - 0.1 * (-0.055 / 0.19) / (math.sqrt(0.00124975 / 0.001999) + 1e-8),
        -2.1 - 0.1 * (0.0475 / 0.19) / (math.sqrt(0.0001249375 / 0.001999) + 1e-8),
    ]
    np.testing.assert_allclose(p.value, expected, rtol=1e-7)


def test_adam_weight_decay_enters_the_gradient():
    p = parameter([1.0, -2.0], [0.5, 0.25])
    Adam([p], lr=0.1, weight_decay=1.0).step()
    # g + value = [1.5, -1.75]: the second component now moves up
    np.testing.assert_allclose(p.value, [0.9, -1.9], rtol=1e-7)


@pytest.mark.parametrize("optimizer_class", [SGD, Adam])
def test_step_updates_in_place_and_keeps_dtype(optimizer_class):
    p = Parameter(np.ones(3, np.float32))
    p.grad = np.full(3, 0.5, np.float32)
    value = p.value
    optimizer_class([p], lr=0.1).step()
    assert p.value is value  # the layer holding this array sees the update
    assert p.value.dtype == np.float32
    assert np.all(p.value < 1)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: SGD([], lr=0.1), "SGD: got an empty parameter list"),
        (lambda p: SGD(p, lr=0.0), "SGD: lr must be"),
        (lambda p: SGD(p, lr=0.1, momentum=1.0), r"SGD: momentum must be in \[0.0, 1.0\)"),
        (lambda p: Adam(p, betas=(0.9, 1.5)), r"Adam: betas\[1\] must be in"),
        (lambda p: Adam(p, weight_decay=-1), "Adam: weight_decay must be >= 0"),
    ],
)
def test_invalid_settings_raise(build, message):
    with pytest.raises(ValueError, match=message):
        build([Parameter(np.zeros(2))])
