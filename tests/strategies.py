"""Hypothesis strategies and hand-picked cases for convolution, pooling and loss tests.

Defined once, shared by every test folder.  A *case* is a small frozen dataclass holding shapes,
hyper-parameters, a dtype and a seed; `case.arrays()` makes the NumPy inputs from the seed, so a
failing example prints as a readable, reproducible line.  Every case is valid (output size >= 1).

Importing this module registers the Hypothesis profiles and loads the one named by the
environment variable HYPOTHESIS_PROFILE (default "ci": derandomized, so CI runs the same examples
every time; use "dev" locally to explore new random examples).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, example, settings
from hypothesis import strategies as st

from tests.oracles import as_pair, count_window_positions

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,  # a derandomized run replays nothing saved from earlier runs
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DTYPES = ("float32", "float64")
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
# Memory layouts of the input arrays: fast code built on strides or raw reshapes must not assume
# C order.  "F" is Fortran order; "strided" is a view of every other element of a larger array.
LAYOUTS = ("C", "F", "strided")


def in_layout(array: np.ndarray, layout: str) -> np.ndarray:
    """The same values as `array`, stored in the given memory layout."""
    if layout == "F":
        return np.asfortranarray(array)
    if layout == "strided":
        holder = np.zeros((*array.shape[:-1], 2 * array.shape[-1]), dtype=array.dtype)
        holder[..., ::2] = array
        return holder[..., ::2]
    return np.ascontiguousarray(array)


# ---------------------------------------------------------------------------------------------
# Case types
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unroll1dCase:
    """A single-channel signal (T,) and kernel (K,) for chapter 1 (K <= T)."""

    length: int
    kernel_size: int
    dtype: str = "float64"
    seed: int = 0

    def arrays(self):
        """-> (x, weight) in self.dtype."""
        rng = np.random.default_rng(self.seed)
        return (
            rng.standard_normal(self.length).astype(self.dtype),
            rng.standard_normal(self.kernel_size).astype(self.dtype),
        )


@dataclass(frozen=True)
class ConvCase:
    """One conv1d (len(input_size) == 1) or conv2d (== 2) call.

    stride, padding and dilation are stored exactly as they are passed (int, or pair in 2D).
    """

    batch: int
    in_channels: int
    out_channels: int
    input_size: tuple[int, ...]
    kernel_size: tuple[int, ...]
    stride: int | tuple[int, int] = 1
    padding: int | tuple[int, int] = 0
    dilation: int | tuple[int, int] = 1
    dtype: str = "float64"
    with_bias: bool = True
    seed: int = 0
    layout: str = "C"

    @property
    def params(self) -> dict:
        return {"stride": self.stride, "padding": self.padding, "dilation": self.dilation}

    def _per_axis(self, value) -> tuple[int, ...]:
        return as_pair(value) if len(self.input_size) == 2 else (value,)

    @property
    def output_size(self) -> tuple[int, ...]:
        return tuple(
            count_window_positions(size, kernel, stride, padding, dilation)
            for size, kernel, stride, padding, dilation in zip(
                self.input_size,
                self.kernel_size,
                self._per_axis(self.stride),
                self._per_axis(self.padding),
                self._per_axis(self.dilation),
                strict=True,
            )
        )

    @property
    def x_shape(self) -> tuple[int, ...]:
        return (self.batch, self.in_channels, *self.input_size)

    def arrays(self):
        """-> (x, weight, bias or None, grad_out), standard normal, in self.dtype."""
        rng = np.random.default_rng(self.seed)
        x = rng.standard_normal(self.x_shape).astype(self.dtype)
        weight = rng.standard_normal(
            (self.out_channels, self.in_channels, *self.kernel_size)
        ).astype(self.dtype)
        bias = rng.standard_normal(self.out_channels).astype(self.dtype)
        grad_out = rng.standard_normal((self.batch, self.out_channels, *self.output_size)).astype(
            self.dtype
        )
        x, weight, grad_out = (in_layout(a, self.layout) for a in (x, weight, grad_out))
        return x, weight, (bias if self.with_bias else None), grad_out


@dataclass(frozen=True)
class PoolCase:
    """One max/avg pooling call (1D when len(input_size) == 1).

    stride None means "the default" (the kernel size) and is then not passed at all.
    ties=True draws small integers, so windows often hold several equal maxima.
    """

    batch: int
    channels: int
    input_size: tuple[int, ...]
    kernel_size: int | tuple[int, int]
    stride: int | tuple[int, int] | None = None
    dtype: str = "float64"
    ties: bool = False
    seed: int = 0
    layout: str = "C"

    @property
    def params(self) -> dict:
        return {} if self.stride is None else {"stride": self.stride}

    @property
    def output_size(self) -> tuple[int, ...]:
        stride = self.kernel_size if self.stride is None else self.stride
        if len(self.input_size) == 1:
            return (count_window_positions(self.input_size[0], self.kernel_size, stride),)
        return tuple(
            count_window_positions(size, kernel, step)
            for size, kernel, step in zip(
                self.input_size, as_pair(self.kernel_size), as_pair(stride), strict=True
            )
        )

    def arrays(self):
        """-> (x, grad_out) in self.dtype."""
        rng = np.random.default_rng(self.seed)
        shape = (self.batch, self.channels, *self.input_size)
        if self.ties:
            x = rng.integers(-2, 3, size=shape).astype(self.dtype)
        else:
            x = rng.standard_normal(shape).astype(self.dtype)
        grad_out = rng.standard_normal((self.batch, self.channels, *self.output_size))
        return in_layout(x, self.layout), in_layout(grad_out.astype(self.dtype), self.layout)


@dataclass(frozen=True)
class LogitsCase:
    """Logits of any shape, normalised along `axis`, times `scale` (1e4 tests stability)."""

    shape: tuple[int, ...]
    axis: int = -1
    scale: float = 1.0
    dtype: str = "float64"
    seed: int = 0
    layout: str = "C"

    def arrays(self):
        """-> (z, grad_out) in self.dtype."""
        rng = np.random.default_rng(self.seed)
        z = (self.scale * rng.standard_normal(self.shape)).astype(self.dtype)
        grad_out = rng.standard_normal(self.shape).astype(self.dtype)
        return in_layout(z, self.layout), in_layout(grad_out, self.layout)


@dataclass(frozen=True)
class NllCase:
    """A batch of log-probabilities (N, K) and integer targets (N,)."""

    batch: int
    classes: int
    dtype: str = "float64"
    seed: int = 0

    def arrays(self):
        """-> (log_probs, targets): log_probs are a real log_softmax output."""
        rng = np.random.default_rng(self.seed)
        logits = rng.standard_normal((self.batch, self.classes))
        log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
        targets = rng.integers(0, self.classes, size=self.batch)
        return log_probs.astype(self.dtype), targets


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------


def output_size_arguments(max_size: int = 20):
    """(size, kernel_size, stride, padding, dilation), not all of them valid (no window may fit:
    callers filter with count_window_positions)."""
    return st.tuples(
        st.integers(1, max_size),
        st.integers(1, 12),
        st.integers(1, 9),
        st.integers(0, 7),
        st.integers(1, 6),
    )


@st.composite
def unroll_1d_cases(draw) -> Unroll1dCase:
    length = draw(st.integers(1, 12))
    return Unroll1dCase(
        length, draw(st.integers(1, length)), draw(st.sampled_from(DTYPES)), draw(SEEDS)
    )


@st.composite
def _int_or_pair(draw, values: tuple[int, int]):
    """Pass a 2D hyper-parameter as an int when both axes agree (sometimes), else as a pair."""
    if values[0] == values[1] and draw(st.booleans()):
        return values[0]
    return values


@st.composite
def conv_cases(draw, dims: int, max_kernel: int = 4, max_extra: int = 5) -> ConvCase:
    """Valid conv1d (dims=1) or conv2d (dims=2) cases: non-square kernels and inputs, stride,
    padding and dilation per axis, sizes that do not divide evenly, and (often) an input whose
    padded size equals the dilated kernel, i.e. exactly one window."""
    kernel_size = tuple(draw(st.integers(1, max_kernel)) for _ in range(dims))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    dilation = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(dims))
    exact_fit = draw(st.booleans())
    input_size = []
    for kernel, pad, dil in zip(kernel_size, padding, dilation, strict=True):
        smallest = max(1, dil * (kernel - 1) + 1 - 2 * pad)
        extra = 0 if exact_fit else draw(st.integers(0, max_extra))
        input_size.append(smallest + extra)
    if dims == 2:
        stride, padding, dilation = (draw(_int_or_pair(v)) for v in (stride, padding, dilation))
    else:
        stride, padding, dilation = stride[0], padding[0], dilation[0]
    return ConvCase(
        batch=draw(st.integers(1, 2)),
        in_channels=draw(st.integers(1, 3)),
        out_channels=draw(st.integers(1, 3)),
        input_size=tuple(input_size),
        kernel_size=kernel_size,
        stride=stride,
        padding=padding,
        dilation=dilation,
        dtype=draw(st.sampled_from(DTYPES)),
        with_bias=draw(st.booleans()),
        seed=draw(SEEDS),
        layout=draw(st.sampled_from(LAYOUTS)),
    )


@st.composite
def pool_cases(draw, dims: int) -> PoolCase:
    """Valid pooling cases: default stride, stride < kernel (overlapping windows), stride >
    kernel (skipped inputs), sizes that leave a remainder, non-square windows, ties."""
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride_kind = draw(st.sampled_from(["default", "explicit"]))
    stride = None
    if stride_kind == "explicit":
        stride = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    input_size = tuple(k + draw(st.integers(0, 5)) for k in kernel)
    if dims == 2:
        kernel = draw(_int_or_pair(kernel))
        stride = None if stride is None else draw(_int_or_pair(stride))
    else:
        kernel = kernel[0]
        stride = None if stride is None else stride[0]
    return PoolCase(
        batch=draw(st.integers(1, 2)),
        channels=draw(st.integers(1, 3)),
        input_size=input_size,
        kernel_size=kernel,
        stride=stride,
        dtype=draw(st.sampled_from(DTYPES)),
        ties=draw(st.booleans()),
        seed=draw(SEEDS),
        layout=draw(st.sampled_from(LAYOUTS)),
    )


@st.composite
def logits_cases(draw) -> LogitsCase:
    """Logits of rank 1 to 3 (sizes 1..6), any axis, ordinary or huge (1e4) magnitude."""
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3)))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    return LogitsCase(
        shape=shape,
        axis=axis,
        scale=draw(st.sampled_from([1.0, 1e4])),
        dtype=draw(st.sampled_from(DTYPES)),
        seed=draw(SEEDS),
        layout=draw(st.sampled_from(LAYOUTS)),
    )


@st.composite
def nll_cases(draw) -> NllCase:
    return NllCase(
        batch=draw(st.integers(1, 6)),
        classes=draw(st.integers(1, 6)),
        dtype=draw(st.sampled_from(DTYPES)),
        seed=draw(SEEDS),
    )


# ---------------------------------------------------------------------------------------------
# Hand-picked cases (run by the tests as fixed examples, and the fixed list mutants must fail on)
# ---------------------------------------------------------------------------------------------

UNROLL_1D_EXAMPLES = (
    Unroll1dCase(6, 3, seed=61),
    Unroll1dCase(7, 7, seed=62),  # the kernel spans the whole signal
    Unroll1dCase(5, 1, "float32", seed=63),
    Unroll1dCase(9, 4, "float32", seed=64),
)

CONV1D_EXAMPLES = (
    ConvCase(2, 3, 2, (9,), (3,), seed=1),
    ConvCase(2, 2, 3, (10,), (3,), stride=2, padding=1, dilation=2, seed=2),
    ConvCase(1, 1, 1, (5,), (5,), seed=3),  # kernel equal to the input: one window
    ConvCase(3, 2, 2, (8,), (2,), stride=3, padding=2, dtype="float32", seed=4, layout="F"),
    ConvCase(2, 2, 2, (4,), (3,), padding=1, dilation=2, with_bias=False, seed=5),
)

CONV2D_EXAMPLES = (
    ConvCase(2, 3, 2, (6, 7), (3, 2), seed=11),
    ConvCase(2, 2, 3, (9, 8), (3, 3), stride=2, padding=1, seed=12),
    ConvCase(1, 1, 1, (5, 4), (5, 4), seed=13),  # kernel equal to the input
    ConvCase(2, 2, 2, (7, 9), (2, 3), stride=(2, 3), padding=(1, 2), dilation=(2, 1), seed=14),
    ConvCase(3, 2, 2, (6, 6), (3, 3), padding=1, dilation=2, dtype="float32", seed=15),
    ConvCase(
        2,
        3,
        2,
        (5, 7),
        (2, 2),
        stride=(3, 2),
        padding=(0, 1),
        with_bias=False,
        seed=16,
        layout="strided",
    ),
    ConvCase(1, 2, 3, (3, 3), (3, 3), padding=1, dilation=2, seed=17),  # fills the padded input
)

POOL1D_EXAMPLES = (
    PoolCase(2, 2, (8,), 2, seed=21),
    PoolCase(2, 3, (9,), 3, stride=1, seed=22),  # overlapping
    PoolCase(2, 2, (10,), 3, stride=2, ties=True, seed=23),  # overlapping with ties
    PoolCase(1, 1, (7,), 2, stride=3, dtype="float32", seed=24),  # skips inputs
    PoolCase(2, 2, (6,), 1, seed=25),  # window of one
)

POOL2D_EXAMPLES = (
    PoolCase(2, 2, (4, 6), 2, seed=31),
    PoolCase(2, 2, (7, 6), (3, 2), stride=(2, 1), seed=32),  # overlapping, non-square
    PoolCase(2, 3, (6, 7), 3, stride=2, ties=True, seed=33),
    PoolCase(1, 2, (5, 5), 2, ties=True, dtype="float32", seed=34),  # remainder dropped
    PoolCase(2, 1, (3, 4), 1, seed=35),  # window of one
    PoolCase(1, 2, (6, 6), (2, 2), stride=3, seed=36, layout="strided"),  # skips inputs
)

LOGITS_EXAMPLES = (
    LogitsCase((4, 5), seed=41),
    LogitsCase((3, 6), scale=1e4, seed=42),  # overflows exp without the max-subtraction
    LogitsCase((2, 3, 4), axis=1, seed=43, layout="F"),
    LogitsCase((5, 3), axis=0, dtype="float32", seed=44),
    LogitsCase((4, 7), scale=1e4, dtype="float32", seed=45),
)

NLL_EXAMPLES = (NllCase(5, 4, seed=51), NllCase(1, 3, seed=52), NllCase(6, 2, "float32", seed=53))


def with_examples(cases, name: str = "case"):
    """Decorator: run a @given test on each hand-picked case too (before the generated ones)."""

    def decorate(test):
        for case in reversed(cases):
            test = example(**{name: case})(test)
        return test

    return decorate
