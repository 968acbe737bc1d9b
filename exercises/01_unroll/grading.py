"""Grading spec of assignment 01_unroll: unroll_1d and conv1d_unroll (see exercises/FORMAT.md)."""

import numpy as np

from autograder.diagnose import diagnosis
from autograder.spec import Item, array, seeded

SEED_EXAMPLE = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])

# (T, K): lengths 1..16, kernels of one tap, longer than the signal, and as long as it.
LENGTHS_AND_KERNELS = [
    (1, 1),
    (1, 3),
    (2, 2),
    (5, 1),
    (5, 3),
    (6, 3),
    (6, 6),
    (7, 4),
    (9, 2),
    (9, 5),
    (16, 3),
    (4, 7),
]
DTYPES = ("float64", "float32")


def unroll_cases(first_seed):
    return seeded(
        [
            {"x": array(t, dtype=dtype), "kernel_size": k}
            for t, k in LENGTHS_AND_KERNELS
            for dtype in DTYPES
        ],
        first_seed,
    )


def conv_cases(first_seed):
    return seeded(
        [
            {"x": array(t, dtype=dtype), "weight": array(k, dtype=dtype)}
            for t, k in LENGTHS_AND_KERNELS
            for dtype in DTYPES
        ],
        first_seed,
    )


ITEMS = [
    Item(
        "unroll_1d",
        points=2,
        visible=[
            {"x": SEED_EXAMPLE, "kernel_size": 3},
            {"x": array(4, dtype="float32"), "kernel_size": 6, "seed": 1},
            {"x": array(5, dtype="float32"), "kernel_size": 1, "seed": 2},
        ],
        hidden=unroll_cases(first_seed=100),
    ),
    Item(
        "conv1d_unroll",
        points=3,
        visible=[
            {"x": SEED_EXAMPLE, "weight": np.array([5.0, 2.0, 3.0])},
            {"x": array(7, dtype="float32"), "weight": array(3, dtype="float32"), "seed": 3},
            {"x": array(2), "weight": array(4), "seed": 4},
        ],
        hidden=conv_cases(first_seed=200),
    ),
]


# ---- mistakes specific to this chapter (generic ones live in autograder/diagnose.py) --------


def shifted_right(x, kernel_size):
    """x with kernel_size - 1 zeros in front: windows then end at i instead of starting there."""
    return np.concatenate([np.zeros(kernel_size - 1, dtype=x.dtype), x])


def kernel_size_of(attempt):
    inputs = attempt.inputs
    return inputs["kernel_size"] if "kernel_size" in inputs else inputs["weight"].shape[0]


@diagnosis(
    "zeros_on_left",
    "zeros on the wrong side: row i must START at x[i] (zeros past the right end), "
    "not end at x[i] (zeros before the left end)",
    items=("unroll_1d", "conv1d_unroll"),
)
def zeros_on_left(attempt):
    length = attempt.inputs["x"].shape[0]
    shifted = shifted_right(attempt.inputs["x"], kernel_size_of(attempt))
    return [output[:length] for output in attempt.reference(x=shifted)]


@diagnosis(
    "valid_only",
    "output too short: you kept only the windows that fit inside x ('valid' convolution); "
    "here the output is as long as x and reads zeros past its right end",
    items=("unroll_1d", "conv1d_unroll"),
)
def valid_only(attempt):
    length, kernel_size = attempt.inputs["x"].shape[0], kernel_size_of(attempt)
    if kernel_size == 1 or kernel_size > length:
        return None
    return [output[: length - kernel_size + 1] for output in attempt.expected]


@diagnosis(
    "wraps_around",
    "wraps around: past the right end x reads as 0, not as x[0], x[1], ... (no circular "
    "indexing, no np.roll)",
    items=("unroll_1d", "conv1d_unroll"),
)
def wraps_around(attempt):
    x = attempt.inputs["x"]
    kernel_size = kernel_size_of(attempt)
    if kernel_size == 1:
        return None
    repeats = -(-kernel_size // x.shape[0]) + 1  # enough copies to fill every window
    outputs = attempt.reference(x=np.tile(x, repeats))
    return [output[: x.shape[0]] for output in outputs]
