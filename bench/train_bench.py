"""How fast does the course's NumPy CNN train, next to PyTorch on the same network?

    python bench/train_bench.py [--batch-size 64] [--steps 20] [--optimizer adam|sgd] [--out FILE]

Both frameworks run the Fashion-MNIST network of ``training.models.fashion_cnn`` (same layers, same
initial weights copied from NumPy to PyTorch) on one thread (threadpoolctl for NumPy's BLAS,
``torch.set_num_threads(1)``).  A training step is forward, log-softmax + NLL, backward and an
Adam (or plain SGD) update; steps of the two alternate, and the median time per step is reported,
both wall-clock and CPU time of this process (on a shared machine the CPU-time ratio varies less
with the other users' load), with the load average at the start and the end.  Before timing, the
script checks that both compute the same loss and gradients.  The NumPy network runs on the
layers of ``solutions.layers``, which call the fast engine ``solutions.fast``; neither framework
computes the gradient with respect to the input images (``training.models.FirstConv2d``; in
PyTorch the input does not require a gradient).

Target (issue 10): NumPy's step takes at most TARGET_RATIO times PyTorch's.

PyTorch is a benchmark-only dependency (``pip install torch==2.13.0``), never needed to train.
"""

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from solutions.layers import Conv2d, Linear
from solutions.optim import SGD, Adam
from training.models import fashion_cnn
from training.train import train_step

TARGET_RATIO = 1.0  # NumPy's training step <= 1.0 x PyTorch's time
LEARNING_RATE = {"adam": 1e-3, "sgd": 0.05}


def torch_copy(model):
    """The same network in PyTorch, with the NumPy model's weights."""
    import torch
    from torch import nn

    layers = []
    for layer in model.layers:
        name = type(layer).__name__
        if isinstance(layer, Conv2d):
            out_channels, in_channels, kh, kw = layer.weight.value.shape
            copy = nn.Conv2d(in_channels, out_channels, (kh, kw), layer.stride, layer.padding)
        elif isinstance(layer, Linear):
            copy = nn.Linear(*reversed(layer.weight.value.shape))
        elif name == "MaxPool2d":
            copy = nn.MaxPool2d(layer.kernel_size, layer.stride)
        else:
            copy = {"ReLU": nn.ReLU, "Flatten": nn.Flatten}[name]()
        if layer.parameters():
            with torch.no_grad():
                copy.weight.copy_(torch.from_numpy(layer.weight.value))
                copy.bias.copy_(torch.from_numpy(layer.bias.value))
        layers.append(copy)
    return nn.Sequential(*layers)


def torch_step(model, optimizer, x, y):
    import torch.nn.functional as F

    optimizer.zero_grad()
    loss = F.nll_loss(F.log_softmax(model(x), dim=1), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def gradient_difference(numpy_model, torch_model, x, y):
    """Largest |difference| between the two frameworks' loss and parameter gradients, one batch."""
    import torch
    import torch.nn.functional as F

    from solutions.losses import log_softmax, log_softmax_backward, nll_loss, nll_loss_backward

    logits = numpy_model.forward(x)
    log_probs = log_softmax(logits)
    loss = nll_loss(log_probs, y)
    numpy_model.backward(log_softmax_backward(nll_loss_backward(log_probs, y), logits))
    torch_model.zero_grad()
    torch_loss = F.nll_loss(
        F.log_softmax(torch_model(torch.from_numpy(x)), dim=1), torch.from_numpy(y)
    )
    torch_loss.backward()
    differences = [abs(float(loss) - torch_loss.item())]
    for ours, theirs in zip(numpy_model.parameters(), torch_model.parameters(), strict=True):
        differences.append(float(np.abs(ours.grad - theirs.grad.numpy()).max()))
    return max(differences)


def time_interleaved(steps, rounds):
    """Median seconds per call of each function in ``steps``, timed in alternation.

    One call of each per round, in turn, so that both frameworks see the same background load on
    a shared machine; two warm-up rounds are not timed.

    Returns:
        (wall medians, CPU medians): one list each, in the order of ``steps``.
    """
    clocks = (time.perf_counter, time.process_time)
    times = [[[] for _ in steps] for _ in clocks]
    for round_index in range(rounds + 2):
        for index, step in enumerate(steps):
            starts = [clock() for clock in clocks]
            step()
            if round_index >= 2:
                for clock, start, record in zip(clocks, starts, times, strict=True):
                    record[index].append(clock() - start)
    return [[statistics.median(record) for record in per_clock] for per_clock in times]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--optimizer", choices=sorted(LEARNING_RATE), default="adam")
    parser.add_argument("--out", type=Path, default=Path("results/bench/train_bench.json"))
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        raise SystemExit("this benchmark needs PyTorch: pip install torch==2.13.0") from None

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.batch_size, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, args.batch_size)
    numpy_model = fashion_cnn(np.random.default_rng(0))
    torch_model = torch_copy(numpy_model)
    load_average = os.getloadavg()[0]
    lr = LEARNING_RATE[args.optimizer]
    if args.optimizer == "adam":
        numpy_optimizer = Adam(numpy_model.parameters(), lr=lr)
        torch_optimizer = torch.optim.Adam(torch_model.parameters(), lr=lr)
    else:
        numpy_optimizer = SGD(numpy_model.parameters(), lr=lr)
        torch_optimizer = torch.optim.SGD(torch_model.parameters(), lr=lr)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    with threadpool_limits(limits=1):
        difference = gradient_difference(numpy_model, torch_model, x, y)
        (numpy_seconds, torch_seconds), (numpy_cpu, torch_cpu) = time_interleaved(
            [
                lambda: train_step(numpy_model, numpy_optimizer, x, y),
                lambda: torch_step(torch_model, torch_optimizer, tx, ty),
            ],
            args.steps,
        )
    load_average_end = os.getloadavg()[0]
    ratio = numpy_seconds / torch_seconds
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
    target = (
        f"TARGET training step ({args.optimizer}) <= {TARGET_RATIO}x PyTorch's time: "
        f"{ratio:.2f}x {verdict} (CPU time {numpy_cpu / torch_cpu:.2f}x)"
    )

    result = {
        "optimizer": args.optimizer,
        "network": repr(numpy_model),
        "batch_size": args.batch_size,
        "timed_steps_each": args.steps,
        "threads": 1,
        "numpy_images_per_s": round(args.batch_size / numpy_seconds, 1),
        "torch_images_per_s": round(args.batch_size / torch_seconds, 1),
        "numpy_time_over_torch_time": round(numpy_seconds / torch_seconds, 2),
        "numpy_ms_per_step": round(1e3 * numpy_seconds, 1),
        "torch_ms_per_step": round(1e3 * torch_seconds, 1),
        "numpy_cpu_ms_per_step": round(1e3 * numpy_cpu, 1),
        "torch_cpu_ms_per_step": round(1e3 * torch_cpu, 1),
        "numpy_cpu_time_over_torch_cpu_time": round(numpy_cpu / torch_cpu, 2),
        "max_loss_or_gradient_difference": difference,
        "numpy_version": np.__version__,
        "torch_version": torch.__version__,
        "processor": platform.processor() or platform.machine(),
        "load_average_at_start": round(load_average, 2),
        "load_average_at_end": round(load_average_end, 2),
        "target": target,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"NumPy {result['numpy_images_per_s']:.0f} images/s, PyTorch "
        f"{result['torch_images_per_s']:.0f} images/s (one thread, batch {args.batch_size}): "
        f"NumPy takes {result['numpy_time_over_torch_time']:.2f}x PyTorch's time per step "
        f"({result['numpy_ms_per_step']:.1f} ms vs {result['torch_ms_per_step']:.1f} ms; CPU time "
        f"{result['numpy_cpu_time_over_torch_cpu_time']:.2f}x); "
        f"largest loss/gradient difference {difference:.1e} -> {args.out}"
    )
    print(target)
    print(
        f"load average (1 min) {load_average:.2f} at the start, {load_average_end:.2f} at the end, "
        f"on {os.cpu_count()} logical CPUs"
    )
    return result


if __name__ == "__main__":
    main()
