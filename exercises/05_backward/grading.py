"""Grading spec of assignment 05_backward: numerical_gradient, conv1d_backward and conv2d_backward
(see exercises/FORMAT.md).

The gradient items pass a random upstream gradient ``grad_out`` over the whole output, so every
entry of every gradient is checked, not a sampled index.  ``numerical_gradient`` receives a
function (``function(...)`` specs: cubic, sine, exp) whose curvature makes a forward difference
(error O(eps)) fail while any central difference (error O(eps^2), the reference's own) passes.
"""

import numpy as np

from autograder.diagnose import crop, diagnosis, grad_of_padded_input, hyper, padded_input, pairs
from autograder.spec import Item, array, function, seeded
from solutions import conv_output_size

DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1}
DTYPES = ("float64", "float32")
GRADIENTS = ("grad_x", "grad_weight", "grad_bias")

# (x shape, function family, eps or None for the default 1e-6, dtype of x). The gradient is always
# float64: x is copied to float64 before it is perturbed (float32 cannot hold x + 1e-6).
NUMERICAL = [
    ((1,), "cubic", None, "float64"),
    ((5,), "cubic", None, "float64"),
    ((3, 4), "cubic", None, "float64"),
    ((2, 3, 4), "cubic", None, "float64"),
    ((2, 2, 3, 3), "cubic", None, "float64"),
    ((4,), "sine", None, "float64"),
    ((3, 5), "sine", None, "float64"),
    ((2, 2, 4), "sine", None, "float64"),
    ((6,), "exp", None, "float64"),
    ((4, 3), "exp", None, "float64"),
    ((1, 1, 1), "exp", None, "float64"),
    ((3, 4), "cubic", 1e-4, "float64"),
    ((2, 5), "cubic", 1e-3, "float64"),
    ((7,), "sine", 1e-3, "float64"),
    ((2, 3), "exp", 1e-5, "float64"),
    ((2, 2, 2), "sine", 1e-4, "float64"),
    ((5,), "cubic", None, "float32"),
    ((3, 3), "sine", None, "float32"),
    ((2, 4), "exp", 1e-4, "float32"),
    ((2, 1, 3), "cubic", 1e-3, "float32"),
]

# (N, C, T, O, K, stride, padding, dilation): strides that do not divide the padded length (the
# last inputs are never read and get zero gradient), strides larger than the kernel, padding
# larger than dilation * (K - 1) (some padded windows read no input at all), dilation, kernels as
# long as the input, one-tap kernels, batch 1, channel 1, O == C (a swapped grad_weight keeps its
# shape).
CONV1D = [
    (1, 1, 5, 1, 3, 1, 0, 1),
    (2, 3, 9, 4, 3, 1, 1, 1),
    (2, 2, 10, 3, 3, 2, 0, 1),
    (1, 2, 11, 2, 4, 3, 0, 1),
    (2, 1, 12, 2, 3, 2, 1, 2),
    (3, 2, 8, 2, 2, 1, 3, 1),
    (1, 3, 7, 2, 7, 1, 0, 1),
    (2, 2, 6, 3, 1, 2, 0, 1),
    (1, 1, 13, 1, 3, 4, 2, 3),
    (2, 3, 16, 3, 5, 3, 2, 1),
    (1, 2, 9, 3, 3, 1, 0, 3),
    (2, 1, 4, 1, 3, 1, 4, 1),
    (2, 2, 15, 2, 2, 5, 0, 1),
    (3, 2, 10, 2, 3, 2, 1, 1),
]

# (N, C, H, W, O, KH, KW, stride, padding, dilation): as above, with int and pair arguments.
CONV2D = [
    (1, 1, 5, 5, 1, 3, 3, 1, 0, 1),
    (2, 3, 6, 7, 2, 3, 3, 1, 1, 1),
    (2, 2, 7, 7, 3, 3, 3, 2, 0, 1),
    (1, 2, 8, 6, 2, 3, 2, 2, 1, 1),
    (2, 1, 9, 7, 2, 2, 3, (2, 1), 0, 1),
    (1, 3, 6, 9, 3, 3, 2, (1, 3), (1, 0), 1),
    (2, 2, 10, 8, 2, 3, 3, 1, 0, 2),
    (1, 2, 11, 9, 2, 3, 2, 2, 2, (2, 1)),
    (1, 1, 4, 4, 1, 4, 4, 1, 0, 1),
    (2, 2, 5, 4, 2, 2, 2, 1, 3, 1),
    (1, 2, 7, 5, 3, 1, 1, 2, 0, 1),
    (3, 2, 9, 9, 2, 3, 3, 3, 1, 1),
    (1, 1, 7, 12, 1, 3, 5, (1, 2), (0, 2), (2, 1)),
    (2, 2, 13, 11, 2, 5, 3, 4, 2, 1),
    (1, 3, 10, 10, 2, 3, 3, 3, 0, 2),
    (2, 2, 7, 5, 2, 2, 4, (2, 3), 1, 1),
]


def hyperparameters(stride, padding, dilation):
    """The non-default ones as keyword arguments (the defaults are left to the function)."""
    given = {"stride": stride, "padding": padding, "dilation": dilation}
    return {name: value for name, value in given.items() if value != DEFAULTS[name]}


def numerical_case(shape, family, eps, dtype, function_seed):
    case = {"f": function(family, *shape, seed=function_seed), "x": array(*shape, dtype=dtype)}
    return case if eps is None else {**case, "eps": eps}


def backward_case(
    batch, channels, size, out_channels, kernel_size, stride, padding, dilation, dtype
):
    """grad_out (of the forward output's shape), x and weight for one backward call."""
    axes = len(size)
    out_size = [
        conv_output_size(*arguments)
        for arguments in zip(
            size,
            kernel_size,
            pairs(stride, axes),
            pairs(padding, axes),
            pairs(dilation, axes),
            strict=True,
        )
    ]
    return {
        "grad_out": array(batch, out_channels, *out_size, dtype=dtype),
        "x": array(batch, channels, *size, dtype=dtype),
        "weight": array(out_channels, channels, *kernel_size, dtype=dtype),
        **hyperparameters(stride, padding, dilation),
    }


def conv1d_case(shape, dtype):
    n, c, t, o, k, stride, padding, dilation = shape
    return backward_case(n, c, (t,), o, (k,), stride, padding, dilation, dtype)


def conv2d_case(shape, dtype):
    n, c, h, w, o, kh, kw, stride, padding, dilation = shape
    return backward_case(n, c, (h, w), o, (kh, kw), stride, padding, dilation, dtype)


# The chapter's worked examples: a single upstream 1 picks out one window (1D, stride 2), and a
# gradient of ones spreads over non-overlapping 2 x 2 windows (2D, stride 2).
EXAMPLE_1D = {
    "grad_out": np.array([[[0.0, 1.0, 0.0]]]),
    "x": np.arange(1.0, 8.0).reshape(1, 1, 7),
    "weight": np.array([[[1.0, 2.0, 3.0]]]),
    "stride": 2,
}
EXAMPLE_2D = {
    "grad_out": np.ones((1, 1, 2, 2)),
    "x": np.arange(16.0).reshape(1, 1, 4, 4),
    "weight": np.ones((1, 1, 2, 2)),
    "stride": 2,
}

ITEMS = [
    Item(
        "numerical_gradient",
        points=2,
        visible=[
            {"f": function("cubic", 3, seed=1), "x": array(3), "seed": 1},
            {"f": function("sine", 2, 3, seed=2), "x": array(2, 3), "eps": 1e-4, "seed": 2},
        ],
        hidden=seeded(
            [
                numerical_case(*spec, function_seed=50 + number)
                for number, spec in enumerate(NUMERICAL)
            ],
            first_seed=100,
        ),
    ),
    Item(
        "conv1d_backward",
        points=4,
        outputs=GRADIENTS,
        visible=[
            EXAMPLE_1D,
            {**conv1d_case((2, 3, 8, 2, 3, 2, 1, 1), "float32"), "seed": 3},
        ],
        hidden=seeded(
            [conv1d_case(shape, dtype) for shape in CONV1D for dtype in DTYPES], first_seed=200
        ),
    ),
    Item(
        "conv2d_backward",
        points=4,
        outputs=GRADIENTS,
        visible=[
            EXAMPLE_2D,
            {**conv2d_case((2, 2, 7, 6, 3, 3, 2, (2, 1), (1, 0), 2), "float32"), "seed": 4},
        ],
        hidden=seeded(
            [conv2d_case(shape, dtype) for shape in CONV2D for dtype in DTYPES], first_seed=300
        ),
    ),
]


# ---- mistakes specific to this chapter (generic ones live in autograder/diagnose.py) --------

BACKWARD_ITEMS = ("conv1d_backward", "conv2d_backward")


def numerical_inputs(attempt):
    """(f, float64 copy of x, eps) of a numerical_gradient case."""
    inputs = attempt.inputs
    return inputs["f"], np.array(inputs["x"], dtype=np.float64), inputs.get("eps", 1e-6)


def differences(f, point, step, central=True):
    """Difference quotients of f, one element at a time, perturbing ``point`` in place in its own
    dtype (then restoring it): (f(x + step e_i) - f(x - step e_i)) / (2 step) when ``central``,
    else (f(x + step e_i) - f(x)) / step.  Returns float64, the shape of ``point``."""
    grad = np.zeros(point.shape)
    at_x = f(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + step
        f_plus = f(point)
        point[index] = original - step
        f_other = f(point) if central else at_x
        point[index] = original
        grad[index] = (f_plus - f_other) / (2 * step if central else step)
    return grad


@diagnosis(
    "forward_difference",
    "one-sided difference: (f(x + eps) - f(x)) / eps is only accurate to O(eps); use the central "
    "difference (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), accurate to O(eps^2)",
    items=("numerical_gradient",),
)
def forward_difference(attempt):
    f, point, eps = numerical_inputs(attempt)
    yield differences(f, point, eps, central=False)
    yield differences(f, point, -eps, central=False)  # the backward difference


@diagnosis(
    "eps_ignored",
    "wrong step size: perturb x by the eps you are given (default 1e-6), not by a fixed step",
    items=("numerical_gradient",),
)
def eps_ignored(attempt):
    eps = attempt.inputs.get("eps", 1e-6)
    for power in range(1, 9):
        if not np.isclose(10.0**-power, eps):
            yield attempt.reference(eps=10.0**-power)


@diagnosis(
    "gradient_doubled",
    "twice the gradient: x + eps and x - eps are 2 * eps apart, so divide the difference by "
    "2 * eps, not by eps",
    items=("numerical_gradient",),
)
def gradient_doubled(attempt):
    return [2 * attempt.expected[0]]


@diagnosis(
    "step_in_input_dtype",
    "the step was lost in float32: x + 1e-6 rounds back to (almost) x in float32; perturb a "
    "float64 copy, np.array(x, dtype=np.float64), and return a float64 gradient",
    items=("numerical_gradient",),
)
def step_in_input_dtype(attempt):
    f, x, eps = attempt.inputs["f"], attempt.inputs["x"], attempt.inputs.get("eps", 1e-6)
    if x.dtype == np.float64:
        return None
    return differences(f, x.copy(), eps)  # the copy keeps float32


@diagnosis(
    "gradient_not_float64",
    "the numerical gradient must be float64 whatever the dtype of x: it is an oracle, computed on "
    "a float64 copy (np.zeros(x.shape) for the result, not np.zeros_like(x))",
    items=("numerical_gradient",),
)
def gradient_not_float64(attempt):
    return np.asarray(attempt.got[0]).dtype != np.float64


@diagnosis(
    "every_element_at_once",
    "every element perturbed at once: f(x + eps) - f(x - eps) moves all of x together and gives "
    "one number; perturb one element at a time (x + eps * e_i) to get each partial derivative",
    items=("numerical_gradient",),
)
def every_element_at_once(attempt):
    f, point, eps = numerical_inputs(attempt)
    if point.size == 1:
        return None
    slope = (f(point + eps) - f(point - eps)) / (2 * eps)
    return np.full(point.shape, slope)


@diagnosis(
    "gradient_flattened",
    "flattened gradient: return an array of x's shape (reshape your flat result to x.shape)",
    items=("numerical_gradient",),
)
def gradient_flattened(attempt):
    if attempt.expected[0].ndim < 2:
        return None
    return [attempt.expected[0].reshape(-1)]


@diagnosis(
    "unread_rows_dropped",
    "grad_x too short: when the stride does not divide the padded size, the forward pass never "
    "reads the last few inputs; they still belong to x and their gradient is 0 (grad_x always "
    "has the shape of x)",
    items=BACKWARD_ITEMS,
)
def unread_rows_dropped(attempt):
    stride, dilation = hyper(attempt, "stride"), hyper(attempt, "dilation")
    padding = hyper(attempt, "padding")
    padded = padded_input(attempt)
    out_size = attempt.inputs["grad_out"].shape[2:]
    kernel_size = attempt.inputs["weight"].shape[2:]
    read = [
        (o - 1) * s + d * (k - 1) + 1
        for o, s, d, k in zip(out_size, stride, dilation, kernel_size, strict=True)
    ]
    if read == list(padded.shape[2:]) or any(
        n - p <= p for n, p in zip(read, padding, strict=True)
    ):
        return None
    stops = [n - p for n, p in zip(read, padding, strict=True)]
    return [crop(grad_of_padded_input(attempt), padding, stops), None, None]


@diagnosis(
    "grad_weight_axes_swapped",
    "grad_weight has its first two axes swapped: it must have the weight's shape "
    "(out_channels, in_channels, ...), grad_weight[o, c] pairing grad_out channel o with x "
    "channel c",
    items=BACKWARD_ITEMS,
)
def grad_weight_axes_swapped(attempt):
    return [None, np.swapaxes(attempt.expected[1], 0, 1), None]
