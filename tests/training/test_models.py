"""The networks of training.models: the first convolution skips dL/dx and nothing else.

``FirstConv1d`` / ``FirstConv2d`` must give the parameter gradients of a plain ``Conv1d`` /
``Conv2d`` (checked against the reference ``solutions`` backward, and through a whole network
against the same network with a plain first layer), return None, and not compute the input
gradient at all (the engine's input-gradient routine must not run).
"""

import numpy as np
import pytest

import solutions
import solutions.fast.im2col
from solutions.layers import Conv1d, Conv2d, Sequential
from tests.oracles import FLOAT32_VS_LOOPS, FLOAT64_VS_LOOPS, assert_close
from training.models import MODELS, FirstConv1d, FirstConv2d, build_model

F64 = {"dtype": np.float64}
FIRST_LAYERS = {
    # name: (first layer, plain layer class, input shape, reference backward)
    "conv2d": (
        lambda: FirstConv2d(
            2, 3, (3, 2), stride=(1, 2), padding=1, rng=np.random.default_rng(1), **F64
        ),
        Conv2d,
        (3, 2, 7, 6),
        solutions.conv2d_backward,
    ),
    "conv2d stride 1": (
        lambda: FirstConv2d(1, 4, 5, padding=2, rng=np.random.default_rng(1), **F64),
        Conv2d,
        (3, 1, 9, 9),
        solutions.conv2d_backward,
    ),
    "conv1d": (
        lambda: FirstConv1d(1, 3, 5, stride=2, padding=1, rng=np.random.default_rng(1), **F64),
        Conv1d,
        (3, 1, 17),
        solutions.conv1d_backward,
    ),
}


def refuse_input_gradient(*args, **kwargs):
    raise AssertionError("the first layer computed an input gradient")


@pytest.mark.parametrize("name", FIRST_LAYERS)
def test_first_layer_gives_parameter_gradients_and_no_input_gradient(name, monkeypatch):
    make_layer, plain_class, shape, reference_backward = FIRST_LAYERS[name]
    layer = make_layer()
    assert isinstance(layer, plain_class)
    rng = np.random.default_rng(2)
    x = rng.standard_normal(shape)
    layer.bias.value[...] = rng.standard_normal(layer.bias.value.shape)
    upstream = rng.standard_normal(layer.forward(x).shape)
    monkeypatch.setattr(solutions.fast.im2col, "input_gradient", refuse_input_gradient)
    monkeypatch.setattr(solutions.fast.im2col, "col2im", refuse_input_gradient)
    assert layer.backward(upstream) is None
    hyper = {"stride": layer.stride, "padding": layer.padding, "dilation": layer.dilation}
    _, grad_weight, grad_bias = reference_backward(upstream, x, layer.weight.value, **hyper)
    assert_close(layer.weight.grad, grad_weight, FLOAT64_VS_LOOPS, f"{name} grad_weight")
    assert_close(layer.bias.grad, grad_bias, FLOAT64_VS_LOOPS, f"{name} grad_bias")


@pytest.mark.parametrize(
    ("dataset", "shape"),
    [("fashion-mnist", (4, 1, 28, 28)), ("digits", (4, 1, 8, 8)), ("mnist1d", (4, 1, 40))],
)
def test_network_gradients_equal_those_with_a_plain_first_layer(dataset, shape):
    network = build_model(dataset, "cnn", np.random.default_rng(0))
    first = network.layers[0]
    assert type(first) in (FirstConv1d, FirstConv2d)
    plain_class = Conv2d if isinstance(first, Conv2d) else Conv1d
    out_channels, in_channels, *kernel = first.weight.value.shape
    kernel_size = kernel[0] if len(kernel) == 1 else tuple(kernel)  # 1D layers take an int
    plain = plain_class(in_channels, out_channels, kernel_size, first.stride, first.padding)
    plain.weight, plain.bias = first.weight, first.bias  # the same Parameter objects
    plain_network = Sequential(plain, *network.layers[1:])

    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape).astype(np.float32)
    grad_logits = rng.standard_normal((shape[0], 10)).astype(np.float32)
    network.forward(x)
    assert network.backward(grad_logits) is None
    skipped = [p.grad.copy() for p in network.parameters()]
    plain_network.forward(x)
    grad_x = plain_network.backward(grad_logits)
    assert grad_x.shape == x.shape
    for index, (got, expected) in enumerate(
        zip(skipped, (p.grad for p in plain_network.parameters()), strict=True)
    ):
        assert_close(got, expected, FLOAT32_VS_LOOPS, f"{dataset} parameter {index} grad")


def test_every_convolutional_network_starts_with_a_first_layer():
    for dataset, models in MODELS.items():
        for name in models:
            first = build_model(dataset, name, None).layers[0]
            if isinstance(first, Conv1d | Conv2d):
                assert type(first) in (FirstConv1d, FirstConv2d), (dataset, name)
