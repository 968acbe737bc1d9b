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
from autograder.kit.compare import compare


@dataclass
class Diagnosis:
    """A registered mistake: ``key`` for catalogues, ``message`` for learners."""

    key: str
    message: str
    function: object
    items: tuple | None


REGISTRY = {}


def diagnosis(key, message, items=None):
    """Decorator registering a diagnosis; ``items`` limits it to these function names."""

    def register(function):
        REGISTRY[key] = Diagnosis(key, message, function, tuple(items) if items else None)
        return function

    return register


@dataclass
class Attempt:
    """One failing case: the inputs, the reference's outputs and the learner's."""

    item: object
    inputs: dict
    expected: list
    got: list
    got_types: list
    flags: list

    def reference(self, **changes):
        """Reference outputs (as a list) for the case's inputs with ``changes`` applied."""
        inputs = {**self.inputs, **changes}
        item = self.item
        return item.runner.expected(item.reference_function(), inputs, item.positional())

    def output(self, name):
        """Index of the output called ``name`` (e.g. ``"grad_bias"``), or None."""
        names = list(self.item.outputs)
        return names.index(name) if name in names else None


def matches_candidate(attempt, candidate):
    """True when every checked output of ``candidate`` equals the learner's, one at least."""
    if isinstance(candidate, bool):
        return candidate
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


def likely_mistakes(attempt):
    """Registered diagnoses whose candidate matches the learner's outputs: [(key, message)]."""
    found = []
    for entry in REGISTRY.values():
        if not applies(entry, attempt.item):
            continue
        if any(matches_candidate(attempt, candidate) for candidate in candidates(entry, attempt)):
            found.append((entry.key, entry.message))
    return found


def spatial_axes(array):
    """Spatial axes of a channels-first tensor: all of a 1-D signal, else axes 2 and up."""
    return tuple(range(array.ndim)) if array.ndim == 1 else tuple(range(2, array.ndim))


def pairs(value, count):
    """An int or a tuple hyper-parameter as a tuple of ``count`` ints."""
    return tuple(value) if isinstance(value, tuple | list) else (value,) * count


# ---- mistakes that apply to many functions -------------------------------------------------


@diagnosis(
    "flipped_kernel",
    "flipped kernel: this is a true convolution (weight reversed); the course computes "
    "cross-correlation, out[i] = sum_k weight[k] * x[i + k], with no flip",
)
def flipped_kernel(attempt):
    weight = attempt.inputs.get("weight")
    if not isinstance(weight, np.ndarray):
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


@diagnosis(
    "wrong_dtype",
    "wrong dtype: keep the dtype of the inputs (float32 in, float32 out); e.g. create buffers "
    "with np.zeros(shape, dtype=x.dtype)",
)
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
    x, padding = attempt.inputs.get("x"), attempt.inputs.get("padding", 0)
    if not isinstance(x, np.ndarray) or padding in (0, None):
        return None
    axes = spatial_axes(x)
    sizes = pairs(padding, len(axes))
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
    stride = attempt.inputs.get("stride", 1)
    if stride in (1, None) or attempt.inputs.get("dilation", 1) not in (1, None):
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
