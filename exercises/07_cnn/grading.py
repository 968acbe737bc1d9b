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


def adam_case(steps, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, dtype="float32"):
    return {
        "init": {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay},
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
        "Adam",
        points=2,
        driver="optimizer",
        outputs=("first_parameter", "second_parameter"),
        visible=[{**adam_case(2, 0.1), "seed": 9}],
        hidden=seeded(
            [
                adam_case(1, 0.1),
                adam_case(3, 0.01),
                adam_case(4, 0.05, betas=(0.8, 0.99)),
                adam_case(3, 0.02, betas=(0.5, 0.9), eps=1e-3),
                adam_case(5, 0.01, weight_decay=0.1),
                adam_case(2, 0.001, betas=(0.9, 0.95), weight_decay=0.01, dtype="float64"),
            ],
            1000,
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
    if attempt.item.name == "log_softmax":  # normalised over every entry at once (no axis)
        shifted = z - z.max()
        yield shifted - np.log(np.exp(shifted).sum())
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
    x, grad_out = attempt.inputs["x"], attempt.inputs["grad_out"]
    if x.ndim != 4 or x.shape[1] == 1:
        return
    yield [np.moveaxis(x, 1, -1).reshape(x.shape[0], -1), None]
    batch, channels, height, width = x.shape  # the backward pass undoing a channels-last order
    yield [None, grad_out.reshape(batch, height, width, channels).transpose(0, 3, 1, 2)]


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
    items=("SGD", "Adam"),
)
def weight_decay_ignored(attempt):
    return sgd_without(attempt, "weight_decay")


def log_softmax_of(attempt):
    """log_softmax(z) along the case's axis (stable), in z's dtype."""
    z, axis = attempt.inputs["z"], attempt.inputs.get("axis", -1)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@diagnosis(
    "softmax_not_log",
    "softmax where log-softmax was asked: return log(softmax(z)) = z - logsumexp(z) (computed "
    "stably, never as np.log of a softmax), and differentiate THAT",
    items=("log_softmax", "log_softmax_backward"),
)
def softmax_not_log(attempt):
    softmax = np.exp(log_softmax_of(attempt))
    if attempt.item.name == "log_softmax":
        return softmax
    grad_out, axis = attempt.inputs["grad_out"], attempt.inputs.get("axis", -1)
    return softmax * (grad_out - (grad_out * softmax).sum(axis=axis, keepdims=True))


@diagnosis(
    "max_not_added_back",
    "the maximum was subtracted and not added back: logsumexp(z) = m + log(sum(exp(z - m))) "
    "with m = max(z); so log_softmax(z) = (z - m) - log(sum(exp(z - m)))",
    items=("log_softmax",),
)
def max_not_added_back(attempt):
    z, axis = attempt.inputs["z"], attempt.inputs.get("axis", -1)
    shifted = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@diagnosis(
    "upstream_sum_assumed_one",
    "the gradient assumes grad_out sums to 1 along the axis (grad_out - softmax); in general "
    "grad_z = grad_out - softmax(z) * sum(grad_out, axis)",
    items=("log_softmax_backward",),
)
def upstream_sum_assumed_one(attempt):
    return attempt.inputs["grad_out"] - np.exp(log_softmax_of(attempt))


@diagnosis(
    "diagonal_jacobian_only",
    "only the diagonal of the Jacobian: every output of log-softmax depends on every z along "
    "the axis, so grad_z = grad_out - softmax(z) * sum(grad_out, axis), not "
    "grad_out * (1 - softmax(z))",
    items=("log_softmax_backward",),
)
def diagonal_jacobian_only(attempt):
    return attempt.inputs["grad_out"] * (1 - np.exp(log_softmax_of(attempt)))


@diagnosis(
    "loss_sign",
    "sign error: the loss is the NEGATIVE mean log-probability of the targets, "
    "-mean_n log_probs[n, targets[n]] (a positive number), and its gradient is -1/N there",
    items=("nll_loss", "nll_loss_backward"),
)
def loss_sign(attempt):
    return [-np.asarray(expected) for expected in attempt.expected]


@diagnosis(
    "targets_picked_per_column",
    "wrong entries picked: log_probs[:, targets] takes every row's entries at all N targets; "
    "pick one entry per row, log_probs[np.arange(N), targets]",
    items=("nll_loss", "nll_loss_backward"),
)
def targets_picked_per_column(attempt):
    log_probs, targets = attempt.inputs["log_probs"], attempt.inputs["targets"]
    count = len(targets)
    if attempt.item.name == "nll_loss":
        return -log_probs[:, targets].mean()
    grad = np.zeros_like(log_probs)
    np.add.at(grad, (slice(None), targets), log_probs.dtype.type(-1.0 / (count * count)))
    return grad


@diagnosis(
    "mean_over_classes",
    "averaged over the classes too: the loss is the mean over the N samples of one entry each, "
    "so divide by N, not by N * K (-(one_hot * log_probs).mean() divides by N * K)",
    items=("nll_loss", "nll_loss_backward"),
)
def mean_over_classes(attempt):
    classes = attempt.inputs["log_probs"].shape[1]
    if classes == 1:
        return None
    return [np.asarray(expected) / classes for expected in attempt.expected]


@diagnosis(
    "relu_mask_from_grad_out",
    "the ReLU mask comes from x, not from grad_out: the gradient passes where the INPUT was "
    "positive, grad_x = grad_out * (x > 0)",
    items=("ReLU",),
)
def relu_mask_from_grad_out(attempt):
    grad_out = attempt.inputs["grad_out"]
    return [None, grad_out * (grad_out > 0)]


@diagnosis(
    "relu_mask_not_multiplied",
    "ReLU backward returns the mask (x > 0) itself: multiply it by grad_out, "
    "grad_x = grad_out * (x > 0)",
    items=("ReLU",),
)
def relu_mask_not_multiplied(attempt):
    x = attempt.inputs["x"]
    return [None, (x > 0).astype(x.dtype)]


@diagnosis(
    "flatten_backward_not_reshaped",
    "Flatten.backward must give grad_x the input's shape (N, C, H, W): reshape grad_out back "
    "with the shape saved in forward",
    items=("Flatten",),
)
def flatten_backward_not_reshaped(attempt):
    return [None, attempt.inputs["grad_out"]]


@diagnosis(
    "flatten_batch_too",
    "the batch axis was flattened too: keep N, reshape to (N, C * H * W) with "
    "x.reshape(x.shape[0], -1)",
    items=("Flatten",),
)
def flatten_batch_too(attempt):
    x = attempt.inputs["x"]
    yield [x.reshape(-1), None]
    yield [x.reshape(-1, x.shape[0]), None]
    yield [x.reshape(-1, x.shape[0]).T, None]  # the right shape, samples mixed


def sgd_steps(attempt, sign=1.0, decay_after_step=False, decay_sign=1.0):
    """The two parameters after the case's steps of a variant of SGD (see the SGD mistakes)."""
    init, inputs = attempt.inputs["init"], attempt.inputs
    lr, momentum = init["lr"], init.get("momentum", 0.0)
    decay = decay_sign * init.get("weight_decay", 0.0)
    values = [inputs["value_0"].copy(), inputs["value_1"].copy()]
    velocities = [np.zeros_like(value) for value in values]
    for step in range(inputs["grads_0"].shape[0]):
        for number, (value, velocity) in enumerate(zip(values, velocities, strict=True)):
            grad = inputs[f"grads_{number}"][step]
            if not decay_after_step:
                grad = grad + decay * value
            velocity *= momentum
            velocity += grad
            value -= sign * lr * velocity
            if decay_after_step:
                value -= decay * value
    return values


@diagnosis(
    "sgd_ascends",
    "the step goes uphill: gradient DEScent subtracts, value -= lr * velocity",
    items=("SGD",),
)
def sgd_ascends(attempt):
    return sgd_steps(attempt, sign=-1.0)


@diagnosis(
    "decay_not_in_gradient",
    "weight decay applied outside the step: it is part of the gradient, "
    "g = grad + weight_decay * value, scaled by lr and carried by the momentum like the rest",
    items=("SGD",),
)
def decay_not_in_gradient(attempt):
    if not attempt.inputs["init"].get("weight_decay"):
        return None
    return sgd_steps(attempt, decay_after_step=True)


@diagnosis(
    "log_of_softmax",
    "log of a softmax: softmax underflows to 0 for very negative logits and log(0) = -inf; "
    "compute log_softmax(z) = (z - m) - log(sum(exp(z - m))) directly, m = max(z)",
    items=("log_softmax",),
)
def log_of_softmax(attempt):
    z, axis = attempt.inputs["z"], attempt.inputs.get("axis", -1)
    with np.errstate(all="ignore"):
        exps = np.exp(z - z.max(axis=axis, keepdims=True))
        candidate = np.log(exps / exps.sum(axis=axis, keepdims=True))
    got = np.asarray(attempt.got[0])
    if got.shape != candidate.shape or np.isfinite(candidate).all():
        return False
    finite = np.isfinite(candidate)
    return bool(
        np.array_equal(np.isneginf(got), np.isneginf(candidate))
        and np.allclose(got[finite], candidate[finite], rtol=1e-4, atol=1e-5)
    )


@diagnosis(
    "loss_not_reduced",
    "one loss per sample: nll_loss returns ONE number, the mean over the batch of "
    "-log_probs[n, targets[n]]",
    items=("nll_loss",),
)
def loss_not_reduced(attempt):
    log_probs, targets = attempt.inputs["log_probs"], attempt.inputs["targets"]
    return -log_probs[np.arange(len(targets)), targets]


@diagnosis(
    "targets_picked_as_rows",
    "wrong entries picked: log_probs[targets] selects whole ROWS (one per target); pick one "
    "entry per sample, log_probs[np.arange(N), targets]",
    items=("nll_loss", "nll_loss_backward"),
)
def targets_picked_as_rows(attempt):
    log_probs, targets = attempt.inputs["log_probs"], attempt.inputs["targets"]
    if attempt.item.name == "nll_loss":
        return -log_probs[targets].mean()
    grad = np.zeros_like(log_probs)
    np.add.at(grad, targets, log_probs.dtype.type(-1.0 / (len(targets) * log_probs.shape[1])))
    return grad


@diagnosis(
    "relu_gradient_not_masked",
    "ReLU backward passes grad_out everywhere: it must be zero where the input was <= 0, "
    "grad_x = grad_out * (x > 0)",
    items=("ReLU",),
)
def relu_gradient_not_masked(attempt):
    return [None, attempt.inputs["grad_out"]]


@diagnosis(
    "decay_sign",
    "weight decay with the wrong sign: the decayed gradient is g = grad + weight_decay * value "
    "(it pulls the value towards 0)",
    items=("SGD",),
)
def decay_sign(attempt):
    init = attempt.inputs["init"]
    if not init.get("weight_decay"):
        return None
    return sgd_steps(attempt, decay_sign=-1.0)


def adam_steps(
    attempt,
    correct_mean=True,
    correct_square=True,
    eps_inside=False,
    count_per_parameter=False,
    swap_betas=False,
    absolute_square=False,
):
    """The two parameters after the case's steps of a variant of Adam (see the Adam mistakes)."""
    init, inputs = attempt.inputs["init"], attempt.inputs
    lr, (beta1, beta2) = init["lr"], init.get("betas", (0.9, 0.999))
    if swap_betas:
        beta1, beta2 = beta2, beta1
    eps, decay = init.get("eps", 1e-8), init.get("weight_decay", 0.0)
    values = [inputs["value_0"].copy(), inputs["value_1"].copy()]
    means = [np.zeros_like(value) for value in values]
    squares = [np.zeros_like(value) for value in values]
    for step in range(inputs["grads_0"].shape[0]):
        for number, (value, mean, square) in enumerate(zip(values, means, squares, strict=True)):
            t = 2 * step + number + 1 if count_per_parameter else step + 1
            grad = inputs[f"grads_{number}"][step] + decay * value
            mean[...] = beta1 * mean + (1 - beta1) * grad
            square[...] = beta2 * square + (1 - beta2) * (
                np.abs(grad) if absolute_square else grad * grad
            )
            mean_hat = mean / (1 - beta1**t) if correct_mean else mean
            square_hat = square / (1 - beta2**t) if correct_square else square
            if eps_inside:
                value -= lr * mean_hat / np.sqrt(square_hat + eps)
            else:
                value -= lr * mean_hat / (np.sqrt(square_hat) + eps)
    return values


@diagnosis(
    "adam_no_bias_correction",
    "no bias correction: m and v start at zero, so divide them by (1 - beta1 ** t) and "
    "(1 - beta2 ** t), t = 1 on the first step; without it the first steps are far too small",
    items=("Adam",),
)
def adam_no_bias_correction(attempt):
    yield adam_steps(attempt, correct_mean=False, correct_square=False)
    yield adam_steps(attempt, correct_mean=True, correct_square=False)
    yield adam_steps(attempt, correct_mean=False, correct_square=True)


@diagnosis(
    "adam_eps_inside_sqrt",
    "eps in the wrong place: the step is lr * m_hat / (sqrt(v_hat) + eps), eps added AFTER the "
    "square root",
    items=("Adam",),
)
def adam_eps_inside_sqrt(attempt):
    return adam_steps(attempt, eps_inside=True)


@diagnosis(
    "adam_step_count",
    "step count t advanced once per parameter: t counts calls to step() (1, 2, 3, ...), the "
    "same t for every parameter of one step",
    items=("Adam",),
)
def adam_step_count(attempt):
    return adam_steps(attempt, count_per_parameter=True)


@diagnosis(
    "adam_betas_swapped",
    "betas swapped: beta1 (0.9) averages the gradient m, beta2 (0.999) its square v",
    items=("Adam",),
)
def adam_betas_swapped(attempt):
    return adam_steps(attempt, swap_betas=True)


@diagnosis(
    "adam_square_not_squared",
    "the second running mean must average the SQUARED gradient, v = beta2 * v + (1 - beta2) * "
    "g * g, not |g| (the step divides by its square root)",
    items=("Adam",),
)
def adam_square_not_squared(attempt):
    return adam_steps(attempt, absolute_square=True)
