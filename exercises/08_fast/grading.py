"""Grading spec of assignment 08_fast: im2col and a fast conv2d, judged on correctness and speed.

``conv2d_fast_speed`` tests the same answer as ``conv2d_fast`` (``target=``) with the ``speed``
driver (autograder/kit/drivers.py): the kernel times the answer against a loop baseline,
interleaved, and the judge requires a minimum speed-up and a right output (exercises/FORMAT.md).
"""

import numpy as np

from autograder.diagnose import diagnosis, hyper, pairs
from autograder.spec import Item, array, seeded

# (x shape, kernel (KH, KW), stride, padding, dilation): every hyper-parameter alone, then mixed,
# non-square inputs and kernels, sizes that do not divide evenly, a kernel as large as the input.
GEOMETRIES = [
    ((2, 3, 7, 7), (3, 3), 1, 0, 1),
    ((1, 1, 5, 6), (2, 3), 1, 0, 1),
    ((2, 2, 8, 8), (3, 3), 2, 0, 1),
    ((2, 2, 9, 7), (3, 2), (2, 1), 1, 1),
    ((1, 3, 6, 6), (3, 3), 1, 1, 1),
    ((2, 2, 6, 9), (2, 2), 1, (0, 2), 1),
    ((1, 2, 9, 9), (3, 3), 1, 0, 2),
    ((2, 1, 10, 8), (2, 3), 2, 1, (2, 1)),
    ((1, 2, 4, 5), (4, 5), 1, 0, 1),
    ((3, 1, 5, 5), (1, 1), 3, 2, 1),
]
DTYPES = ("float32", "float64")


def unroll_cases(first_seed):
    return seeded(
        [
            {
                "x": array(*shape, dtype=dtype),
                "kernel_size": kernel,
                "stride": stride,
                "padding": padding,
                "dilation": dilation,
            }
            for shape, kernel, stride, padding, dilation in GEOMETRIES
            for dtype in DTYPES
        ],
        first_seed,
    )


def conv_cases(first_seed, out_channels=4):
    return seeded(
        [
            {
                "x": array(*shape, dtype=dtype),
                "weight": array(out_channels, shape[1], *kernel, dtype=dtype),
                "bias": array(out_channels, dtype=dtype) if number % 3 else None,
                "stride": stride,
                "padding": padding,
                "dilation": dilation,
            }
            for number, (shape, kernel, stride, padding, dilation) in enumerate(GEOMETRIES)
            for dtype in DTYPES
        ],
        first_seed,
    )


def speed_case(x_shape, weight_shape, padding=1, min_speedup=20.0, repeats=5):
    return {
        "x": array(*x_shape, dtype="float32"),
        "weight": array(*weight_shape, dtype="float32"),
        "padding": padding,
        "min_speedup": min_speedup,
        "repeats": repeats,
    }


ITEMS = [
    Item(
        "unroll_2d",
        points=3,
        visible=[
            {"x": np.arange(16.0).reshape(1, 1, 4, 4), "kernel_size": 2, "stride": 2},
            {
                "x": array(1, 2, 5, 5, dtype="float32"),
                "kernel_size": 3,
                "padding": 1,
                "dilation": 2,
                "seed": 1,
            },
        ],
        hidden=unroll_cases(100),
    ),
    Item(
        "conv2d_fast",
        points=4,
        reference="solutions:conv2d",
        visible=[
            {"x": array(1, 2, 5, 5), "weight": array(3, 2, 3, 3), "bias": array(3), "seed": 2},
            {
                "x": array(2, 1, 6, 7, dtype="float32"),
                "weight": array(2, 1, 2, 3, dtype="float32"),
                "stride": 2,
                "padding": 1,
                "dilation": (1, 2),
                "seed": 3,
            },
        ],
        hidden=conv_cases(200),
    ),
    Item(
        "conv2d_fast_speed",
        points=3,
        target="conv2d_fast",
        reference="solutions:conv2d",
        driver="speed",
        outputs=("speedup", "output"),
        visible=[{**speed_case((1, 3, 16, 16), (4, 3, 3, 3), repeats=3), "seed": 4}],
        hidden=seeded(
            [speed_case((2, 3, 24, 24), (4, 3, 3, 3)), speed_case((1, 4, 20, 20), (8, 4, 3, 3))],
            300,
        ),
        case_seconds=30,
    ),
]


# ---- mistakes specific to this chapter (generic ones live in autograder/diagnose.py) --------


@diagnosis(
    "columns_channels_last",
    "columns in (KH, KW, C) order: order each row (C, KH, KW), channel slowest, like "
    "weight.reshape(O, -1)",
    items=("unroll_2d",),
)
def columns_channels_last(attempt):
    x, kernel = attempt.inputs["x"], pairs(attempt.inputs["kernel_size"], 2)
    (expected,) = attempt.expected
    n, rows, _ = expected.shape
    by_tap = expected.reshape(n, rows, x.shape[1], *kernel).transpose(0, 1, 3, 4, 2)
    return by_tap.reshape(n, rows, -1)


@diagnosis(
    "dilation_ignored",
    "dilation ignored: kernel taps are d_h rows and d_w columns apart, tap (kh, kw) of output "
    "(i, j) reads x_pad[i * s_h + kh * d_h, j * s_w + kw * d_w]; the output size uses the "
    "dilated kernel extent d_h (KH - 1) + 1 by d_w (KW - 1) + 1",
    items=("unroll_2d", "conv2d_fast"),
)
def dilation_ignored(attempt):
    if all(gap == 1 for gap in hyper(attempt, "dilation")):
        return None
    return attempt.reference(dilation=1)


@diagnosis(
    "too_slow",
    "too slow: still a Python loop over output positions; gather all windows at once "
    "(sliding_window_view or fancy indexing) and do one matrix multiply",
    items=("conv2d_fast_speed",),
)
def too_slow(attempt):
    return float(attempt.got[0]) < float(attempt.expected[0])
