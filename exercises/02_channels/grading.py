"""Grading spec of assignment 02_channels: conv1d, stride 1, no padding (exercises/FORMAT.md)."""

import numpy as np

from autograder.diagnose import diagnosis
from autograder.spec import Item, array, seeded

# (N, C, T, O, K): batch 1, channel 1, one filter, one-tap kernels, kernels as long as the signal,
# more filters than channels and the reverse, and O == T_out (a transposed output keeps its shape).
SHAPES = [
    (1, 1, 1, 1, 1),
    (1, 1, 6, 1, 3),
    (2, 3, 9, 4, 3),
    (1, 3, 5, 2, 5),
    (3, 2, 8, 5, 1),
    (2, 1, 7, 3, 4),
    (1, 4, 12, 1, 2),
    (2, 5, 10, 6, 7),
    (4, 2, 5, 4, 2),
    (1, 6, 16, 8, 5),
    (2, 3, 4, 3, 4),
    (3, 1, 11, 2, 6),
    (2, 2, 13, 3, 3),
    (1, 2, 3, 5, 2),
    (2, 4, 6, 2, 6),
    (1, 3, 20, 2, 9),
]
DTYPES = ("float64", "float32")


def random_shapes(count, seed):
    """More (N, C, T, O, K), drawn from a fixed generator: the judge regenerates the same list."""
    rng = np.random.default_rng(seed)
    shapes = []
    for _ in range(count):
        length = int(rng.integers(1, 25))
        n, c, o = (int(size) for size in rng.integers(1, 7, size=3))
        shapes.append((min(n, 4), c, length, o, int(rng.integers(1, length + 1))))
    return shapes


def conv_case(n, c, t, o, k, dtype, with_bias):
    case = {"x": array(n, c, t, dtype=dtype), "weight": array(o, c, k, dtype=dtype)}
    case["bias"] = array(o, dtype=dtype) if with_bias else None
    return case


ITEMS = [
    Item(
        "conv1d",
        points=5,
        visible=[
            {
                "x": np.array([[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]]),
                "weight": np.array([[[5.0, 2.0, 3.0]]]),
            },
            {
                "x": np.array([[[1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0, 1.0]]]),
                "weight": np.array([[[1.0, 1.0], [10.0, 0.0]]]),
                "bias": np.array([100.0]),
            },
            {**conv_case(2, 3, 7, 4, 3, "float32", with_bias=True), "seed": 1},
        ],
        hidden=seeded(
            [
                conv_case(*shape, dtype, with_bias=(number + index) % 2 == 0)
                for number, shape in enumerate(SHAPES + random_shapes(8, seed=2))
                for index, dtype in enumerate(DTYPES)
            ],
            first_seed=100,
        ),
    ),
]


# ---- mistakes specific to this chapter (generic ones live in autograder/diagnose.py) --------


def with_bias(out, bias):
    return out if bias is None else out + bias[:, None]


@diagnosis(
    "windows_reshaped",
    "rows mixed up: the windows were stacked as (N, C, T_out, K) and reshaped straight to "
    "(N, T_out, C * K); move the channel axis next to the taps first "
    "(transpose to (N, T_out, C, K)), then reshape",
    items=("conv1d",),
)
def windows_reshaped(attempt):
    x, weight, bias = (attempt.inputs.get(name) for name in ("x", "weight", "bias"))
    batch, channels, length = x.shape
    if channels == 1:
        return None
    windows = np.lib.stride_tricks.sliding_window_view(x, weight.shape[2], axis=2)
    rows = windows.reshape(batch, windows.shape[2], -1)
    return with_bias((rows @ weight.reshape(weight.shape[0], -1).T).transpose(0, 2, 1), bias)


@diagnosis(
    "last_channel_only",
    "only the last input channel counts: the sum over channels was overwritten (out = ...) "
    "instead of accumulated (out += ...); every channel c adds weight[o, c] * x[n, c]",
    items=("conv1d",),
)
def last_channel_only(attempt):
    x, weight = attempt.inputs["x"], attempt.inputs["weight"]
    if x.shape[1] == 1:
        return None
    return attempt.reference(x=x[:, -1:].copy(), weight=weight[:, -1:].copy())
