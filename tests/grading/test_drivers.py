"""Drivers (items that are not plain calls) judged end to end in this process, with oracles
written from the definitions: loops for a layer, the update formula for SGD, analytic
derivatives for the test functions of numerical_gradient."""

import time

import numpy as np
import pytest

from autograder.judge import judge_item
from autograder.kit import record as recorder
from autograder.kit.cases import make_inputs
from autograder.kit.drivers import DRIVERS
from autograder.spec import Item, array, function, load_assignment, seeded
from solutions import numerical_gradient

CNN = load_assignment("07_cnn")
FAST = load_assignment("08_fast")


def recorded(item, target):
    outputs = []
    recorder.SINK = lambda bundle: outputs.append({"output_type": "display_data", "data": bundle})
    try:
        recorder.record(item.name, target, item.hidden, item.positional(), item.driver, 30)
    finally:
        recorder.SINK = None
    return outputs


class Parameter:
    def __init__(self, value):
        self.value, self.grad = value, np.zeros_like(value)


class LoopLinear:
    """y[n, o] = sum_i x[n, i] w[o, i] + b[o], and its gradients, element by element."""

    def __init__(self, in_features, out_features, rng=None, accumulate=False):
        self.weight = Parameter(np.zeros((out_features, in_features), np.float32))
        self.bias = Parameter(np.zeros(out_features, np.float32))
        self.accumulate = accumulate

    def forward(self, x):
        self.x = x
        n, (o, i) = x.shape[0], self.weight.value.shape
        y = np.zeros((n, o), np.float32)
        for a in range(n):
            for b in range(o):
                y[a, b] = (
                    sum(x[a, c] * self.weight.value[b, c] for c in range(i)) + self.bias.value[b]
                )
        return y

    def backward(self, grad_out):
        n, (o, i) = self.x.shape[0], self.weight.value.shape
        grad_w = np.zeros((o, i), np.float32)
        grad_x = np.zeros((n, i), np.float32)
        for a in range(n):
            for b in range(o):
                for c in range(i):
                    grad_w[b, c] += grad_out[a, b] * self.x[a, c]
                    grad_x[a, c] += grad_out[a, b] * self.weight.value[b, c]
        grad_b = grad_out.sum(axis=0)
        if self.accumulate:
            grad_w, grad_b = grad_w + self.weight.grad, grad_b + self.bias.grad
        self.weight.grad, self.bias.grad = grad_w, grad_b
        return grad_x

    def parameters(self):
        return [self.weight, self.bias]


def test_a_layer_written_with_loops_gets_full_marks():
    item = CNN.item("Linear")
    verdict = judge_item(item, recorded(item, LoopLinear))
    assert verdict.score == item.points, verdict.report()


def test_a_layer_whose_backward_accumulates_is_named():
    item = CNN.item("Linear")

    def accumulating(in_features, out_features, rng=None):
        return LoopLinear(in_features, out_features, accumulate=True)

    verdict = judge_item(item, recorded(item, accumulating))
    assert verdict.score == 0
    assert "gradient_accumulates" in [key for key, _, _ in verdict.main_mistakes()]


def test_sgd_written_from_the_update_formula_gets_full_marks():
    class FormulaSGD:
        def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0):
            self.parameters, self.lr, self.momentum, self.decay = (
                parameters,
                lr,
                momentum,
                weight_decay,
            )
            self.velocity = [0.0 for _ in parameters]

        def step(self):
            for k, p in enumerate(self.parameters):
                self.velocity[k] = self.momentum * self.velocity[k] + p.grad + self.decay * p.value
                p.value = p.value - self.lr * self.velocity[k]

    item = CNN.item("SGD")
    verdict = judge_item(item, recorded(item, FormulaSGD))
    assert verdict.score == item.points, verdict.report()


@pytest.mark.parametrize(
    "family, derivative",
    [
        ("cubic", lambda r, x: 3 * r * x**2),
        ("sine", lambda r, x: r * np.cos(x)),
        ("exp", lambda r, x: r * np.exp(x / 2) / 2),
    ],
)
def test_function_arguments_are_the_named_family_with_seeded_coefficients(family, derivative):
    spec = function(family, 3, 4, seed=7)
    inputs = make_inputs({"f": spec, "x": array(3, 4), "seed": 1})
    coefficients = np.random.default_rng(7).standard_normal((3, 4))
    analytic = derivative(coefficients, inputs["x"])
    assert np.allclose(numerical_gradient(inputs["f"], inputs["x"]), analytic, atol=1e-6)


def test_a_function_argument_works_with_the_call_driver_and_the_judge():
    item = Item(
        "numerical_gradient",
        points=1,
        visible=[],
        hidden=seeded([{"f": function("sine", 2, 3, seed=s), "x": array(2, 3)} for s in (1, 2)], 5),
    )

    def forward_difference(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            step = x.copy()
            step[index] += eps
            grad[index] = (f(step) - f(x)) / eps
        return grad

    assert judge_item(item, recorded(item, numerical_gradient)).score == 1
    assert judge_item(item, recorded(item, forward_difference)).score == 0


def test_the_classifier_is_judged_on_held_out_accuracy():
    driver = DRIVERS["classifier"]
    inputs = {"data": {"name": "shapes", "train": 10, "test": 200, "seed": 3}, "min_accuracy": 0.9}
    (labels,) = driver.expected(None, inputs, [])
    almost = labels.copy()
    almost[:10] = (almost[:10] + 1) % 4  # 95% right
    worse = labels.copy()
    worse[:40] = (worse[:40] + 1) % 4  # 80% right
    assert driver.compare(0, almost, labels, "predictions", inputs) is None
    message = driver.compare(0, worse, labels, "predictions", inputs).message
    assert "80.0%" in message and "90%" in message


@pytest.mark.slow
def test_the_speed_driver_fails_a_slow_function_and_passes_the_reference():
    from solutions import conv2d

    item = FAST.item("conv2d_fast_speed")
    case = {**item.hidden[0], "repeats": 3}
    inputs = make_inputs(case)
    driver = item.runner
    expected = driver.expected(conv2d, inputs, item.positional())

    def sleepy(x, weight, bias=None, stride=1, padding=0, dilation=1):
        time.sleep(0.01)  # at least ten milliseconds per call, like a slow loop
        return conv2d(x, weight, bias, stride, padding, dilation)

    slow = driver.run(sleepy, inputs, item.positional())
    assert driver.compare(0, slow[0], expected[0], "speedup", inputs) is not None
    assert driver.compare(1, slow[1], expected[1], "output", inputs) is None
    fast = driver.run(conv2d, inputs, item.positional())
    assert driver.compare(0, fast[0], expected[0], "speedup", inputs) is None, fast[0]
