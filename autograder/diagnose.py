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
from autograder.kit.compare import VERDICTS, compare, matches, verdict


@dataclass
class Diagnosis:
    """A registered mistake: ``key`` for catalogues, ``message`` for learners.

    ``message`` is a string, or a function of the :class:`Attempt` when the advice depends on the
    case (e.g. the dtype the reference returns).  ``visible`` names the kit verdict
    (``autograder.kit.compare.VERDICTS``) that recognises this mistake in a visible test, for a
    diagnosis that is a verdict rather than a candidate output.  A ``fallback`` diagnosis is named
    only when no other diagnosis names the case (a general hint, such as the output size formula,
    that a precise one makes redundant); a message that is empty for an attempt does not apply.
    """

    key: str
    message: object
    function: object
    items: tuple | None
    visible: str | None = None
    fallback: bool = False

    def text(self, attempt):
        """The message shown to the learner for this attempt."""
        return self.message(attempt) if callable(self.message) else self.message


GENERIC_MODULE = __name__
# Diagnoses by the module that registered them: this module's apply to every assignment, an
# assignment's grading.py registers its own (so two chapters may use one key differently).
REGISTRIES = {}


def diagnosis(key, message, items=None, visible=None, fallback=False):
    """Decorator registering a diagnosis; ``items`` limits it to these function names,
    ``visible`` names the kit verdict that shows it in visible tests, and ``fallback`` names it
    only when no other diagnosis does (see :class:`Diagnosis`).

    Raises ValueError when ``key`` is already a generic diagnosis or already registered by the
    same module: one key names one mistake within an assignment.
    """

    def register(function):
        module = function.__module__
        registry = REGISTRIES.setdefault(module, {})
        if key in registry or key in REGISTRIES.get(GENERIC_MODULE, {}):
            raise ValueError(f"diagnosis {key!r} is registered twice (by {module})")
        if visible is not None and visible not in VERDICTS:
            raise ValueError(f"diagnosis {key!r}: unknown visible verdict {visible!r}")
        registry[key] = Diagnosis(
            key, message, function, tuple(items) if items else None, visible, fallback
        )
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
    """The candidates a diagnosis proposes for this attempt (a list, maybe empty).

    A mutation the reference rejects (e.g. a kernel too large) raises: it cannot match, but the
    candidates a generator yielded before it still count."""
    found = []
    try:
        if inspect.isgeneratorfunction(diagnosis_entry.function):
            for candidate in diagnosis_entry.function(attempt):
                found.append(candidate)
        else:
            result = diagnosis_entry.function(attempt)
            found.extend([] if result is None else [result])
    except Exception:
        pass
    return found


def applies(diagnosis_entry, item):
    """True when the diagnosis is registered for every item or for this one."""
    return diagnosis_entry.items is None or item.name in diagnosis_entry.items


def diagnoses_for(item):
    """The diagnoses that apply to ``item``: generic and its assignment's, limited by ``items``."""
    entries = registry(getattr(item, "module", None)).values()
    return [entry for entry in entries if applies(entry, item)]


def visible_verdicts(attempt, fallback=False):
    """{kit verdict name: message} of the verdict diagnoses of the attempt's item (its fallback
    ones when ``fallback``), for the visible tests (autograder/kit/visible.py evaluates the
    verdicts on the learner's outputs, and shows fallbacks only when nothing else matched)."""
    return {
        entry.visible: entry.text(attempt)
        for entry in diagnoses_for(attempt.item)
        if entry.visible is not None and entry.fallback == fallback and entry.text(attempt)
    }


def likely_mistakes(attempt):
    """Registered diagnoses whose candidate matches the learner's outputs: [(key, message)];
    fallback diagnoses only when no other one matches."""
    found = {False: [], True: []}
    for entry in diagnoses_for(attempt.item):
        if any(matches_candidate(attempt, candidate) for candidate in candidates(entry, attempt)):
            found[entry.fallback].append((entry.key, entry.text(attempt)))
    return found[False] or found[True]


def spatial_axes(array):
    """Spatial axes of a channels-first tensor: all of a 1-D signal, else axes 2 and up."""
    return tuple(range(array.ndim)) if array.ndim == 1 else tuple(range(2, array.ndim))


def pairs(value, count):
    """An int or a tuple hyper-parameter as a tuple of ``count`` ints."""
    return tuple(value) if isinstance(value, tuple | list) else (value,) * count


def argument(values):
    """Per-axis values as a function argument: an int for one axis (1D functions take ints), a
    tuple for several."""
    return values[0] if len(values) == 1 else tuple(values)


def hyper(attempt, name):
    """The case's stride, padding or dilation as one int per spatial axis of ``x`` (the default
    when absent or None), so ``1`` and ``(1, 1)`` compare alike."""
    value, x = attempt.setting(name), attempt.inputs.get("x")
    count = len(spatial_axes(x)) if isinstance(x, np.ndarray) else 1
    return pairs(DEFAULTS[name] if value is None else value, count)


def dimensions(attempt):
    """Spatial axes of the case: 1 for signals ((T,) or (N, C, T)), 2 for images (N, C, H, W)."""
    x = attempt.inputs.get("x")
    return len(spatial_axes(x)) if isinstance(x, np.ndarray) else 1


def in_dimensions(one_d, two_d):
    """A message in the case's own dimensionality and symbols: ``one_d`` for signals (T, K, t),
    ``two_d`` for images (H, W, KH, KW, i, j)."""

    def text(attempt):
        return one_d if dimensions(attempt) == 1 else two_d

    return text


def taught(attempt, name):
    """True when some hidden case of the item sets ``name`` (stride, padding, dilation): the
    assignment teaches it, so its messages may use it."""
    return any(
        case.get(name) is not None
        or (isinstance(case.get("init"), dict) and case["init"].get(name) not in (None, 1, 0))
        for case in attempt.item.hidden
    )


def size_formula(attempt):
    """The output-size formula of the case's item, in its symbols, with the terms it teaches."""
    x = attempt.inputs.get("x")
    if isinstance(x, np.ndarray) and x.ndim == 1:  # chapter 1: one output per entry of x
        return "the output has one entry per position of x (T of them), zeros read past its end"
    pooling = "pool" in attempt.item.name.lower()
    axes = [("T", "K", "")] if dimensions(attempt) == 1 else [("H", "KH", "_h"), ("W", "KW", "_w")]
    formulas = []
    for size, kernel, suffix in axes:
        padding = f" + 2 p{suffix}" if taught(attempt, "padding") else ""
        span = f"d{suffix} ({kernel} - 1) + 1" if taught(attempt, "dilation") else kernel
        read = f"{size}{padding} - {span}" if " " not in span else f"{size}{padding} - ({span})"
        if taught(attempt, "stride") or pooling:
            formulas.append(f"{size}_out = floor(({read}) / s{suffix}) + 1")
        else:
            formulas.append(f"{size}_out = {read} + 1")
    text = ", ".join(formulas)
    if pooling:
        text += " (the stride s defaults to the window size)"
    return text


# ---- mistakes that apply to many functions -------------------------------------------------


@diagnosis(
    "flipped_kernel",
    in_dimensions(
        "flipped kernel: this is a true convolution (weight reversed along k); the course "
        "computes cross-correlation: tap k multiplies the input k cells after the window's "
        "start, out[t] = sum_k weight[k] * x[t + k], with no flip",
        "flipped kernel: this is a true convolution (the kernel turned by 180 degrees); the "
        "course computes cross-correlation: tap (kh, kw) multiplies the input kh rows and kw "
        "columns after the window's top-left corner, with no flip",
    ),
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


def sized_forward(attempt):
    """True when the item computes one output of a window operation (unroll, convolution,
    pooling) whose size follows :func:`size_formula`: x with spatial axes, a kernel."""
    x, item = attempt.inputs.get("x"), attempt.item
    return (
        isinstance(x, np.ndarray)
        and x.ndim in (1, 3, 4)
        and ("weight" in attempt.inputs or "kernel_size" in attempt.inputs)
        and tuple(item.outputs) == ("output",)
        and "backward" not in item.name
    )


def size_advice(attempt):
    """The wrong_size message: the expected shape, in the item's own symbols ("" when the item
    is not a window operation)."""
    if not sized_forward(attempt):
        return ""
    x = attempt.inputs["x"]
    if "unroll" in attempt.item.name and x.ndim == 1:
        return (
            "wrong output shape: the unrolled matrix has one row per position of x (T rows) and "
            "one column per kernel tap (K columns), zeros read past the end of x"
        )
    if "unroll" in attempt.item.name:
        return (
            "wrong output shape: the unrolled matrix is (N, H_out * W_out, C * KH * KW), one row "
            f"per output position, with {size_formula(attempt)}"
        )
    return f"wrong output shape: check the output size, {size_formula(attempt)}"


@diagnosis("wrong_size", size_advice, visible="shape_differs", fallback=True)
def wrong_size(attempt):
    if not sized_forward(attempt):
        return None
    return verdict("shape_differs", attempt.got, attempt.expected)


def off_by_one_advice(attempt):
    """The off_by_one_size message, with the size formula of a window operation."""
    formula = f"; {size_formula(attempt)}" if sized_forward(attempt) else ""
    return f"off-by-one output size: check the loop ranges{formula}"


@diagnosis("off_by_one_size", off_by_one_advice, visible="off_by_one_shape")
def off_by_one_size(attempt):
    return verdict("off_by_one_shape", attempt.got, attempt.expected)


def dtype_advice(attempt):
    """The wrong_dtype message: the dtype the reference returns, and how to get it."""
    expected = [np.asarray(out).dtype for out in attempt.expected if isinstance(out, np.ndarray)]
    got = [np.asarray(out).dtype for out in attempt.got]
    inputs = {value.dtype for value in attempt.inputs.values() if isinstance(value, np.ndarray)}
    wanted = ", ".join(sorted({str(dtype) for dtype in expected}))
    returned = ", ".join(sorted({str(dtype) for dtype in got}))
    text = f"wrong dtype: expected {wanted} (the reference's dtype)"
    if returned != wanted:  # (the visible tests' hint is written before any answer exists)
        text += f", got {returned}"
    if set(expected) <= inputs:
        return text + "; keep the dtype of the inputs, e.g. np.zeros(shape, dtype=x.dtype)"
    return text + f"; create the result as {wanted} whatever the inputs' dtype"


@diagnosis("wrong_dtype", dtype_advice, visible="dtype_differs")
def wrong_dtype(attempt):
    return verdict("dtype_differs", attempt.got, attempt.expected)


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
    bias = attempt.inputs.get("bias")
    if bias is None:
        return None
    if attempt.item.driver == "layer":  # a layer's bias is a parameter: a zero one adds nothing
        return forward_only(attempt, bias=np.zeros_like(bias))
    return attempt.reference(bias=None)


@diagnosis(
    "padding_one_side",
    in_dimensions(
        "padding on one side only: add `padding` zeros at BOTH ends of the signal, "
        "np.pad(x, ((0, 0), (0, 0), (p, p))), so the padded length is T + 2 p",
        "padding on one side only: add p_h zeros above AND below, p_w zeros left AND right, "
        "np.pad(x, ((0, 0), (0, 0), (p_h, p_h), (p_w, p_w)))",
    ),
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
    in_dimensions(
        "stride applied in the wrong place: stride moves the start of each window, output t "
        "reads x_pad[t * s + k * d]; it does not space the kernel taps apart (that is dilation)",
        "stride applied in the wrong place: stride moves the start of each window, output (i, j) "
        "reads x_pad[i * s_h + kh * d_h, j * s_w + kw * d_w]; it does not space the kernel taps "
        "apart (that is dilation)",
    ),
)
def stride_as_dilation(attempt):
    stride, dilation = hyper(attempt, "stride"), hyper(attempt, "dilation")
    if all(step == 1 for step in stride):
        return
    # the stride spaces the taps and windows move by one (any dilation ignored) ...
    yield attempt.reference(stride=1, dilation=argument(stride))
    # ... or stride and dilation trade places
    if stride != dilation:
        yield attempt.reference(stride=argument(dilation), dilation=argument(stride))


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
    in_dimensions(
        "input gradient with the kernel not reversed: spreading grad_out back over x is a full "
        "correlation with the kernel reversed along k (weight[:, :, ::-1]), or equivalently "
        "grad_x_pad[t * s + k * d] += weight[k] * grad_out[t]",
        "input gradient with the kernel not rotated: spreading grad_out back over x is a full "
        "correlation with the kernel turned by 180 degrees (weight[:, :, ::-1, ::-1]), or "
        "equivalently grad_x_pad[i * s_h + kh * d_h, j * s_w + kw * d_w] += "
        "weight[kh, kw] * grad_out[i, j]",
    ),
)
def kernel_not_rotated(attempt):
    if not convolution_backward(attempt):
        return None
    weight = attempt.inputs["weight"]
    rotated = np.flip(weight, axis=tuple(range(2, weight.ndim))).copy()
    return proposal(attempt, grad_x=attempt.reference(weight=rotated)[attempt.output("grad_x")])


@diagnosis(
    "stride_ignored_in_backward",
    in_dimensions(
        "stride ignored in the backward pass: output t read the window starting at t * s, so "
        "its gradient goes back to that window, grad_x_pad[t * s + k * d] += weight[k] * "
        "grad_out[t] (and grad_weight reads the same window), not to the window starting at t",
        "stride ignored in the backward pass: output (i, j) read the window starting at "
        "(i * s_h, j * s_w), so its gradient goes back to that window (and grad_weight reads the "
        "same window), not to the window starting at (i, j)",
    ),
)
def stride_ignored_in_backward(attempt):
    if not convolution_backward(attempt):
        return
    stride, dilation = hyper(attempt, "stride"), hyper(attempt, "dilation")
    if all(step == 1 for step in stride):
        return
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
    grad_x = crop(grad_padded, padding, [p + n for p, n in zip(padding, size, strict=True)])
    yield proposal(
        attempt,
        grad_x=grad_x,
        grad_weight=read[attempt.output("grad_weight")],
        grad_bias=read[attempt.output("grad_bias")],
    )
    yield proposal(attempt, grad_x=grad_x)  # the weight gradient right, the input gradient not


@diagnosis(
    "padding_not_cropped",
    in_dimensions(
        "padding not cropped: your grad_x is the gradient of the PADDED signal (length T + 2 p); "
        "drop p cells at both ends, grad_x_pad[:, :, p:p + T], so grad_x has the shape of x",
        "padding not cropped: your grad_x is the gradient of the PADDED image "
        "(H + 2 p_h, W + 2 p_w); drop p_h rows at the top and bottom and p_w columns at both "
        "sides, grad_x_pad[:, :, p_h:p_h + H, p_w:p_w + W], so grad_x has the shape of x",
    ),
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


@diagnosis(
    "grad_bias_not_summed",
    "grad_bias is not the sum of grad_out over the batch and every position: every sample and "
    "position adds its grad_out[n, o, ...] to grad_bias[o] (a sum, not a mean, and not one "
    "sample only)",
)
def grad_bias_not_summed(attempt):
    index, grad_out = attempt.output("grad_bias"), attempt.inputs.get("grad_out")
    if index is None or not isinstance(grad_out, np.ndarray) or grad_out.ndim < 2:
        return
    spatial = tuple(range(2, grad_out.ndim))
    per_sample = grad_out.sum(axis=spatial) if spatial else grad_out  # (N, O)
    yield proposal(attempt, grad_bias=grad_out.mean(axis=(0, *spatial)))
    yield proposal(attempt, grad_bias=per_sample.mean(axis=0))
    for sample in (0, grad_out.shape[0] - 1):
        yield proposal(attempt, grad_bias=per_sample[sample])


def forward_convolution(attempt):
    """True when the item's first output is a convolution's forward output of x and weight with
    channels (a function or a layer): x (N, C, ...), weight (O, C, ...)."""
    x, weight = attempt.inputs.get("x"), attempt.inputs.get("weight")
    return (
        attempt.item.outputs[0] == "output"
        and isinstance(x, np.ndarray)
        and isinstance(weight, np.ndarray)
        and x.ndim >= 3
        and weight.ndim == x.ndim
    )


def forward_only(attempt, **changes):
    """The reference's forward output on changed inputs, the other outputs unchecked."""
    return [attempt.reference(**changes)[0]] + [None] * (len(attempt.item.outputs) - 1)


@diagnosis(
    "first_channel_only",
    lambda attempt: (
        "only the first input channel counts: out[n, o] sums over EVERY input channel c, "
        "weight[o, c] against x[n, c] ("
        + ("sum over c and k" if dimensions(attempt) == 1 else "sum over c, kh and kw")
        + "), not only c = 0"
    ),
)
def first_channel_only(attempt):
    if not forward_convolution(attempt) or attempt.inputs["x"].shape[1] == 1:
        return None
    x, weight = attempt.inputs["x"], attempt.inputs["weight"]
    changes = {"x": x[:, :1].copy(), "weight": weight[:, :1].copy()}
    init = attempt.inputs.get("init")
    if isinstance(init, dict) and "in_channels" in init:
        changes["init"] = {**init, "in_channels": 1}
    return forward_only(attempt, **changes)


@diagnosis(
    "kernel_axes_swapped",
    "kernel axes swapped: weight has shape (O, C, KH, KW), so weight[o, c, kh, kw] is row kh, "
    "column kw of the kernel; you read it as (KW, KH) (weight[o, c, kw, kh], or a transposed "
    "grad_weight)",
)
def kernel_axes_swapped(attempt):
    weight = attempt.inputs.get("weight")
    if not isinstance(weight, np.ndarray) or weight.ndim != 4:
        return
    if forward_convolution(attempt):
        # first the output shape (a transposed kernel too large for x: the reference refuses it)
        x, (kernel_height, kernel_width) = attempt.inputs["x"], weight.shape[2:]
        if attempt.item.driver == "call" and all(step == 1 for step in hyper(attempt, "stride")):
            padding = hyper(attempt, "padding")
            swapped = (
                x.shape[2] + 2 * padding[0] - kernel_width + 1,
                x.shape[3] + 2 * padding[1] - kernel_height + 1,
            )
            got, expected = np.shape(attempt.got[0]), np.shape(attempt.expected[0])
            if kernel_height != kernel_width and got[2:] == swapped and got != expected:
                yield True
        yield forward_only(attempt, weight=np.swapaxes(weight, 2, 3).copy())
    index = attempt.output("grad_weight")
    if index is not None and convolution_backward(attempt):
        yield proposal(attempt, grad_weight=np.swapaxes(attempt.expected[index], 2, 3))


@diagnosis(
    "grad_weight_transposed",
    "grad_weight is transposed: it must have the weight's shape (out_features, in_features), "
    "grad_weight = grad_out.T @ x (not x.T @ grad_out)",
)
def grad_weight_transposed(attempt):
    index = attempt.output("grad_weight")
    if index is None or np.ndim(attempt.expected[index]) != 2:
        return None
    return proposal(attempt, grad_weight=attempt.expected[index].T)
