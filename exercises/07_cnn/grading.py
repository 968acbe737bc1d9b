"""Grading spec of assignment 07_cnn: the loss, four layers, SGD, a trained classifier.

Layers, the optimiser and the classifier are not plain function calls: their items name a driver
(autograder/kit/drivers.py) that constructs, loads parameters, runs forward and backward, steps,
or trains and predicts.  See exercises/FORMAT.md.
"""

import numpy as np

from autograder.diagnose import diagnosis
from autograder.spec import Item, array, labels, seeded
from solutions import conv_output_size

DTYPES = ("float32", "float64")
LAYER_OUTPUTS = ("output", "grad_x", "grad_weight", "grad_bias")


def log_softmax_cases(first_seed, backward=False):
    shapes_and_axes = [((4, 5), -1), ((1, 3), -1), ((6, 1), -1), ((3, 4), 0), ((2, 3, 4), 1)]
    cases = []
    for dtype in DTYPES:
        for scale in (1.0, 1000.0):  # logits of 1000: the naive formula overflows
            for shape, axis in shapes_and_axes:
                case = {"z": array(*shape, dtype=dtype, scale=scale), "axis": axis}
                if backward:
                    case = {"grad_out": array(*shape, dtype=dtype), **case}
                cases.append(case)
    return seeded(cases, first_seed)


def nll_cases(first_seed):
    sizes = [(1, 2), (4, 3), (7, 10), (16, 4), (3, 1)]
    return seeded(
        [
            {"log_probs": array(n, k, dtype=dtype), "targets": labels(n, k)}
            for n, k in sizes
            for dtype in DTYPES
        ],
        first_seed,
    )


def linear_case(n, in_features, out_features):
    return {
        "init": {"in_features": in_features, "out_features": out_features},
        "x": array(n, in_features, dtype="float32"),
        "grad_out": array(n, out_features, dtype="float32"),
        "weight": array(out_features, in_features, dtype="float32"),
        "bias": array(out_features, dtype="float32"),
    }


def pair(value):
    return tuple(value) if isinstance(value, tuple) else (value, value)


def conv_case(n, c, o, size, kernel_size, stride=1, padding=0, dilation=1):
    h_out, w_out = (
        conv_output_size(*arguments)
        for arguments in zip(
            size, kernel_size, pair(stride), pair(padding), pair(dilation), strict=True
        )
    )
    return {
        "init": {
            "in_channels": c,
            "out_channels": o,
            "kernel_size": kernel_size,
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
        },
        "x": array(n, c, *size, dtype="float32"),
        "grad_out": array(n, o, h_out, w_out, dtype="float32"),
        "weight": array(o, c, *kernel_size, dtype="float32"),
        "bias": array(o, dtype="float32"),
    }


def elementwise_case(shape, dtype="float32", kind="normal"):
    return {
        "init": {},
        "x": array(*shape, dtype=dtype, kind=kind),
        "grad_out": array(*shape, dtype=dtype),
    }


def flatten_case(shape, dtype="float32"):
    return {
        "init": {},
        "x": array(*shape, dtype=dtype),
        "grad_out": array(shape[0], int(np.prod(shape[1:])), dtype=dtype),
    }


def sgd_case(steps, lr, momentum, weight_decay, dtype="float32"):
    return {
        "init": {"lr": lr, "momentum": momentum, "weight_decay": weight_decay},
        "value_0": array(3, 4, dtype=dtype),
        "grads_0": array(steps, 3, 4, dtype=dtype),
        "value_1": array(5, dtype=dtype),
        "grads_1": array(steps, 5, dtype=dtype),
    }


def classifier_case(seed, train=800, test=400):
    return {
        "data": {"name": "shapes", "train": train, "test": test, "seed": seed},
        "min_accuracy": 0.9,
    }


ITEMS = [
    Item(
        "log_softmax",
        points=2,
        visible=[
            {"z": np.array([[1.0, 2.0, 3.0]])},
            {"z": array(2, 5, dtype="float32", scale=1000.0), "seed": 1},
        ],
        hidden=log_softmax_cases(100),
    ),
    Item(
        "log_softmax_backward",
        points=2,
        visible=[{"grad_out": array(2, 3), "z": array(2, 3), "seed": 2}],
        hidden=log_softmax_cases(200, backward=True),
    ),
    Item(
        "nll_loss",
        points=1,
        visible=[
            {
                "log_probs": np.log(np.array([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]])),
                "targets": np.array([0, 1]),
            },
        ],
        hidden=nll_cases(300),
    ),
    Item(
        "nll_loss_backward",
        points=1,
        visible=[{"log_probs": array(3, 4), "targets": labels(3, 4), "seed": 3}],
        hidden=nll_cases(400),
    ),
    Item(
        "Linear",
        points=2,
        driver="layer",
        outputs=LAYER_OUTPUTS,
        visible=[{**linear_case(2, 3, 4), "seed": 4}],
        hidden=seeded(
            [linear_case(n, i, o) for n, i, o in [(1, 1, 1), (3, 4, 2), (5, 7, 6), (8, 2, 9)]],
            500,
        ),
    ),
    Item(
        "ReLU",
        points=1,
        driver="layer",
        outputs=("output", "grad_x"),
        visible=[{**elementwise_case((2, 5), kind="integers"), "seed": 5}],
        hidden=seeded(
            [elementwise_case((2, 3, 4, 5), dtype) for dtype in DTYPES]
            + [elementwise_case((4, 6), kind="integers"), elementwise_case((1, 1))],
            600,
        ),
    ),
    Item(
        "Flatten",
        points=1,
        driver="layer",
        outputs=("output", "grad_x"),
        visible=[{**flatten_case((2, 3, 2, 2)), "seed": 6}],
        hidden=seeded(
            [flatten_case(shape) for shape in [(2, 3, 4, 5), (1, 1, 1, 1), (3, 2, 5)]]
            + [flatten_case((2, 4, 3, 3), "float64")],
            700,
        ),
    ),
    Item(
        "Conv2d",
        points=2,
        driver="layer",
        outputs=LAYER_OUTPUTS,
        visible=[{**conv_case(2, 1, 2, (5, 5), (3, 3)), "seed": 7}],
        hidden=seeded(
            [
                conv_case(2, 3, 4, (6, 7), (3, 3)),
                conv_case(1, 2, 3, (8, 8), (3, 2), stride=2, padding=1),
                conv_case(3, 1, 2, (7, 6), (2, 2), dilation=2),
                conv_case(2, 2, 2, (5, 5), (1, 1), stride=(2, 1), padding=(0, 2)),
            ],
            800,
        ),
    ),
    Item(
        "SGD",
        points=2,
        driver="optimizer",
        outputs=("first_parameter", "second_parameter"),
        visible=[{**sgd_case(1, 0.1, 0.0, 0.0), "seed": 8}],
        hidden=seeded(
            [
                sgd_case(1, 0.1, 0.0, 0.0),
                sgd_case(3, 0.05, 0.9, 0.0),
                sgd_case(2, 0.1, 0.0, 0.01),
                sgd_case(4, 0.01, 0.5, 0.1),
                sgd_case(3, 0.2, 0.9, 0.001, "float64"),
            ],
            900,
        ),
    ),
    Item(
        "train_classifier",
        points=4,
        driver="classifier",
        reference="autograder.kit.drivers:train_classifier_contract",
        outputs=("predictions",),
        visible=[classifier_case(seed=0)],
        hidden=[classifier_case(seed=2026)],
        case_seconds=60,
    ),
]


# ---- mistakes specific to this chapter (generic ones live in autograder/diagnose.py) --------


@diagnosis(
    "unstable_softmax",
    "overflow: exp(z) is inf for large logits; subtract the maximum along the axis before "
    "exponentiating (it cancels out)",
    items=("log_softmax", "log_softmax_backward"),
)
def unstable_softmax(attempt):
    z, axis = attempt.inputs["z"], attempt.inputs.get("axis", -1)
    with np.errstate(all="ignore"):
        naive = np.log(np.exp(z).sum(axis=axis, keepdims=True))
    got = np.asarray(attempt.got[0])
    return bool(not np.isfinite(naive).all() and not np.isfinite(got).all())


@diagnosis(
    "softmax_wrong_axis",
    "normalised over the wrong axis: use the `axis` argument (keepdims=True keeps it "
    "broadcastable)",
    items=("log_softmax", "log_softmax_backward"),
)
def softmax_wrong_axis(attempt):
    z, axis = attempt.inputs["z"], attempt.inputs.get("axis", -1)
    for other in range(z.ndim):
        if other != axis % z.ndim:
            yield attempt.reference(axis=other)


@diagnosis(
    "loss_sum_not_mean",
    "summed over the batch: the loss is the MEAN over the N samples (divide by N; the "
    "gradient is -1/N at each target)",
    items=("nll_loss", "nll_loss_backward"),
)
def loss_sum_not_mean(attempt):
    count = attempt.inputs["log_probs"].shape[0]
    return [np.asarray(expected) * count for expected in attempt.expected]


@diagnosis(
    "gradient_accumulates",
    "parameter gradients add up across backward calls: backward must STORE (overwrite) "
    "p.grad, not add to it",
    items=("Linear", "Conv2d"),
)
def gradient_accumulates(attempt):
    return [None, None, *[2 * np.asarray(grad) for grad in attempt.expected[2:]]]


@diagnosis(
    "relu_gradient_at_zero",
    "ReLU gradient at x == 0: the derivative there is taken as 0; pass the gradient only "
    "where x > 0",
    items=("ReLU",),
)
def relu_gradient_at_zero(attempt):
    x, grad_out = attempt.inputs["x"], attempt.inputs["grad_out"]
    if not (x == 0).any():
        return None
    return [None, grad_out * (x >= 0)]


@diagnosis(
    "flatten_channels_last",
    "flattened in channels-last order: reshape (N, C, H, W) directly to (N, C*H*W), "
    "without moving the channel axis",
    items=("Flatten",),
)
def flatten_channels_last(attempt):
    x = attempt.inputs["x"]
    if x.ndim != 4 or x.shape[1] == 1:
        return None
    return [np.moveaxis(x, 1, -1).reshape(x.shape[0], -1), None]


def sgd_without(attempt, option):
    init = attempt.inputs["init"]
    if not init.get(option):
        return None
    return attempt.reference(init={**init, option: 0.0})


@diagnosis(
    "momentum_ignored",
    "momentum ignored: keep one velocity per parameter, velocity = momentum * velocity + g, "
    "and step by lr * velocity",
    items=("SGD",),
)
def momentum_ignored(attempt):
    return sgd_without(attempt, "momentum")


@diagnosis(
    "weight_decay_ignored",
    "weight decay ignored: the step uses g = grad + weight_decay * value",
    items=("SGD",),
)
def weight_decay_ignored(attempt):
    return sgd_without(attempt, "weight_decay")
