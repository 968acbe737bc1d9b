"""Layers of solutions.layers against independent oracles.

Forward: the loop oracles of tests/oracles.py.  Backward: central differences of
L = sum(upstream * layer.forward(x)) over whole tensors, in float64, with a random upstream
gradient, for the input and for every parameter.
"""

import numpy as np
import pytest

from solutions.layers import (
    AvgPool2d,
    Conv1d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool1d,
    MaxPool2d,
    Parameter,
    ReLU,
    Sequential,
)
from solutions.pooling import maxpool2d, maxpool2d_backward
from tests.oracles import (
    FLOAT64_VS_LOOPS,
    NUMERICAL_GRADIENT,
    assert_close,
    avgpool2d_loops,
    central_difference_gradient,
    conv1d_loops,
    conv2d_loops,
    maxpool1d_loops,
    maxpool2d_backward_loops,
    maxpool2d_loops,
    projected_loss,
)

F64 = {"dtype": np.float64}


def random_input(shape, seed=1):
    """Gaussian float64 input; values far from 0 and from each other so that ReLU kinks and
    max-pool ties are never within the finite-difference step."""
    return np.random.default_rng(seed).standard_normal(shape)


def check_layer_gradients(layer, x, seed=2):
    """Compare layer.backward with central differences for x and every parameter."""
    y = layer.forward(x)
    upstream = np.random.default_rng(seed).standard_normal(y.shape)
    grad_x = layer.backward(upstream)
    loss_of_x = projected_loss(layer.forward, upstream)
    assert_close(grad_x, central_difference_gradient(loss_of_x, x), NUMERICAL_GRADIENT, "grad_x")
    for index, parameter in enumerate(layer.parameters()):
        analytic = parameter.grad.copy()
        original = parameter.value.copy()

        def loss_of_parameter(value, parameter=parameter):
            parameter.value[...] = value
            return projected_loss(layer.forward, upstream)(x)

        numeric = central_difference_gradient(loss_of_parameter, original)
        parameter.value[...] = original
        assert_close(analytic, numeric, NUMERICAL_GRADIENT, f"parameter {index} grad")


LAYER_CASES = {
    "conv1d": (lambda: Conv1d(2, 3, 3, stride=2, padding=1, dilation=2, **F64), (2, 2, 9)),
    "conv2d": (
        lambda: Conv2d(2, 3, (2, 3), stride=(2, 1), padding=(1, 0), dilation=(1, 2), **F64),
        (2, 2, 5, 7),
    ),
    "maxpool1d overlapping": (lambda: MaxPool1d(3, stride=2), (2, 3, 9)),
    "maxpool2d": (lambda: MaxPool2d(2), (2, 2, 4, 6)),
    "maxpool2d overlapping": (lambda: MaxPool2d((3, 2), stride=(2, 1)), (1, 2, 7, 5)),
    "avgpool2d": (lambda: AvgPool2d(2, stride=1), (2, 2, 3, 4)),
    "relu": (lambda: ReLU(), (3, 4, 5)),
    "flatten": (lambda: Flatten(), (2, 3, 2, 2)),
    "linear": (lambda: Linear(6, 4, **F64), (5, 6)),
}


@pytest.mark.parametrize("name", LAYER_CASES)
def test_backward_matches_numerical_gradient(name):
    make_layer, shape = LAYER_CASES[name]
    check_layer_gradients(make_layer(), random_input(shape))


def test_sequential_backward_matches_numerical_gradient():
    rng = np.random.default_rng(3)
    net = Sequential(
        Conv2d(1, 3, 3, padding=1, rng=rng, **F64),
        ReLU(),
        MaxPool2d(2),
        Conv2d(3, 2, 2, rng=rng, **F64),
        ReLU(),
        Flatten(),
        Linear(2 * 2 * 2, 3, rng=rng, **F64),
    )
    check_layer_gradients(net, random_input((2, 1, 6, 6)))


def test_sequential_runs_layers_in_order_and_collects_parameters():
    first, second = Linear(4, 3), Linear(3, 2)
    net = Sequential(first, ReLU(), second)
    assert net.layers[0] is first and net.layers[2] is second
    assert net.parameters() == [first.weight, first.bias, second.weight, second.bias]
    x = random_input((5, 4)).astype(np.float32)
    expected = np.maximum(x @ first.weight.value.T + first.bias.value, 0)
    expected = expected @ second.weight.value.T + second.bias.value
    np.testing.assert_allclose(net.forward(x), expected, rtol=1e-5, atol=1e-6)


CONV_FORWARD_CASES = [
    (Conv1d, conv1d_loops, (2, 3, 11), {"stride": 2, "padding": 2, "dilation": 1}, 4),
    (Conv2d, conv2d_loops, (2, 2, 6, 5), {"stride": (1, 2), "padding": 1, "dilation": 2}, (2, 3)),
]


@pytest.mark.parametrize(("layer_class", "oracle", "shape", "hyper", "kernel"), CONV_FORWARD_CASES)
def test_conv_forward_matches_loops(layer_class, oracle, shape, hyper, kernel):
    layer = layer_class(shape[1], 3, kernel, rng=np.random.default_rng(4), **hyper, **F64)
    layer.bias.value[...] = [0.5, -1.0, 2.0]
    x = random_input(shape)
    expected = oracle(x, layer.weight.value, layer.bias.value, **hyper)
    assert_close(layer.forward(x), expected, FLOAT64_VS_LOOPS, layer_class.__name__)


@pytest.mark.parametrize(
    ("layer", "oracle", "shape"),
    [
        (MaxPool1d(3, stride=2), lambda x: maxpool1d_loops(x, 3, 2), (2, 2, 9)),
        (MaxPool2d(2), lambda x: maxpool2d_loops(x, 2), (2, 3, 6, 4)),
        (AvgPool2d(3, stride=2), lambda x: avgpool2d_loops(x, 3, 2), (1, 2, 7, 7)),
    ],
    ids=["maxpool1d", "maxpool2d", "avgpool2d"],
)
def test_pool_forward_matches_loops(layer, oracle, shape):
    x = random_input(shape)
    assert_close(layer.forward(x), oracle(x), FLOAT64_VS_LOOPS, repr(layer))


@pytest.mark.parametrize(
    ("kernel_size", "stride", "shape"),
    [
        (2, None, (2, 3, 6, 8)),
        (2, None, (1, 2, 5, 7)),
        ((3, 2), (2, 1), (2, 2, 7, 5)),
        (3, 1, (1, 1, 5, 5)),
    ],
)
def test_maxpool2d_layer_matches_functional_reference_with_ties(kernel_size, stride, shape):
    """The layer (it calls solutions.pooling) against the functional op and the loop oracle.
    Small integers make ties frequent: the first maximum (row-major) must get the gradient."""
    rng = np.random.default_rng(5)
    x = rng.integers(0, 3, shape).astype(np.float32)
    layer = MaxPool2d(kernel_size, stride)
    y = layer.forward(x)
    np.testing.assert_array_equal(y, maxpool2d(x, kernel_size, stride))
    grad_out = rng.standard_normal(y.shape).astype(np.float32)
    grad_x = layer.backward(grad_out)
    assert grad_x.dtype == np.float32
    np.testing.assert_allclose(
        grad_x, maxpool2d_backward(grad_out, x, kernel_size, stride), atol=1e-6
    )
    expected = maxpool2d_backward_loops(grad_out, x, kernel_size, stride)
    np.testing.assert_allclose(grad_x, expected, atol=1e-6)


def test_linear_forward_is_x_times_weight_transposed_plus_bias():
    layer = Linear(2, 2, **F64)
    layer.weight.value[...] = [[1.0, 2.0], [3.0, 4.0]]
    layer.bias.value[...] = [10.0, 20.0]
    np.testing.assert_array_equal(layer.forward(np.array([[1.0, 1.0]])), [[13.0, 27.0]])


def test_he_normal_initialisation_and_zero_bias():
    layer = Conv2d(50, 64, 3, rng=np.random.default_rng(0))
    fan_in = 50 * 3 * 3
    assert layer.weight.value.dtype == np.float32
    assert abs(layer.weight.value.mean()) < 0.01 * np.sqrt(2 / fan_in)
    np.testing.assert_allclose(layer.weight.value.std(), np.sqrt(2 / fan_in), rtol=0.02)
    np.testing.assert_array_equal(layer.bias.value, np.zeros(64, np.float32))
    linear = Linear(1000, 300)
    np.testing.assert_allclose(linear.weight.value.std(), np.sqrt(2 / 1000), rtol=0.02)


def test_initialisation_is_reproducible():
    first = Conv1d(2, 4, 3, rng=np.random.default_rng(7)).weight.value
    again = Conv1d(2, 4, 3, rng=np.random.default_rng(7)).weight.value
    other = Conv1d(2, 4, 3, rng=np.random.default_rng(8)).weight.value
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    np.testing.assert_array_equal(Linear(3, 2).weight.value, Linear(3, 2).weight.value)


def test_layers_compute_in_the_dtype_of_their_parameters():
    net = Sequential(Conv2d(1, 2, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(8, 3))
    y = net.forward(random_input((2, 1, 4, 4)))  # float64 input, float32 layers
    assert y.dtype == np.float32
    grad_x = net.backward(np.ones_like(y))
    assert grad_x.dtype == np.float32
    assert all(p.grad.dtype == np.float32 for p in net.parameters())


def test_backward_overwrites_gradients():
    layer = Linear(3, 2)
    x = random_input((4, 3)).astype(np.float32)
    layer.forward(x)
    layer.backward(np.ones((4, 2), np.float32))
    first = layer.weight.grad.copy()
    layer.backward(np.ones((4, 2), np.float32))
    np.testing.assert_array_equal(layer.weight.grad, first)


def test_parameter_starts_with_zero_gradient():
    parameter = Parameter(np.ones((2, 3), np.float32))
    np.testing.assert_array_equal(parameter.grad, np.zeros((2, 3), np.float32))
    assert parameter.grad.dtype == np.float32


@pytest.mark.parametrize("layer", [Conv2d(1, 1, 1), MaxPool2d(2), ReLU(), Flatten(), Linear(1, 1)])
def test_backward_before_forward_is_an_error(layer):
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((1, 1, 2, 2), np.float32))


def test_linear_rejects_wrong_feature_count():
    with pytest.raises(ValueError, match=r"Linear: x has 5 features but the layer expects 4"):
        Linear(4, 2).forward(np.ones((3, 5), np.float32))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Conv2d(0, 4, 3), "Conv2d: in_channels must be positive"),
        (lambda: Conv1d(1, 4, 3, stride=0), "Conv1d: stride must be positive"),
        (lambda: Conv2d(1, 4, (3, 3, 3)), "Conv2d: kernel_size must be an int or a sequence of 2"),
        (lambda: MaxPool2d(2, stride=-1), "MaxPool2d: stride must be positive"),
        (lambda: Linear(3, 2.5), "Linear: out_features must be an integer"),
    ],
)
def test_constructor_errors_name_the_layer_and_argument(build, message):
    with pytest.raises(ValueError, match=message):
        build()
