"""Grading spec of assignment 06_pooling: max and average pooling, forward and backward
(see exercises/FORMAT.md).

Half of the max-pooling cases draw small integers (``kind="integers"``: values 0..4), so most
windows hold a tie: the gradient must go to the FIRST maximum in row-major window order, and
answers that send it to every maximum or to the last one lose those cases.  Strides smaller than
the window make windows overlap (their gradients add up), strides larger than it skip cells, and
sizes that the stride does not divide drop the last cells (floor, as in PyTorch).
"""

import numpy as np

from autograder.diagnose import diagnosis, pairs, windows
from autograder.spec import Item, array, seeded
from solutions import conv_output_size

# (N, C, T, kernel_size, stride): None = the default stride (kernel_size).
POOL1D = [
    (1, 1, 6, 2, None),
    (2, 3, 7, 2, None),
    (2, 2, 9, 3, None),
    (1, 2, 8, 3, 1),
    (2, 1, 10, 3, 2),
    (1, 3, 11, 4, 3),
    (2, 2, 7, 2, 3),
    (1, 1, 5, 5, None),
    (3, 2, 12, 1, None),
    (1, 2, 9, 4, 2),
    (2, 1, 13, 3, None),
]

# (N, C, H, W, kernel_size, stride): ints and (height, width) pairs, non-square windows.
POOL2D = [
    (1, 1, 4, 4, 2, None),
    (2, 3, 5, 5, 2, None),
    (2, 2, 6, 6, 3, None),
    (1, 2, 5, 5, 3, 1),
    (2, 1, 7, 7, 3, 2),
    (1, 2, 8, 6, (2, 3), None),
    (2, 2, 9, 7, (3, 2), (2, 1)),
    (1, 3, 7, 9, 2, 3),
    (1, 1, 4, 6, (4, 6), None),
    (2, 2, 6, 5, 1, None),
    (1, 2, 10, 8, 3, (3, 2)),
    (2, 1, 7, 8, (2, 4), (1, 2)),
]

# (dtype, kind) of x for every shape: ties (integers) in both dtypes, and distinct values.
MAX_VALUES = (("float64", "integers"), ("float32", "integers"), ("float32", "normal"))
AVERAGE_VALUES = (("float64", "normal"), ("float32", "normal"))


def pool_case(batch, channels, size, kernel_size, stride, dtype, kind, backward):
    """x (and for a backward item grad_out of the output's shape) for one pooling call."""
    axes = len(size)
    steps = pairs(kernel_size if stride is None else stride, axes)
    out_size = [
        conv_output_size(n, k, s)
        for n, k, s in zip(size, pairs(kernel_size, axes), steps, strict=True)
    ]
    case = {"x": array(batch, channels, *size, dtype=dtype, kind=kind), "kernel_size": kernel_size}
    if backward:
        case = {"grad_out": array(batch, channels, *out_size, dtype=dtype), **case}
    return case if stride is None else {**case, "stride": stride}


def pool_cases(shapes, first_seed, values, backward=False):
    """Every (N, C, *size, kernel_size, stride) of ``shapes`` with every (dtype, kind)."""
    cases = [
        pool_case(n, c, size, kernel_size, stride, dtype, kind, backward)
        for n, c, *size, kernel_size, stride in shapes
        for dtype, kind in values
    ]
    return seeded(cases, first_seed)


# The chapter's worked examples: one signal with a tie in its second window, and a 4 x 4 image.
EXAMPLE_SIGNAL = np.array([[[1.0, 3.0, 2.0, 2.0, 5.0, 4.0, 0.0]]])
EXAMPLE_IMAGE = np.array(
    [[[[1.0, 2.0, 0.0, 1.0], [4.0, 3.0, 1.0, 1.0], [0.0, 0.0, 2.0, 6.0], [5.0, 1.0, 3.0, 1.0]]]]
)


def visible_1d(backward, seed):
    random = pool_case(2, 2, (8,), 3, 2, "float32", "integers", backward)
    tie = {"x": EXAMPLE_SIGNAL, "kernel_size": 2}
    if backward:
        tie = {"grad_out": np.array([[[1.0, 10.0, 100.0]]]), **tie}
    return [tie, {**random, "seed": seed}]


def visible_2d(backward, seed, kind="integers"):
    random = pool_case(1, 2, (5, 6), (2, 3), (1, 2), "float32", kind, backward)
    example = {"x": EXAMPLE_IMAGE, "kernel_size": 2}
    if backward:
        example = {"grad_out": np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), **example}
    return [example, {**random, "seed": seed}]


ITEMS = [
    Item(
        "maxpool1d",
        points=1,
        visible=visible_1d(backward=False, seed=1),
        hidden=pool_cases(POOL1D, 100, MAX_VALUES),
    ),
    Item(
        "maxpool1d_backward",
        points=2,
        visible=visible_1d(backward=True, seed=2),
        hidden=pool_cases(POOL1D, 200, MAX_VALUES, backward=True),
    ),
    Item(
        "maxpool2d",
        points=2,
        visible=visible_2d(backward=False, seed=3),
        hidden=pool_cases(POOL2D, 300, MAX_VALUES),
    ),
    Item(
        "maxpool2d_backward",
        points=3,
        visible=visible_2d(backward=True, seed=4),
        hidden=pool_cases(POOL2D, 400, MAX_VALUES, backward=True),
    ),
    Item(
        "avgpool2d",
        points=1,
        visible=visible_2d(backward=False, seed=5, kind="normal"),
        hidden=pool_cases(POOL2D, 500, AVERAGE_VALUES),
    ),
    Item(
        "avgpool2d_backward",
        points=2,
        visible=visible_2d(backward=True, seed=6, kind="normal"),
        hidden=pool_cases(POOL2D, 600, AVERAGE_VALUES, backward=True),
    ),
]


# ---- mistakes specific to this chapter (generic ones live in autograder/diagnose.py) --------

MAX_FORWARD = ("maxpool1d", "maxpool2d")
MAX_BACKWARD = ("maxpool1d_backward", "maxpool2d_backward")
FORWARD = (*MAX_FORWARD, "avgpool2d")
BACKWARD = (*MAX_BACKWARD, "avgpool2d_backward")


def first_maximum(flat):
    """One-hot (..., K) mask of the first maximum of each window (the right rule)."""
    return np.arange(flat.shape[-1]) == flat.argmax(axis=-1)[..., None]


def every_maximum(flat):
    return flat == flat.max(axis=-1, keepdims=True)


def last_maximum(flat):
    last = flat.shape[-1] - 1 - flat[..., ::-1].argmax(axis=-1)
    return np.arange(flat.shape[-1]) == last[..., None]


def every_element(flat):
    return np.ones(flat.shape, dtype=bool)


def scatter(attempt, receives, share=1.0, overwrite=False):
    """grad_x when each window hands share * grad_out to the cells ``receives`` marks.

    With ``overwrite`` a window assigns instead of adding (windows in row-major order, so a
    later window replaces what an earlier one wrote on the cells they share).
    """
    x, grad_out = attempt.inputs["x"], attempt.inputs["grad_out"]
    grad_x = np.zeros_like(x)
    for position, window in windows(
        x.shape[2:], attempt.inputs["kernel_size"], attempt.inputs.get("stride")
    ):
        cells = (slice(None), slice(None), *window)
        block = x[cells]
        mask = receives(block.reshape(*block.shape[:2], -1)).reshape(block.shape)
        value = grad_out[(slice(None), slice(None), *position)] * x.dtype.type(share)
        value = np.broadcast_to(value[(...,) + (None,) * len(window)], block.shape)
        if overwrite:
            grad_x[cells] = np.where(mask, value, grad_x[cells])
        else:
            grad_x[cells] += np.where(mask, value, 0)
    return grad_x


def window_size(attempt):
    return int(np.prod(pairs(attempt.inputs["kernel_size"], attempt.inputs["x"].ndim - 2)))


@diagnosis(
    "gradient_to_every_maximum",
    "gradient sent to every maximum of a window: when several entries tie for the maximum, only "
    "the FIRST one (row-major order inside the window, what argmax returns) receives the gradient",
    items=MAX_BACKWARD,
)
def gradient_to_every_maximum(attempt):
    return scatter(attempt, every_maximum)


@diagnosis(
    "gradient_to_last_maximum",
    "gradient sent to the LAST maximum of a window: with ties it goes to the first one in "
    "row-major order (np.argmax returns the first; a >= comparison in a loop keeps the last)",
    items=MAX_BACKWARD,
)
def gradient_to_last_maximum(attempt):
    return scatter(attempt, last_maximum)


@diagnosis(
    "overlap_overwritten",
    "overlapping windows overwrite each other: a cell shared by several windows collects the sum "
    "of their gradients (grad_x[...] += ..., not =)",
    items=BACKWARD,
)
def overlap_overwritten(attempt):
    if "avg" in attempt.item.name:
        return scatter(attempt, every_element, 1.0 / window_size(attempt), overwrite=True)
    return scatter(attempt, first_maximum, overwrite=True)


@diagnosis(
    "argmax_unraveled_wrong",
    "the window's argmax is sent to the wrong cell: np.argmax of the window flattened row by row "
    "gives k = row * KW + column, so row = k // KW and column = k % KW "
    "(np.unravel_index(k, (KH, KW))), not the column-major reading",
    items=("maxpool2d_backward",),
)
def argmax_unraveled_wrong(attempt):
    kernel_height, kernel_width = pairs(attempt.inputs["kernel_size"], 2)

    def column_major(flat):
        column, row = np.divmod(flat.argmax(axis=-1), kernel_height)
        return np.arange(flat.shape[-1]) == (row * kernel_width + column)[..., None]

    return scatter(attempt, column_major)


@diagnosis(
    "average_not_divided",
    "sum instead of average: every window's value (and its gradient share) is divided by the "
    "window size KH * KW",
    items=("avgpool2d", "avgpool2d_backward"),
)
def average_not_divided(attempt):
    return attempt.expected[0] * window_size(attempt)


@diagnosis(
    "stride_defaults_to_one",
    "stride=None means stride = kernel_size (windows side by side, no overlap), not stride 1",
    items=FORWARD,
)
def stride_defaults_to_one(attempt):
    if attempt.inputs.get("stride") is not None:
        return None
    return attempt.reference(stride=1)[0]


@diagnosis(
    "pool_ceil_size",
    "one window too many: the output size rounds DOWN, floor((size - kernel_size) / stride) + 1; "
    "a last window that would run past the edge is dropped, not cut short",
    items=FORWARD,
)
def pool_ceil_size(attempt):
    x, kernel_size = attempt.inputs["x"], attempt.inputs["kernel_size"]
    axes = x.ndim - 2
    kernel = pairs(kernel_size, axes)
    stride = pairs(attempt.inputs.get("stride") or kernel_size, axes)
    size = x.shape[2:]
    ceil = [-(-(n - k) // s) + 1 for n, k, s in zip(size, kernel, stride, strict=True)]
    floor = [(n - k) // s + 1 for n, k, s in zip(size, kernel, stride, strict=True)]
    if ceil == floor or any((c - 1) * s >= n for c, s, n in zip(ceil, stride, size, strict=True)):
        return  # no extra window, or one that starts past the edge (an empty window)
    # windows cut short at the edge: the maximum (or mean) of what is left of them
    out = np.zeros(x.shape[:2] + tuple(ceil), dtype=x.dtype)
    for position in np.ndindex(*ceil):
        cells = tuple(
            slice(p * s, p * s + k) for p, s, k in zip(position, stride, kernel, strict=True)
        )
        block = x[(slice(None), slice(None), *cells)].reshape(*x.shape[:2], -1)
        reduce = np.max if "max" in attempt.item.name else np.mean
        out[(slice(None), slice(None), *position)] = reduce(block, axis=-1)
    yield out


def window_mean(attempt):
    """The average of every window (what an average pooling of the case returns)."""
    x, kernel_size = attempt.inputs["x"], attempt.inputs["kernel_size"]
    out = np.zeros(attempt.expected[0].shape, dtype=x.dtype)
    for position, window in windows(x.shape[2:], kernel_size, attempt.inputs.get("stride")):
        block = x[(slice(None), slice(None), *window)]
        out[(slice(None), slice(None), *position)] = block.mean(axis=tuple(range(2, x.ndim)))
    return out


@diagnosis(
    "average_not_max",
    "average instead of maximum: max pooling keeps the LARGEST value of each window (and its "
    "gradient goes to that one cell only), it does not average the window",
    items=(*MAX_FORWARD, *MAX_BACKWARD),
)
def average_not_max(attempt):
    if attempt.item.name in MAX_FORWARD:
        return window_mean(attempt)
    return scatter(attempt, every_element, 1.0 / window_size(attempt))


@diagnosis(
    "routed_gradient_divided",
    "routed gradient divided by the window size: the maximum takes the WHOLE grad_out of its "
    "window (d max / d x = 1 at the maximum), not grad_out / window size",
    items=MAX_BACKWARD,
)
def routed_gradient_divided(attempt):
    return scatter(attempt, first_maximum, 1.0 / window_size(attempt))


@diagnosis(
    "window_pair_swapped",
    "window pair read in the wrong order: kernel_size and stride pairs are (height, width), like "
    "the shape (H, W); the first number acts along the rows",
    items=("maxpool2d", "avgpool2d"),
)
def window_pair_swapped(attempt):
    kernel_size, stride = attempt.inputs["kernel_size"], attempt.inputs.get("stride")
    swapped = {}
    if isinstance(kernel_size, tuple | list) and kernel_size[0] != kernel_size[1]:
        swapped["kernel_size"] = tuple(reversed(kernel_size))
    if isinstance(stride, tuple | list) and stride[0] != stride[1]:
        swapped["stride"] = tuple(reversed(stride))
    if not swapped:
        return
    yield attempt.reference(**swapped)[0]
    if len(swapped) > 1:
        for name, value in swapped.items():
            yield attempt.reference(**{name: value})[0]


@diagnosis(
    "upsampled_ignoring_stride",
    "gradient spread as if the windows tiled x: repeating grad_out KH x KW times (np.repeat, "
    "np.kron) only works when the stride equals the window; with another stride, window (i, j) "
    "starts at (i * s_h, j * s_w) and overlapping windows add up",
    items=("avgpool2d_backward",),
)
def upsampled_ignoring_stride(attempt):
    grad_out, x = attempt.inputs["grad_out"], attempt.inputs["x"]
    kernel = pairs(attempt.inputs["kernel_size"], 2)
    if attempt.inputs.get("stride") is None or pairs(attempt.inputs["stride"], 2) == kernel:
        return None
    up = np.repeat(np.repeat(grad_out, kernel[0], axis=2), kernel[1], axis=3) / window_size(attempt)
    grad_x = np.zeros_like(x)
    rows, columns = min(up.shape[2], x.shape[2]), min(up.shape[3], x.shape[3])
    grad_x[:, :, :rows, :columns] = up[:, :, :rows, :columns]
    return grad_x


def scatter_windows_at_steps_of_one(attempt, receives, share=1.0):
    """grad_x when the backward pass starts window p at p (stride ignored), for every position p
    of grad_out; windows that run past x are cut at its edge."""
    x, grad_out = attempt.inputs["x"], attempt.inputs["grad_out"]
    kernel = pairs(attempt.inputs["kernel_size"], x.ndim - 2)
    grad_x = np.zeros_like(x)
    for position in np.ndindex(*grad_out.shape[2:]):
        window = tuple(slice(p, p + k) for p, k in zip(position, kernel, strict=True))
        cells = (slice(None), slice(None), *window)
        block = x[cells]
        if block.size == 0:
            continue
        mask = receives(block.reshape(*block.shape[:2], -1)).reshape(block.shape)
        value = grad_out[(slice(None), slice(None), *position)] * x.dtype.type(share)
        grad_x[cells] += np.where(mask, value[(...,) + (None,) * len(window)], 0)
    return grad_x


@diagnosis(
    "stride_ignored_in_pool_backward",
    "stride ignored in the backward pass: output position p pooled the window starting at "
    "p * stride (stride = window size by default), so its gradient goes back to that window, "
    "not to the window starting at p",
    items=BACKWARD,
)
def stride_ignored_in_pool_backward(attempt):
    kernel_size, stride = attempt.inputs["kernel_size"], attempt.inputs.get("stride")
    axes = attempt.inputs["x"].ndim - 2
    if all(step == 1 for step in pairs(kernel_size if stride is None else stride, axes)):
        return None
    if "avg" in attempt.item.name:
        return scatter_windows_at_steps_of_one(attempt, every_element, 1.0 / window_size(attempt))
    return scatter_windows_at_steps_of_one(attempt, first_maximum)
