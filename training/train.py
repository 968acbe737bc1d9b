"""Train a network of ``training.models`` on one dataset and save its results (chapter 7).

    python -m training --dataset digits --model cnn
    python -m training --dataset mnist1d --model cnn --shuffle-sequence
    python -m training --dataset fashion-mnist --model cnn --epochs 5 --data-dir DIR
    python -m training --dataset digits --model cnn --train-size 1000 --epochs 5 --seed 1
    python -m training --dataset fashion-mnist --model cnn --save-first-layer

One training step is the whole chapter in five lines: forward through the layers, log-softmax,
negative log-likelihood, backward in reverse (starting from the loss gradient), optimiser step.
The run is reproducible: one seed draws the weights and the batch order, and BLAS runs on
``--threads`` threads (default 1), so the same command gives the same numbers.

Writes ``<out>/<name>.json`` (settings, the exact command, final and per-epoch numbers, wall
time, images per second) and a PNG of the curves next to it, where ``<name>`` is
``<dataset>-<model>[-shuffled][-n<train size>][-seed<seed>]`` (the size only when
``--train-size`` is given, the seed only when it is not 0). ``--save-first-layer`` also writes
``<name>-first-layer.npz``: the trained first convolution's weight and bias and a few test images
with their labels, enough to draw the filters and their feature maps (a few kilobytes).
"""

import argparse
import json
import math
import os
import shlex
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from solutions.losses import log_softmax, log_softmax_backward, nll_loss, nll_loss_backward
from solutions.optim import SGD, Adam
from training.data import FASHION_MNIST_DIR, LOADERS, DatasetNotFoundError
from training.models import MODELS, RECIPES, build_model, count_parameters

EVAL_BATCH_SIZE = 1000
FIRST_LAYER_IMAGES = 8  # test images saved with the first layer, for its feature maps


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=program_name(),
        description="Train a NumPy CNN built from the course's own layers.",
        epilog="Options left out take the recipe of the chosen dataset and model "
        "(training/models.py RECIPES).",
    )
    parser.add_argument("--dataset", required=True, choices=sorted(MODELS))
    parser.add_argument("--model", required=True, help="logistic, mlp or cnn (mnist1d); cnn")
    parser.add_argument("--epochs", type=int, help="passes over the training set")
    parser.add_argument("--seed", type=int, default=0, help="weights and batch order (default 0)")
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--lr", type=float, help="learning rate")
    parser.add_argument("--optimizer", choices=["sgd", "adam"])
    parser.add_argument("--momentum", type=float, default=0.9, help="SGD only (default 0.9)")
    parser.add_argument("--weight-decay", type=float, help="L2 coefficient added to gradients")
    parser.add_argument(
        "--schedule",
        choices=["constant", "step"],
        help="learning rate over the epochs: constant, or --lr / 10 for the last 10%% of them",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=FASHION_MNIST_DIR, help="Fashion-MNIST IDX directory"
    )
    parser.add_argument("--out", type=Path, default=Path("results/train"))
    parser.add_argument(
        "--shuffle-sequence",
        action="store_true",
        help="MNIST-1D ablation: one fixed permutation of the time axis, train and test",
    )
    parser.add_argument(
        "--train-size",
        type=int,
        help="train on the first N images of the training set only (default: all of them)",
    )
    parser.add_argument(
        "--save-first-layer",
        action="store_true",
        help="also save the first convolution's trained weight and bias, with a few test "
        "images, as <name>-first-layer.npz",
    )
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    args = parser.parse_args(argv)
    if args.model not in MODELS[args.dataset]:
        parser.error(f"--model for {args.dataset} must be one of {sorted(MODELS[args.dataset])}")
    if args.shuffle_sequence and args.dataset != "mnist1d":
        parser.error("--shuffle-sequence applies to --dataset mnist1d only")
    recipe = RECIPES[args.dataset][args.model]
    for field in recipe._fields:
        if getattr(args, field) is None:
            setattr(args, field, getattr(recipe, field))
    for name in ("epochs", "batch_size", "threads", "train_size"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    return args


def load_data(args):
    """The dataset of ``args``, its training set cut to ``args.train_size`` images if given."""
    if args.dataset == "mnist1d":
        data = LOADERS["mnist1d"](shuffle_sequence=args.shuffle_sequence)
    elif args.dataset == "fashion-mnist":
        data = LOADERS["fashion-mnist"](args.data_dir)
    else:
        data = LOADERS[args.dataset]()
    return subset_training_set(data, args.train_size)


def subset_training_set(data, train_size):
    """``data`` with only the first ``train_size`` training examples (all of them if None).

    The standardisation statistics stay those of the whole training set; the test set is
    unchanged, so accuracies of different training-set sizes are measured on the same images.

    Raises:
        ValueError: train_size is larger than the training set.
    """
    if train_size is None:
        return data
    if train_size > len(data.y_train):
        raise ValueError(
            f"--train-size {train_size} is larger than the training set "
            f"({len(data.y_train)} examples)"
        )
    return data._replace(x_train=data.x_train[:train_size], y_train=data.y_train[:train_size])


def run_name(args):
    """``<dataset>-<model>[-shuffled][-n<train size>][-seed<seed>]``: the stem of the files."""
    name = f"{args.dataset}-{args.model}" + ("-shuffled" if args.shuffle_sequence else "")
    if args.train_size is not None:
        name += f"-n{args.train_size}"
    if args.seed != 0:
        name += f"-seed{args.seed}"
    return name


def first_conv_layer(model):
    """The first layer of ``model`` that has a 4D (O, C, KH, KW) or 3D weight: its convolution."""
    for layer in model.layers:
        parameters = layer.parameters()
        if parameters and parameters[0].value.ndim >= 3:
            return layer
    raise ValueError("the model has no convolution layer")


def save_first_layer(model, data, path, n_images=FIRST_LAYER_IMAGES):
    """Save the first convolution's weight (O, C, KH, KW) and bias (O,), float32, with the first
    ``n_images`` test inputs (n, C, H, W) and labels (n,), as a compressed ``.npz``."""
    weight, bias = (p.value for p in first_conv_layer(model).parameters())
    np.savez_compressed(
        path,
        weight=weight.astype(np.float32),
        bias=bias.astype(np.float32),
        images=data.x_test[:n_images].astype(np.float32),
        labels=data.y_test[:n_images],
    )


def make_optimizer(args, parameters):
    if args.optimizer == "sgd":
        return SGD(parameters, args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    return Adam(parameters, lr=args.lr, weight_decay=args.weight_decay)


def learning_rate(base_lr, schedule, epoch, epochs):
    """Learning rate of ``epoch`` (1-based): constant, or a step down for the final epochs.

    ``step``: base_lr for the first 90% of the epochs, base_lr / 10 for the last 10% (at least
    the last epoch).  Large steps explore and keep the weights from settling into a sharp
    minimum of the training loss; the small final steps stop the bouncing between minibatches.
    """
    if schedule == "step" and epoch > math.floor(0.9 * epochs):
        return base_lr / 10
    return base_lr


def train_step(model, optimizer, x, y):
    """One step of gradient descent on a batch.

    Args:
        model: a Sequential producing logits (N, 10).
        optimizer: SGD or Adam over model.parameters().
        x: (N, C, ...) inputs; y: (N,) int labels.

    Returns:
        (loss, number of correct predictions) on this batch, before the update.
    """
    logits = model.forward(x)
    log_probs = log_softmax(logits)
    loss = nll_loss(log_probs, y)
    grad_logits = log_softmax_backward(nll_loss_backward(log_probs, y), logits)
    model.backward(grad_logits)
    optimizer.step()
    return float(loss), int((logits.argmax(axis=1) == y).sum())


def accuracy(model, x, y, batch_size=EVAL_BATCH_SIZE):
    """Share of the examples of (x, y) whose largest logit is the label."""
    correct = 0
    for start in range(0, len(y), batch_size):
        logits = model.forward(x[start : start + batch_size])
        correct += int((logits.argmax(axis=1) == y[start : start + batch_size]).sum())
    return correct / len(y)


def train(model, optimizer, data, epochs, batch_size, rng, schedule="constant", progress=True):
    """Train for ``epochs`` passes over the shuffled training set, testing after each one.

    ``schedule`` sets ``optimizer.lr`` at the start of each epoch (see ``learning_rate``).

    Train loss and accuracy of an epoch are means over its batches, measured as the weights
    change (no extra pass over the training set).

    Returns:
        (history, train_seconds): history is a dict of per-epoch lists (epoch, train_loss,
        train_accuracy, test_accuracy); train_seconds counts the training steps only.
    """
    history = {"epoch": [], "train_loss": [], "train_accuracy": [], "test_accuracy": []}
    n_train = len(data.y_train)
    train_seconds = 0.0
    base_lr = optimizer.lr
    for epoch in range(1, epochs + 1):
        optimizer.lr = learning_rate(base_lr, schedule, epoch, epochs)
        order = rng.permutation(n_train)
        loss_sum, correct = 0.0, 0
        batches = range(0, n_train, batch_size)
        bar = tqdm(batches, desc=f"epoch {epoch}/{epochs}", leave=False, disable=not progress)
        start = time.perf_counter()
        for first in bar:
            batch = order[first : first + batch_size]
            loss, batch_correct = train_step(
                model, optimizer, data.x_train[batch], data.y_train[batch]
            )
            loss_sum += loss * len(batch)
            correct += batch_correct
            bar.set_postfix(loss=f"{loss:.3f}", refresh=False)
        train_seconds += time.perf_counter() - start
        history["epoch"].append(epoch)
        history["train_loss"].append(loss_sum / n_train)
        history["train_accuracy"].append(correct / n_train)
        history["test_accuracy"].append(accuracy(model, data.x_test, data.y_test))
        if progress:
            tqdm.write(
                f"epoch {epoch:3d}  train loss {history['train_loss'][-1]:.4f}  "
                f"train acc {history['train_accuracy'][-1]:.4f}  "
                f"test acc {history['test_accuracy'][-1]:.4f}"
            )
    return history, train_seconds


def plot_history(history, title, path):
    """Save the loss and accuracy curves of ``history`` as a small PNG (dpi 80)."""
    # A bare Figure needs no GUI backend and leaves pyplot's state (and notebooks) alone.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3), dpi=80)
    loss_ax, acc_ax = fig.subplots(1, 2)
    loss_ax.plot(history["epoch"], history["train_loss"], label="train")
    loss_ax.set(xlabel="epoch", ylabel="cross-entropy loss", title="training loss")
    acc_ax.plot(history["epoch"], history["train_accuracy"], label="train")
    acc_ax.plot(history["epoch"], history["test_accuracy"], label="test")
    acc_ax.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    acc_ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def program_name():
    """``course-train`` when run by the console script, else ``python -m training``."""
    return "course-train" if Path(sys.argv[0]).name == "course-train" else "python -m training"


def command_line(argv):
    """The command as the user typed it, for the results file."""
    return shlex.join([*program_name().split(), *argv])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    try:
        data = load_data(args)
    except (DatasetNotFoundError, ValueError) as error:  # missing or corrupt files, bad size
        sys.exit(f"error: {error}")
    rng = np.random.default_rng(args.seed)
    model = build_model(args.dataset, args.model, rng)
    optimizer = make_optimizer(args, model.parameters())
    load_average = os.getloadavg()[0]
    print(
        f"{args.dataset} {args.model}: {len(data.y_train)} train, {len(data.y_test)} test, "
        f"{count_parameters(model)} parameters, {args.optimizer} lr={args.lr} "
        f"({args.schedule}), weight decay {args.weight_decay}, "
        f"batch {args.batch_size}, {args.epochs} epochs, {args.threads} BLAS thread(s), "
        f"load average {load_average:.1f}"
    )
    start = time.perf_counter()
    with threadpool_limits(limits=args.threads):
        history, train_seconds = train(
            model, optimizer, data, args.epochs, args.batch_size, rng, args.schedule
        )
    wall_time = time.perf_counter() - start
    images_per_s = args.epochs * len(data.y_train) / train_seconds

    name = run_name(args)
    result = {
        "name": name,
        "dataset": args.dataset,
        "model": args.model,
        "epochs": args.epochs,
        "seed": args.seed,
        "command": command_line(argv),
        "test_accuracy": history["test_accuracy"][-1],
        "train_accuracy": history["train_accuracy"][-1],
        "final_train_loss": history["train_loss"][-1],
        "wall_time_s": round(wall_time, 2),
        "images_per_s": round(images_per_s, 1),
        "parameters": count_parameters(model),
        "optimizer": args.optimizer,
        "lr": args.lr,
        "schedule": args.schedule,
        "weight_decay": args.weight_decay,
        "batch_size": args.batch_size,
        "shuffle_sequence": args.shuffle_sequence,
        "train_size": len(data.y_train),
        "test_size": len(data.y_test),
        "threads": args.threads,
        "load_average_at_start": round(load_average, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "history": history,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    json_path = args.out / f"{name}.json"
    json_path.write_text(json.dumps(result, indent=2) + "\n")
    plot_history(
        history,
        f"{name}: test accuracy {result['test_accuracy']:.3f}",
        json_path.with_suffix(".png"),
    )
    if args.save_first_layer:
        save_first_layer(model, data, args.out / f"{name}-first-layer.npz")
    print(
        f"test accuracy {result['test_accuracy']:.4f}  train accuracy "
        f"{result['train_accuracy']:.4f}  wall time {wall_time:.1f} s  "
        f"{images_per_s:.0f} training images/s  -> {json_path}"
    )
    return result


if __name__ == "__main__":
    main()
