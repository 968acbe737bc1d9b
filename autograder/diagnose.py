"""Known mistakes, recognised by recomputing them: the registry behind "likely mistake: ...".

A diagnosis builds, from the reference and the case's inputs, what a particular wrong
implementation would return (a *candidate*).  When the learner's failing output equals a candidate
(within the usual tolerance), the report names that mistake.  Authors add diagnoses next to their
assignment (in its grading.py) or here when they apply to many functions::

    @diagnosis("flipped_kernel", "flipped kernel: ...", items=("conv1d", "conv2d"))
    def flipped_kernel(attempt):
        return attempt.reference(weight=flip(attempt.inputs["weight"]))

The function receives an :class:`Attempt` and returns one of:
    None            not applicable to this case;
    a candidate     an array (single output) or a list of outputs, ``None`` for outputs to skip;
    True / False    a verdict computed directly (e.g. from shapes);
or it may ``yield`` several candidates (it matches when any does).
"""

import inspect
import itertools
from dataclasses import dataclass

import numpy as np

from autograder.kit.cases import as_outputs
from autograder.kit.compare import compare, matches


@dataclass
class Diagnosis:
    """A registered mistake: ``key`` for catalogues, ``message`` for learners.

    ``message`` is a string, or a function of the :class:`Attempt` when the advice depends on the
    case (e.g. the dtype the reference returns).
    """

    key: str
    message: object
    function: object
    items: tuple | None

    def text(self, attempt):
        """The message shown to the learner for this attempt."""
        return self.message(attempt) if callable(self.message) else self.message


GENERIC_MODULE = __name__
# Diagnoses by the module that registered them: this module's apply to every assignment, an
# assignment's grading.py registers its own (so two chapters may use one key differently).
REGISTRIES = {}


def diagnosis(key, message, items=None):
    """Decorator registering a diagnosis; ``items`` limits it to these function names.

    Raises ValueError when ``key`` is already a generic diagnosis or already registered by the
    same module: one key names one mistake within an assignment.
    """

    def register(function):
        module = function.__module__
        registry = REGISTRIES.setdefault(module, {})
        if key in registry or key in REGISTRIES.get(GENERIC_MODULE, {}):
            raise ValueError(f"diagnosis {key!r} is registered twice (by {module})")
        registry[key] = Diagnosis(key, message, function, tuple(items) if items else None)
        return function

    return register


def forget(module):
    """Drop the diagnoses ``module`` registered (before that grading.py is loaded again)."""
    REGISTRIES.pop(module, None)


def registry(module=None):
    """{key: Diagnosis} that apply to an assignment: the generic ones, then its module's own."""
    return {**REGISTRIES.get(GENERIC_MODULE, {}), **REGISTRIES.get(module, {})}


DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1}
HYPERPARAMETERS = tuple(DEFAULTS)


@dataclass
class Attempt:
    """One failing case: the inputs, the reference's outputs and the learner's."""

    item: object
    inputs: dict
    expected: list
    got: list
    got_types: list
    flags: list

    def setting(self, name):
        """An argument of the case: stride, padding and dilation of a layer are in its ``init``."""
        init = self.inputs.get("init")
        if isinstance(init, dict) and name in HYPERPARAMETERS:
            return init.get(name)
        return self.inputs.get(name)

    def reference(self, **changes):
        """Reference outputs (as a list) for the case's inputs with ``changes`` applied (a
        layer's stride, padding and dilation go to its constructor's ``init``)."""
        inputs = dict(self.inputs)
        for name, value in changes.items():
            if isinstance(inputs.get("init"), dict) and name in HYPERPARAMETERS:
                inputs["init"] = {**inputs["init"], name: value}
            else:
                inputs[name] = value
        item = self.item
        return item.runner.expected(item.reference_function(), inputs, item.positional())

    def output(self, name):
        """Index of the output called ``name`` (e.g. ``"grad_bias"``), or None."""
        names = list(self.item.outputs)
        return names.index(name) if name in names else None


def is_wrong(attempt, candidate):
    """True when ``candidate`` differs from the reference on at least one output it proposes.

    A candidate equal to the right answer (a swap that changes nothing, a sum over an axis of
    size 1) says nothing about a case that failed for another reason.
    """
    expected = attempt.expected
    return any(
        wrong is not None and (index >= len(expected) or not matches(wrong, expected[index]))
        for index, wrong in enumerate(as_outputs(candidate))
    )


def matches_candidate(attempt, candidate):
    """True when ``candidate`` is wrong (see :func:`is_wrong`) and every output it proposes equals
    the learner's, one at least.  A verdict (True / False) is returned as it is."""
    if isinstance(candidate, bool):
        return candidate
    if not is_wrong(attempt, candidate):
        return False
    candidate = as_outputs(candidate)
    checked = False
    for index, wrong in enumerate(candidate):
        if wrong is None:
            continue
        if index >= len(attempt.got):
            return False
        if compare(attempt.got[index], wrong, got_type=attempt.got_types[index]) is not None:
            return False
        checked = True
    return checked


def candidates(diagnosis_entry, attempt):
    """The candidates a diagnosis proposes for this attempt (a list, maybe empty)."""
    try:
        if inspect.isgeneratorfunction(diagnosis_entry.function):
            return list(diagnosis_entry.function(attempt))
        result = diagnosis_entry.function(attempt)
    except Exception:  # a mutation the reference rejects (e.g. a kernel too large) cannot match
        return []
    return [] if result is None else [result]


def applies(diagnosis_entry, item):
    """True when the diagnosis is registered for every item or for this one."""
    return diagnosis_entry.items is None or item.name in diagnosis_entry.items


def diagnoses_for(item):
    """The diagnoses that apply to ``item``: generic and its assignment's, limited by ``items``."""
    entries = registry(getattr(item, "module", None)).values()
    return [entry for entry in entries if applies(entry, item)]


def likely_mistakes(attempt):
    """Registered diagnoses whose candidate matches the learner's outputs: [(key, message)]."""
    found = []
    for entry in diagnoses_for(attempt.item):
        if any(matches_candidate(attempt, candidate) for candidate in candidates(entry, attempt)):
            found.append((entry.key, entry.text(attempt)))
    return found


def spatial_axes(array):
    """Spatial axes of a channels-first tensor: all of a 1-D signal, else axes 2 and up."""
    return tuple(range(array.ndim)) if array.ndim == 1 else tuple(range(2, array.ndim))


def pairs(value, count):
    """An int or a tuple hyper-parameter as a tuple of ``count`` ints."""
    return tuple(value) if isinstance(value, tuple | list) else (value,) * count


def hyper(attempt, name):
    """The case's stride, padding or dilation as one int per spatial axis of ``x`` (the default
    when absent or None), so ``1`` and ``(1, 1)`` compare alike."""
    value, x = attempt.setting(name), attempt.inputs.get("x")
    count = len(spatial_axes(x)) if isinstance(x, np.ndarray) else 1
    return pairs(DEFAULTS[name] if value is None else value, count)


# ---- mistakes that apply to many functions -------------------------------------------------


@diagnosis(
    "flipped_kernel",
    "flipped kernel: this is a true convolution (weight reversed); the course computes "
    "cross-correlation, out[i] = sum_k weight[k] * x[i + k], with no flip",
)
def flipped_kernel(attempt):
    weight = attempt.inputs.get("weight")
    # forward items only: a backward item's "no flip" advice would be wrong (its input gradient
    # does rotate the kernel, see kernel_not_rotated below)
    if not isinstance(weight, np.ndarray) or "output" not in attempt.item.outputs:
        return None
    return attempt.reference(weight=np.flip(weight, axis=spatial_axes(weight)).copy())


@diagnosis(
    "transposed_output",
    "transposed output: your result is the expected one with its last two axes swapped",
)
def transposed_output(attempt):
    return [np.swapaxes(out, -1, -2) if np.ndim(out) >= 2 else None for out in attempt.expected]


@diagnosis(
    "off_by_one_size",
    "off-by-one output size: check the size formula "
    "floor((size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1",
)
def off_by_one_size(attempt):
    for got, expected in zip(attempt.got, attempt.expected, strict=False):
        got_shape, expected_shape = np.shape(got), np.shape(expected)
        if len(got_shape) != len(expected_shape) or got_shape == expected_shape:
            continue
        if max(abs(g - e) for g, e in zip(got_shape, expected_shape, strict=True)) == 1:
            return True
    return False


def dtype_advice(attempt):
    """The wrong_dtype message: the dtype the reference returns, and how to get it."""
    expected = [np.asarray(out).dtype for out in attempt.expected if isinstance(out, np.ndarray)]
    got = [np.asarray(out).dtype for out in attempt.got]
    inputs = {value.dtype for value in attempt.inputs.values() if isinstance(value, np.ndarray)}
    wanted = ", ".join(sorted({str(dtype) for dtype in expected}))
    returned = ", ".join(sorted({str(dtype) for dtype in got}))
    text = f"wrong dtype: expected {wanted} (the reference's dtype), got {returned}"
    if set(expected) <= inputs:
        return text + "; keep the dtype of the inputs, e.g. np.zeros(shape, dtype=x.dtype)"
    return text + f"; create the result as {wanted} whatever the inputs' dtype"


@diagnosis("wrong_dtype", dtype_advice)
def wrong_dtype(attempt):
    return any(
        isinstance(expected, np.ndarray) and np.asarray(got).dtype != expected.dtype
        for got, expected in zip(attempt.got, attempt.expected, strict=False)
    )


@diagnosis(
    "returns_view",
    "returns a view of the input: the output shares memory with an argument; return a new array",
)
def returns_view(attempt):
    return any("shares memory" in flag for flag in attempt.flags)


@diagnosis(
    "modifies_input",
    "modifies its input: never write into the arrays you are given; work on a copy",
)
def modifies_input(attempt):
    return any("in place" in flag for flag in attempt.flags)


@diagnosis("missing_bias", "missing bias: add bias[o] to every output of channel o")
def missing_bias(attempt):
    if attempt.inputs.get("bias") is None:
        return None
    return attempt.reference(bias=None)


@diagnosis(
    "padding_one_side",
    "padding on one side only: add `padding` zeros at BOTH ends of every spatial axis",
)
def padding_one_side(attempt):
    x = attempt.inputs.get("x")
    if not isinstance(x, np.ndarray) or "padding" not in attempt.inputs:
        return None
    axes, sizes = spatial_axes(x), hyper(attempt, "padding")
    if not any(sizes):
        return None
    for side in (0, 1):
        widths = [(0, 0)] * x.ndim
        for axis, size in zip(axes, sizes, strict=True):
            widths[axis] = (2 * size, 0) if side == 0 else (0, 2 * size)
        yield attempt.reference(x=np.pad(x, widths), padding=0)


@diagnosis(
    "stride_as_dilation",
    "stride applied in the wrong place: stride moves the start of each window "
    "(x[i * stride + k]); it does not space the kernel taps apart (that is dilation)",
)
def stride_as_dilation(attempt):
    stride, dilation = hyper(attempt, "stride"), hyper(attempt, "dilation")
    if all(step == 1 for step in stride) or any(gap != 1 for gap in dilation):
        return None
    return attempt.reference(stride=1, dilation=stride)


@diagnosis(
    "gradient_wrong_axis",
    "gradient summed over the wrong axes: grad_bias[o] sums grad_out over the batch and every "
    "spatial position, and nothing else",
)
def gradient_wrong_axis(attempt):
    index, grad_out = attempt.output("grad_bias"), attempt.inputs.get("grad_out")
    if index is None or not isinstance(grad_out, np.ndarray):
        return
    right = tuple(axis for axis in range(grad_out.ndim) if axis != 1)
    for count in range(1, grad_out.ndim + 1):
        for axes in itertools.combinations(range(grad_out.ndim), count):
            if axes != right:
                candidate = [None] * len(attempt.item.outputs)
                candidate[index] = grad_out.sum(axis=axes)
                yield candidate


def windows(shape, kernel_size, stride):
    """Index tuples (output position, window slices) of a pooling over the last len(shape) axes."""
    kernel, steps = pairs(kernel_size, len(shape)), pairs(stride or kernel_size, len(shape))
    counts = [(size - k) // s + 1 for size, k, s in zip(shape, kernel, steps, strict=True)]
    for position in itertools.product(*(range(count) for count in counts)):
        yield (
            position,
            tuple(slice(p * s, p * s + k) for p, s, k in zip(position, steps, kernel, strict=True)),
        )


@diagnosis(
    "pool_gradient_to_every_element",
    "pooling gradient sent to every window element: in max pooling only the (first) maximum of "
    "each window receives the gradient",
)
def pool_gradient_to_every_element(attempt):
    grad_out, x = attempt.inputs.get("grad_out"), attempt.inputs.get("x")
    if "maxpool" not in attempt.item.name or not isinstance(x, np.ndarray):
        return None
    spatial = x.shape[2:] if x.ndim > 2 else x.shape[-1:]
    grad_x = np.zeros_like(x)
    lead = (slice(None),) * (x.ndim - len(spatial))
    for position, window in windows(
        spatial, attempt.inputs["kernel_size"], attempt.inputs.get("stride")
    ):
        grad_x[lead + window] += grad_out[lead + position][(...,) + (None,) * len(spatial)]
    return grad_x


# ---- the backward pass of a convolution: conv1d_backward, conv2d_backward, Conv1d / Conv2d layers


def convolution_backward(attempt):
    """True when the case differentiates a convolution: x, weight and grad_out arrays with spatial
    axes, and grad_x, grad_weight and grad_bias among the outputs (a function or a layer)."""
    arrays = [attempt.inputs.get(name) for name in ("x", "weight", "grad_out")]
    names = ("grad_x", "grad_weight", "grad_bias")
    return all(isinstance(array, np.ndarray) and array.ndim >= 3 for array in arrays) and all(
        attempt.output(name) is not None for name in names
    )


def proposal(attempt, **outputs):
    """A candidate giving only the named outputs (e.g. ``grad_x=...``); the others unchecked."""
    candidate = [None] * len(attempt.item.outputs)
    for name, value in outputs.items():
        candidate[attempt.output(name)] = value
    return candidate


def padded_input(attempt):
    """x with its zero padding: the array the forward windows actually read."""
    x, padding = attempt.inputs["x"], hyper(attempt, "padding")
    return np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding])


def crop(array, starts, stops):
    """array[:, :, starts[0]:stops[0], ...] over the spatial axes."""
    return array[(slice(None), slice(None)) + tuple(map(slice, starts, stops))]


def grad_of_padded_input(attempt):
    """The reference's gradient with respect to the padded input (nothing cropped)."""
    return attempt.reference(x=padded_input(attempt), padding=0)[attempt.output("grad_x")]


@diagnosis(
    "kernel_not_rotated",
    "input gradient with the kernel not rotated: spreading grad_out back over x is a full "
    "correlation with the kernel turned by 180 degrees (weight[..., ::-1] in 1D, both spatial "
    "axes in 2D), or equivalently grad_x[i * stride + k * dilation] += weight[k] * grad_out[i]",
)
def kernel_not_rotated(attempt):
    if not convolution_backward(attempt):
        return None
    weight = attempt.inputs["weight"]
    rotated = np.flip(weight, axis=tuple(range(2, weight.ndim))).copy()
    return proposal(attempt, grad_x=attempt.reference(weight=rotated)[attempt.output("grad_x")])


@diagnosis(
    "stride_ignored_in_backward",
    "stride ignored in the backward pass: output position i read the window starting at "
    "i * stride, so its gradient goes back to that window (and the weight gradient reads it), "
    "not to the window starting at i",
)
def stride_ignored_in_backward(attempt):
    if not convolution_backward(attempt):
        return None
    stride, dilation = hyper(attempt, "stride"), hyper(attempt, "dilation")
    if all(step == 1 for step in stride):
        return None
    padded = padded_input(attempt)
    out_size = attempt.inputs["grad_out"].shape[2:]
    kernel_size = attempt.inputs["weight"].shape[2:]
    # windows starting at 0, 1, ..., out - 1 read only the first (out - 1) + span padded cells
    lengths = [o + d * (k - 1) for o, d, k in zip(out_size, dilation, kernel_size, strict=True)]
    read = attempt.reference(x=crop(padded, [0] * len(lengths), lengths), stride=1, padding=0)
    grad_padded = np.zeros_like(padded)
    grad_padded[(slice(None), slice(None)) + tuple(slice(0, n) for n in lengths)] = read[
        attempt.output("grad_x")
    ]
    padding, size = hyper(attempt, "padding"), attempt.inputs["x"].shape[2:]
    return proposal(
        attempt,
        grad_x=crop(grad_padded, padding, [p + n for p, n in zip(padding, size, strict=True)]),
        grad_weight=read[attempt.output("grad_weight")],
        grad_bias=read[attempt.output("grad_bias")],
    )


@diagnosis(
    "padding_not_cropped",
    "padding not cropped: your grad_x is the gradient of the PADDED input; drop the `padding` "
    "cells at both ends of every spatial axis so grad_x has the shape of x",
)
def padding_not_cropped(attempt):
    if not convolution_backward(attempt) or all(p == 0 for p in hyper(attempt, "padding")):
        return None
    return proposal(attempt, grad_x=grad_of_padded_input(attempt))


@diagnosis(
    "grad_weight_batch_not_summed",
    "grad_weight not summed over the batch: every sample uses the same weight, so add up the "
    "contributions of all samples (not the mean, not only one sample)",
)
def grad_weight_batch_not_summed(attempt):
    if not convolution_backward(attempt):
        return
    x, grad_out = attempt.inputs["x"], attempt.inputs["grad_out"]
    batch, index = x.shape[0], attempt.output("grad_weight")
    if batch == 1:
        return
    yield proposal(attempt, grad_weight=attempt.expected[index] / batch)
    for sample in (0, batch - 1):
        one = slice(sample, sample + 1)
        yield proposal(
            attempt, grad_weight=attempt.reference(x=x[one], grad_out=grad_out[one])[index]
        )
