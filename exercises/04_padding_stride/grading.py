"""Grading spec of assignment 04_padding_stride: conv_output_size, then conv1d and conv2d with
stride, padding and dilation (see exercises/FORMAT.md)."""

import numpy as np

from autograder.diagnose import diagnosis, hyper, in_dimensions, pairs
from autograder.spec import Item, array, seeded

DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1}
DTYPES = ("float64", "float32")

# (size, kernel_size, stride, padding, dilation): sizes the stride does not divide, windows as
# large as the padded input, large paddings, strides larger than the span, and three windows that
# do not fit (ValueError).
SIZES = [
    (1, 1, 1, 0, 1),
    (5, 3, 1, 0, 1),
    (5, 3, 2, 0, 1),
    (6, 3, 2, 0, 1),
    (7, 3, 2, 1, 1),
    (28, 3, 2, 1, 1),
    (28, 5, 1, 2, 1),
    (10, 3, 1, 0, 2),
    (10, 3, 3, 2, 2),
    (9, 4, 2, 1, 1),
    (8, 2, 2, 0, 1),
    (8, 2, 3, 0, 1),
    (5, 5, 1, 0, 1),
    (3, 5, 1, 1, 1),
    (4, 3, 1, 0, 2),
    (3, 7, 1, 1, 1),
    (2, 3, 1, 0, 1),
    (11, 3, 4, 0, 3),
    (13, 4, 3, 2, 2),
    (32, 7, 2, 3, 1),
    (16, 3, 5, 1, 1),
    (15, 2, 4, 0, 1),
    (20, 5, 3, 0, 2),
    (6, 1, 1, 3, 1),
    (7, 2, 7, 0, 1),
    (9, 3, 2, 4, 3),
    (12, 6, 1, 0, 1),
    (1, 1, 3, 2, 1),
    (100, 11, 10, 5, 1),
    (4, 2, 1, 0, 3),
]

# (N, C, H, W, O, KH, KW, stride, padding, dilation): int and pair arguments (pairs with equal
# and unequal values), kernels as large as the (padded) input, 1 x 1 kernels, batch 1, channel 1.
CONVOLUTIONS = [
    (1, 1, 5, 5, 1, 3, 3, 1, 1, 1),
    (2, 3, 7, 7, 4, 3, 3, 2, 1, 1),
    (1, 2, 8, 6, 3, 3, 3, 2, 0, 1),
    (2, 1, 9, 7, 2, 2, 3, (2, 1), 0, 1),
    (1, 3, 6, 9, 2, 3, 2, (1, 3), (1, 0), 1),
    (2, 2, 10, 8, 3, 3, 3, 1, 0, 2),
    (1, 2, 11, 9, 2, 3, 2, 2, 2, (2, 1)),
    (1, 1, 4, 4, 1, 4, 4, 1, 0, 1),
    (1, 2, 3, 3, 2, 5, 5, 1, 1, 1),
    (2, 3, 5, 7, 2, 3, 3, 3, 1, 1),
    (3, 1, 12, 10, 2, 4, 3, (3, 2), (2, 1), 1),
    (1, 4, 7, 5, 3, 1, 1, 2, 0, 1),
    (2, 2, 6, 6, 2, 2, 2, 2, 0, 1),
    (1, 3, 9, 9, 4, 3, 3, 2, 1, 3),
    (1, 1, 7, 12, 1, 3, 5, (1, 2), (0, 2), (2, 1)),
    (2, 2, 5, 5, 3, 3, 3, 1, (0, 2), 1),
    (1, 2, 13, 11, 2, 5, 3, 4, 2, 1),
    (2, 1, 8, 8, 2, 3, 3, 1, 3, 1),
    (1, 2, 6, 4, 2, 2, 2, (2, 2), (1, 1), 1),
    (1, 3, 10, 10, 2, 3, 3, 3, 0, 2),
    (2, 2, 7, 5, 3, 2, 4, (2, 3), 1, 1),
    (1, 1, 5, 8, 2, 5, 2, 1, 0, (1, 3)),
]


# (N, C, T, O, K, stride, padding, dilation): every hyper-parameter alone and mixed, strides the
# padded length does not divide (the last cells are never read), strides larger than the span,
# padding larger than the span (windows of zeros only), kernels as long as the padded signal,
# one-tap kernels, batch 1, channel 1.
CONVOLUTIONS_1D = [
    (1, 1, 7, 1, 3, 2, 0, 1),
    (2, 3, 9, 2, 3, 1, 1, 1),
    (1, 2, 10, 3, 3, 3, 0, 1),
    (2, 1, 11, 2, 3, 1, 0, 2),
    (1, 2, 13, 2, 4, 2, 2, 2),
    (2, 2, 8, 3, 2, 3, 1, 1),
    (1, 3, 12, 2, 3, 4, 1, 3),
    (2, 1, 6, 1, 8, 1, 1, 1),
    (1, 2, 5, 2, 1, 2, 3, 1),
    (3, 2, 16, 2, 5, 5, 2, 1),
    (1, 1, 9, 2, 3, 2, 4, 1),
    (2, 2, 15, 3, 3, 2, 1, 3),
    (1, 3, 20, 2, 4, 3, 2, 2),
    (2, 1, 4, 2, 2, 1, 2, 2),
]


def random_hyperparameter(rng, low, high):
    """An int, or a (height, width) pair of two different ints, between low and high."""
    first, second = (int(value) for value in rng.integers(low, high + 1, size=2))
    return (first, second) if rng.random() < 0.5 and first != second else first


def random_convolutions(count, seed):
    """More CONVOLUTIONS rows that fit, from a fixed generator: the judge draws the same ones."""
    rng = np.random.default_rng(seed)
    rows = []
    while len(rows) < count:
        n, c, o = (int(size) for size in rng.integers(1, 4, size=3))
        input_shape = tuple(int(size) for size in rng.integers(1, 13, size=2))
        kernel = tuple(int(size) for size in rng.integers(1, 6, size=2))
        stride = random_hyperparameter(rng, 1, 4)
        padding = random_hyperparameter(rng, 0, 3)
        dilation = random_hyperparameter(rng, 1, 3)
        pads, dilations = pairs(padding, 2), pairs(dilation, 2)
        if all(
            dilations[axis] * (kernel[axis] - 1) + 1 <= input_shape[axis] + 2 * pads[axis]
            for axis in (0, 1)
        ):
            rows.append((n, c, *input_shape, o, *kernel, stride, padding, dilation))
    return rows


def hyperparameters(stride, padding, dilation):
    """The non-default ones as keyword arguments (the defaults are left to the function)."""
    given = {"stride": stride, "padding": padding, "dilation": dilation}
    return {name: value for name, value in given.items() if value != DEFAULTS[name]}


def size_case(size, kernel_size, stride, padding, dilation):
    return {"size": size, "kernel_size": kernel_size, **hyperparameters(stride, padding, dilation)}


def conv1d_case(shape, dtype, with_bias):
    n, c, t, o, k, stride, padding, dilation = shape
    case = {"x": array(n, c, t, dtype=dtype), "weight": array(o, c, k, dtype=dtype)}
    case["bias"] = array(o, dtype=dtype) if with_bias else None
    return {**case, **hyperparameters(stride, padding, dilation)}


def conv_case(shape, dtype, with_bias):
    n, c, h, w, o, kh, kw, stride, padding, dilation = shape
    case = {"x": array(n, c, h, w, dtype=dtype), "weight": array(o, c, kh, kw, dtype=dtype)}
    case["bias"] = array(o, dtype=dtype) if with_bias else None
    return {**case, **hyperparameters(stride, padding, dilation)}


EXAMPLE_IMAGE = np.arange(16.0).reshape(1, 1, 4, 4)
EXAMPLE_SIGNAL = np.arange(1.0, 8.0).reshape(1, 1, 7)

ITEMS = [
    Item(
        "conv_output_size",
        points=2,
        visible=[
            size_case(28, 3, 2, 1, 1),
            size_case(10, 3, 1, 0, 2),
            size_case(6, 3, 2, 0, 1),
            size_case(4, 3, 1, 0, 2),  # the dilated window does not fit: ValueError
        ],
        hidden=[size_case(*sizes) for sizes in SIZES],
    ),
    Item(
        "conv1d",
        points=4,
        visible=[
            {"x": EXAMPLE_SIGNAL, "weight": np.ones((1, 1, 3)), "stride": 2},
            {"x": EXAMPLE_SIGNAL, "weight": np.ones((1, 1, 3)), "stride": 3, "padding": 1},
            {"x": EXAMPLE_SIGNAL, "weight": np.array([[[1.0, 0.0, -1.0]]]), "dilation": 2},
            {**conv1d_case((2, 3, 11, 2, 3, 2, 2, 2), "float32", True), "seed": 2},
        ],
        hidden=seeded(
            [
                conv1d_case(shape, dtype, with_bias=(number + index) % 2 == 0)
                for number, shape in enumerate(CONVOLUTIONS_1D)
                for index, dtype in enumerate(DTYPES)
            ],
            first_seed=300,
        ),
    ),
    Item(
        "conv2d",
        points=6,
        visible=[
            {"x": EXAMPLE_IMAGE, "weight": np.ones((1, 1, 2, 2)), "stride": 2},
            {"x": EXAMPLE_IMAGE, "weight": np.ones((1, 1, 3, 3)), "stride": 2, "padding": 1},
            {
                "x": np.arange(25.0).reshape(1, 1, 5, 5),
                "weight": np.array([[[[1.0, 0.0, -1.0]]]]),
                "dilation": 2,
            },
            {**conv_case((2, 3, 7, 6, 2, 3, 2, (2, 1), (1, 0), 2), "float32", True), "seed": 1},
        ],
        hidden=seeded(
            [
                conv_case(shape, dtype, with_bias=(number + index) % 2 == 0)
                for number, shape in enumerate(CONVOLUTIONS + random_convolutions(8, seed=5))
                for index, dtype in enumerate(DTYPES)
            ],
            first_seed=100,
        ),
    ),
]


# ---- mistakes specific to this chapter (generic ones live in autograder/diagnose.py) --------


def is_pair(value):
    return isinstance(value, tuple | list)


@diagnosis(
    "size_off_by_one",
    "output size off by one: count the window starts 0, s, 2s, ... that still fit, "
    "floor((size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1 (mind the + 1)",
    items=("conv_output_size",),
)
def size_off_by_one(attempt):
    got, expected = attempt.got[0], attempt.expected[0]
    return np.ndim(got) == 0 and abs(float(got) - expected) == 1


@diagnosis(
    "ceil_not_floor",
    "rounded up: a window that would run past the padded input does not count, so the division "
    "by the stride rounds down (floor, //), not up",
    items=("conv_output_size",),
)
def ceil_not_floor(attempt):
    inputs = attempt.inputs
    # ceil(a / s) == floor((a + s - 1) / s): the formula with s - 1 more cells
    return attempt.reference(size=inputs["size"] + inputs.get("stride", 1) - 1)


@diagnosis(
    "padding_once",
    "padding counted once: padding adds zeros at both ends, so the padded length is "
    "size + 2 * padding",
    items=("conv_output_size",),
)
def padding_once(attempt):
    padding = attempt.inputs.get("padding", 0)
    if padding == 0:
        return None
    return attempt.reference(size=attempt.inputs["size"] - padding)


@diagnosis(
    "float_size",
    "the size is a float: return a Python int (use // for the floor division, not / and np.floor)",
    items=("conv_output_size",),
)
def float_size(attempt):
    return attempt.got_types[0].startswith("float")


@diagnosis(
    "dilation_ignored",
    in_dimensions(
        "dilation ignored: tap k reads k * dilation cells after the window's start, and a "
        "window spans dilation * (kernel_size - 1) + 1 cells",
        "dilation ignored: tap (kh, kw) reads kh * d_h rows and kw * d_w columns after the "
        "window's top-left corner, and a window spans d_h (KH - 1) + 1 rows and d_w (KW - 1) + 1 "
        "columns",
    ),
    items=("conv_output_size", "conv1d", "conv2d"),
)
def dilation_ignored(attempt):
    if all(gap == 1 for gap in hyper(attempt, "dilation")):
        return
    undilated = attempt.reference(dilation=1)
    yield undilated
    if attempt.item.name != "conv_output_size":
        # the right output size, but contiguous taps: the first windows of the undilated output
        size = attempt.expected[0].shape[2:]
        yield undilated[0][(slice(None), slice(None), *map(slice, size))]


@diagnosis(
    "stride_offset",
    "windows start at the wrong place: output t starts at t * stride of the padded signal, so "
    "output 0 starts at cell 0 (0, s, 2s, ...), not at s - 1 or s",
    items=("conv1d",),
)
def stride_offset(attempt):
    (stride,) = hyper(attempt, "stride")
    if stride == 1:
        return
    every_start = attempt.reference(stride=1)[0]  # the window starting at each cell
    length = attempt.expected[0].shape[-1]
    for offset in range(1, stride + 1):
        yield every_start[..., offset::stride]  # starts at offset, offset + s, ...
        yield every_start[..., offset::stride][..., :length]


@diagnosis(
    "pairs_swapped",
    "pair read in the wrong order: stride, padding and dilation pairs are (height, width), "
    "like the shape (H, W); the first number acts along the rows",
    items=("conv2d",),
)
def pairs_swapped(attempt):
    swapped = {
        name: tuple(reversed(value))
        for name in ("stride", "padding", "dilation")
        if is_pair(value := attempt.inputs.get(name)) and value[0] != value[1]
    }
    if not swapped:
        return
    yield attempt.reference(**swapped)
    if len(swapped) > 1:
        for name, value in swapped.items():
            yield attempt.reference(**{name: value})


@diagnosis(
    "stride_ignored",
    in_dimensions(
        "stride ignored: output t starts at t * stride of the padded signal, not at t "
        "(the windows must jump s cells at a time)",
        "stride ignored: output (i, j) starts at row i * s_h and column j * s_w of the padded "
        "image, not at (i, j) (the windows must jump s_h rows and s_w columns at a time)",
    ),
    items=("conv1d", "conv2d"),
)
def stride_ignored(attempt):
    if all(step == 1 for step in hyper(attempt, "stride")):
        return
    every_start = attempt.reference(stride=1)[0]
    yield every_start
    size = attempt.expected[0].shape[2:]
    yield every_start[(slice(None), slice(None), *map(slice, size))]  # sized with the stride
