"""Grading spec of assignment 03_conv2d: unroll_2d and conv2d, stride 1, no padding.

See exercises/FORMAT.md.
"""

import numpy as np

from autograder.diagnose import diagnosis, pairs
from autograder.spec import Item, array, seeded

EXAMPLE_IMAGE = np.arange(12.0).reshape(1, 1, 3, 4)
TWO_CHANNELS = np.stack([np.arange(12.0).reshape(3, 4), np.ones((3, 4))])[None]
DTYPES = ("float64", "float32")

# (N, C, H, W, kernel_size): int and pair kernels, 1 x 1, as large as the image, non-square
# images and kernels, batch 1 and channel 1.
UNROLL_SHAPES = [
    (1, 1, 1, 1, 1),
    (1, 1, 3, 4, 2),
    (2, 3, 5, 5, 3),
    (1, 2, 4, 6, (2, 3)),
    (2, 1, 6, 4, (3, 1)),
    (3, 2, 5, 7, (1, 4)),
    (1, 3, 4, 4, 4),
    (2, 2, 3, 5, (3, 5)),
    (1, 4, 7, 6, (2, 2)),
    (2, 3, 8, 5, (4, 3)),
    (1, 1, 9, 2, (5, 2)),
    (2, 2, 6, 6, 1),
]

# (N, C, H, W, O, KH, KW)
CONV_SHAPES = [
    (1, 1, 1, 1, 1, 1, 1),
    (1, 1, 3, 4, 1, 2, 2),
    (2, 3, 5, 5, 4, 3, 3),
    (1, 2, 4, 6, 3, 2, 3),
    (2, 1, 6, 4, 2, 3, 1),
    (3, 2, 5, 7, 5, 1, 4),
    (1, 3, 4, 4, 2, 4, 4),
    (2, 2, 3, 5, 3, 3, 5),
    (1, 4, 7, 6, 1, 2, 2),
    (2, 3, 8, 5, 6, 4, 3),
    (1, 1, 9, 2, 2, 5, 2),
    (2, 2, 6, 6, 3, 1, 1),
    (1, 5, 10, 8, 4, 3, 2),
    (4, 2, 5, 3, 2, 2, 3),
]


def random_shapes(count, seed):
    """More (N, C, H, W, O, KH, KW), from a fixed generator: the judge regenerates the same list."""
    rng = np.random.default_rng(seed)
    shapes = []
    for _ in range(count):
        n, c, o = (int(size) for size in rng.integers(1, 5, size=3))
        h, w = (int(size) for size in rng.integers(1, 11, size=2))
        shapes.append((n, c, h, w, o, int(rng.integers(1, h + 1)), int(rng.integers(1, w + 1))))
    return shapes


def unroll_case(n, c, h, w, kernel_size, dtype):
    return {"x": array(n, c, h, w, dtype=dtype), "kernel_size": kernel_size}


def conv_case(n, c, h, w, o, kh, kw, dtype, with_bias):
    case = {"x": array(n, c, h, w, dtype=dtype), "weight": array(o, c, kh, kw, dtype=dtype)}
    case["bias"] = array(o, dtype=dtype) if with_bias else None
    return case


ITEMS = [
    Item(
        "unroll_2d",
        points=3,
        visible=[
            {"x": EXAMPLE_IMAGE, "kernel_size": 2},
            {**unroll_case(2, 2, 4, 5, (2, 3), "float32"), "seed": 1},
        ],
        hidden=seeded(
            [unroll_case(*shape, dtype) for shape in UNROLL_SHAPES for dtype in DTYPES]
            + [
                unroll_case(n, c, h, w, (kh, kw), dtype)
                for (n, c, h, w, _, kh, kw), dtype in zip(
                    random_shapes(8, seed=3), DTYPES * 4, strict=True
                )
            ],
            first_seed=100,
        ),
    ),
    Item(
        "conv2d",
        points=4,
        visible=[
            {"x": EXAMPLE_IMAGE, "weight": np.array([[[[1.0, 2.0], [3.0, 4.0]]]])},
            {
                "x": TWO_CHANNELS,
                "weight": np.array([[[[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 10.0]]]]),
                "bias": np.array([0.5]),
            },
            {**conv_case(2, 3, 5, 6, 4, 3, 2, "float32", with_bias=True), "seed": 2},
        ],
        hidden=seeded(
            [
                conv_case(*shape, dtype, with_bias=(number + index) % 2 == 0)
                for number, shape in enumerate(CONV_SHAPES + random_shapes(6, seed=4))
                for index, dtype in enumerate(DTYPES)
            ],
            first_seed=200,
        ),
    ),
]


# ---- mistakes specific to this chapter (generic ones live in autograder/diagnose.py) --------


def geometry(attempt):
    """(N, C, (KH, KW), (H_out, W_out)) of a stride-1, unpadded case of either item."""
    x = attempt.inputs["x"]
    if "weight" in attempt.inputs:
        kernel = attempt.inputs["weight"].shape[2:]
    else:
        kernel = pairs(attempt.inputs["kernel_size"], 2)
    out = (x.shape[2] - kernel[0] + 1, x.shape[3] - kernel[1] + 1)
    return x.shape[0], x.shape[1], tuple(kernel), out


@diagnosis(
    "rows_column_major",
    "output positions in the wrong order: go through them row by row (row i * W_out + j of the "
    "unrolled matrix is output (i, j)), not column by column (j * H_out + i)",
    items=("unroll_2d", "conv2d"),
)
def rows_column_major(attempt):
    batch, _, _, (out_height, out_width) = geometry(attempt)
    if out_height == 1 or out_width == 1:
        return None
    expected = attempt.expected[0]
    if attempt.item.name == "conv2d":
        return expected.transpose(0, 1, 3, 2).reshape(expected.shape)
    by_position = expected.reshape(batch, out_height, out_width, -1)
    return by_position.transpose(0, 2, 1, 3).reshape(expected.shape)


@diagnosis(
    "column_order",
    "window entries in the wrong order: the unrolled rows and the reshaped filters must both list "
    "a window as (C, KH, KW), channel by channel, as weight.reshape(O, -1) does; channels-last "
    "(KH, KW, C) is the NHWC layout",
    items=("unroll_2d", "conv2d"),
)
def column_order(attempt):
    batch, channels, (kernel_height, kernel_width), _ = geometry(attempt)
    if channels == 1 or kernel_height * kernel_width == 1:
        return
    if attempt.item.name == "unroll_2d":
        expected = attempt.expected[0]
        window = expected.reshape(batch, -1, channels, kernel_height, kernel_width)
        yield window.transpose(0, 1, 3, 4, 2).reshape(expected.shape)
        return
    weight = attempt.inputs["weight"]
    out_channels = weight.shape[0]
    # rows channels-last against weight.reshape(O, -1), and rows right against a channels-last
    # weight: each equals a convolution with the filters' entries permuted.
    yield attempt.reference(
        weight=weight.reshape(out_channels, kernel_height, kernel_width, channels)
        .transpose(0, 3, 1, 2)
        .copy()
    )
    yield attempt.reference(weight=weight.transpose(0, 2, 3, 1).reshape(weight.shape).copy())


@diagnosis(
    "off_by_one_rows",
    "wrong number of rows: there are H_out * W_out windows with H_out = H - KH + 1 and "
    "W_out = W - KW + 1 (check both loops' ranges)",
    items=("unroll_2d",),
)
def off_by_one_rows(attempt):
    got, expected = np.shape(attempt.got[0]), attempt.expected[0].shape
    _, _, _, (out_height, out_width) = geometry(attempt)
    wrong_counts = {
        (out_height + dh) * (out_width + dw)
        for dh in (-1, 0, 1)
        for dw in (-1, 0, 1)
        if (dh, dw) != (0, 0)
    }
    return (
        len(got) == 3
        and (got[0], got[2]) == (expected[0], expected[2])
        and got[1] != expected[1]
        and got[1] in wrong_counts
    )
