"""Drivers: how one case exercises what the learner wrote, when it is more than a function call.

An item's driver (``Item(driver="layer")``) runs in two places with the same code: in the
learner's kernel (the recorder and the visible tests call ``run`` on the learner's object) and in
the trusted judge (``expected`` on the reference object).  Each driver also says how an output is
compared (``compare``): with the tolerance policy by default, or by a rule (a minimum speed-up, a
minimum accuracy) when there is no single right answer.

    call        (default) call the function: required arguments positionally, the rest by name
    layer       construct a layer class, load its parameters, forward then backward (twice)
    optimizer   construct an optimiser on two parameters, feed gradients, step several times
    classifier  train a model on a generated dataset, predict held-out images (accuracy)
    speed       time the function against a loop baseline, interleaved, and check its output

Case keys each driver reads are listed in its docstring (see exercises/FORMAT.md).
"""

import os
import time

import numpy as np

from . import datasets
from .cases import as_outputs, call
from .compare import Mismatch, compare
from .given import as_pair, conv_output_size


class Driver:
    """Call the target once with the case's inputs: the outputs are what it returns."""

    allow_views = False  # may an output share memory with an input? (layers return reshapes)

    def run(self, target, inputs, positional):
        """Exercise the learner's (or the reference's) ``target``; return its outputs (a list)."""
        return as_outputs(call(target, inputs, positional))

    def expected(self, reference, inputs, positional):
        """The outputs the judge compares with (trusted side): the reference's, by default."""
        return self.run(reference, inputs, positional)

    def compare(self, index, got, expected, name, inputs, got_type=None):
        """None when output ``index`` passes, else a :class:`Mismatch`."""
        return compare(got, expected, name, got_type=got_type)


class LayerDriver(Driver):
    """A layer class: ``cls(**init)``, parameters loaded, ``forward(x)`` then ``backward``.

    Case keys: ``init`` (dict of constructor arguments), ``x``, ``grad_out``, then one array per
    parameter, in the order ``parameters()`` returns them (e.g. ``weight``, ``bias``); the arrays
    are copied into the layer's own ``Parameter.value`` so random initialisation does not matter.
    Forward and backward run twice on the same data: ``backward`` must overwrite ``.grad``.

    Outputs: forward's output, backward's ``grad_x``, then each parameter's ``.grad``.
    """

    allow_views = True  # Flatten returns a reshaped view, as every framework does
    FIXED = ("init", "x", "grad_out")

    def run(self, target, inputs, positional):
        layer = target(**inputs["init"])
        parameters = list(layer.parameters())
        values = [
            value
            for name, value in inputs.items()
            if name not in self.FIXED and isinstance(value, np.ndarray)
        ]
        if len(parameters) != len(values):
            raise ValueError(
                f"parameters() returned {len(parameters)} parameters, expected {len(values)}"
            )
        for parameter, value in zip(parameters, values, strict=True):
            if np.shape(parameter.value) != value.shape:
                raise ValueError(
                    f"a parameter has shape {np.shape(parameter.value)}, expected {value.shape}"
                )
            parameter.value[...] = value  # in place: the layer may hold the array itself
        for _ in range(2):
            output = layer.forward(inputs["x"])
            grad_x = layer.backward(inputs["grad_out"])
        return [output, grad_x, *[parameter.grad for parameter in parameters]]


class Parameter:
    """The minimal parameter an optimiser sees: ``.value`` and ``.grad``, same shape."""

    def __init__(self, value):
        self.value = value
        self.grad = np.zeros_like(value)


class OptimizerDriver(Driver):
    """An optimiser class on two parameters: ``cls([p0, p1], **init)`` then several ``step()``.

    Case keys: ``init`` (dict: lr, momentum...), ``value_0``, ``grads_0`` (steps, *shape of
    value_0), ``value_1``, ``grads_1``.  Before step t each ``.grad`` is set to ``grads_i[t]``.

    Outputs: the two parameters' values after the last step.
    """

    def run(self, target, inputs, positional):
        parameters = [Parameter(inputs["value_0"].copy()), Parameter(inputs["value_1"].copy())]
        optimizer = target(parameters, **inputs["init"])
        for step in range(inputs["grads_0"].shape[0]):
            for number, parameter in enumerate(parameters):
                parameter.grad = inputs[f"grads_{number}"][step].copy()
            optimizer.step()
        return [np.asarray(parameter.value) for parameter in parameters]


def predict(model, images, batch_size=256):
    """Class predictions (int64) of a model whose ``forward`` (or call) returns logits."""
    forward = model.forward if hasattr(model, "forward") else model
    logits = [
        np.asarray(forward(images[i : i + batch_size])) for i in range(0, len(images), batch_size)
    ]
    return np.concatenate(logits).argmax(axis=1).astype(np.int64)


HELDOUT = "heldout"  # folder where the grader puts the held-out images (never their labels)


def heldout_file(data):
    """Where the grader puts the held-out images of a classifier case's ``data``."""
    return os.path.join(HELDOUT, f"{data['name']}-{data['seed']}.npy")


class ClassifierDriver(Driver):
    """A training function: ``model = train(images, labels)`` on a generated training set.

    Case keys: ``data`` (dict for :func:`datasets.make_split`: name, train, test, seed) and
    ``min_accuracy``.  When grading, the held-out images come from :func:`heldout_file`, drawn
    by the grader from a secret seed; their labels exist only in the judge (``expected``, with
    ``data["test_seed"]``), so nothing the learner's function can reach in the kernel holds
    them.  Elsewhere (the learner's own checks) the held-out set is generated here.

    Output: the predicted class of every held-out image.
    """

    def run(self, target, inputs, positional):
        data = inputs["data"]
        train_images, train_labels = datasets.DATASETS[data["name"]](data["train"], data["seed"])
        if os.path.exists(heldout_file(data)):
            test_images = np.load(heldout_file(data), allow_pickle=False)
        else:
            test_images = datasets.make_split(**data)[2]
        model = target(train_images, train_labels)
        return [predict(model, test_images)]

    def expected(self, reference, inputs, positional):
        return [datasets.make_split(**inputs["data"])[3]]

    def compare(self, index, got, expected, name, inputs, got_type=None):
        got = np.asarray(got)
        if got.shape != expected.shape:
            return Mismatch("shape", f"{name} has shape {got.shape}, expected {expected.shape}")
        accuracy = float(np.mean(got == expected))
        if accuracy >= inputs["min_accuracy"]:
            return None
        return Mismatch(
            "value",
            f"held-out accuracy {accuracy:.1%}, needs at least {inputs['min_accuracy']:.0%}",
        )


def conv2d_loops(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """The speed baseline: a loop over (sample, output channel, row, column), no unrolling."""
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    n_count, o_count = x.shape[0], weight.shape[0]
    kh, kw = weight.shape[2:]
    h_out = conv_output_size(x.shape[2], kh, sh, ph, dh)
    w_out = conv_output_size(x.shape[3], kw, sw, pw, dw)
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n_count, o_count, h_out, w_out), dtype=x.dtype)
    for n in range(n_count):
        for o in range(o_count):
            for i in range(h_out):
                for j in range(w_out):
                    window = x[
                        n,
                        :,
                        i * sh : i * sh + dh * (kh - 1) + 1 : dh,
                        j * sw : j * sw + dw * (kw - 1) + 1 : dw,
                    ]
                    out[n, o, i, j] = np.sum(window * weight[o])
    if bias is not None:
        out += bias[None, :, None, None]
    return out


def median_seconds(function, calls):
    """Median over ``calls`` of one call's wall time (perf_counter)."""
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


class SpeedDriver(Driver):
    """A fast function timed against :func:`conv2d_loops` in the same kernel, interleaved.

    Case keys: the function's arguments (``x``, ``weight``, ``padding``...), ``min_speedup``
    and ``repeats``.  Each repeat times the baseline once and the function a few times (median),
    alternating, so a machine slowed down for a moment slows both; the speed-up is the ratio of
    the medians over repeats.  The output computed must also be right.

    Outputs: the speed-up (a float) and the function's output on the case.
    """

    CONTROL = ("min_speedup", "repeats")

    def arguments(self, inputs):
        return {name: value for name, value in inputs.items() if name not in self.CONTROL}

    def run(self, target, inputs, positional):
        arguments = self.arguments(inputs)
        output = call(target, arguments, positional)  # also warms up caches
        baseline, fast = [], []
        for _ in range(inputs["repeats"]):
            baseline.append(median_seconds(lambda: conv2d_loops(**arguments), 1))
            fast.append(median_seconds(lambda: call(target, arguments, positional), 5))
        speedup = float(np.median(baseline) / max(np.median(fast), 1e-9))
        return [speedup, output]

    def expected(self, reference, inputs, positional):
        return [float(inputs["min_speedup"]), call(reference, self.arguments(inputs), positional)]

    def compare(self, index, got, expected, name, inputs, got_type=None):
        if index > 0:
            return compare(got, expected, name, got_type=got_type)
        if float(got) >= expected:
            return None
        return Mismatch(
            "value", f"{name}: {float(got):.1f}x faster than the loop baseline, needs {expected:g}x"
        )


DRIVERS = {
    "call": Driver(),
    "layer": LayerDriver(),
    "optimizer": OptimizerDriver(),
    "classifier": ClassifierDriver(),
    "speed": SpeedDriver(),
}


def train_classifier_contract(images, labels):
    """Signature of a classifier item's answer: (N, 1, H, W) float32, (N,) int64 -> model.

    The judge never calls it (a classifier is judged by its held-out accuracy); the build checks
    the learner's ``def`` against these parameter names.
    """
    raise NotImplementedError
