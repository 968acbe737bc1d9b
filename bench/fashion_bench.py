"""Does ``python -m training`` reach 0.90 test accuracy on Fashion-MNIST within five minutes?

    python bench/fashion_bench.py [--data-dir DIR] [--out FILE] [--epochs E] [--train-size N]

Runs the real command, ``python -m training --dataset fashion-mnist --model cnn`` (the recipe of
``training.models.RECIPES``: 5 epochs of Adam, batch 64), as a child process on one thread:
``--threads 1``, and OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS = 1 in its
environment, so BLAS starts with one thread when NumPy loads.  It measures the wall time of the
whole command (start-up, loading the 60000 + 10000 images, training, the test pass after each
epoch, writing the results) and the CPU time the child used, reads the final test accuracy from
the JSON the command writes (into a temporary directory: ``results/train`` keeps the runs the
book shows), and prints the load average at the start and the end: on a shared machine the wall
time grows with the other users' load, the CPU time much less.

Target (issue 10): test accuracy >= TARGET_ACCURACY in <= TARGET_SECONDS of wall time.
``--epochs`` or ``--train-size`` change the recipe (a smoke test); the TARGET line then says so.

Writes ``results/bench/fashion_bench.json``: the measurements, the target line, and the training
command's own results (settings, per-epoch history).
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from training.data import FASHION_MNIST_DIR, DatasetNotFoundError, fashion_mnist_files

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "results" / "bench" / "fashion_bench.json"
TARGET_ACCURACY = 0.90
TARGET_SECONDS = 300.0
# The child's BLAS and OpenMP pools: one thread from the moment NumPy loads.
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def child_cpu_seconds():
    """User + system CPU seconds of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_training(command, out_dir):
    """Run ``command`` (the training command, writing into ``out_dir``) and time it.

    Returns:
        (wall seconds, child CPU seconds, the command's results dict).

    Raises:
        SystemExit: the command failed; its error output is shown.
    """
    cpu_start, start = child_cpu_seconds(), time.perf_counter()
    # stdout (one line per epoch) goes to the terminal; stderr holds the progress bar and errors.
    done = subprocess.run(
        command,
        cwd=REPO,
        env={**os.environ, **ONE_THREAD},
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall_seconds = time.perf_counter() - start
    cpu_seconds = child_cpu_seconds() - cpu_start
    if done.returncode != 0:
        last_lines = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise SystemExit(f"fashion_bench: {' '.join(command)} failed:\n{last_lines}")
    (results_file,) = Path(out_dir).glob("fashion-mnist-cnn*.json")
    return wall_seconds, cpu_seconds, json.loads(results_file.read_text())


def target_line(wall_seconds, accuracy, recipe_changes):
    reached = accuracy >= TARGET_ACCURACY and wall_seconds <= TARGET_SECONDS
    line = (
        f"TARGET Fashion-MNIST >= {TARGET_ACCURACY:.2f} test accuracy in <= "
        f"{TARGET_SECONDS:.0f} s: {wall_seconds:.1f} s, acc {accuracy:.4f} "
        f"{'PASS' if reached else 'MISS'}"
    )
    if recipe_changes:
        line += f" (recipe changed by {' '.join(recipe_changes)}: not the target's run)"
    return line


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=FASHION_MNIST_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    parser.add_argument("--epochs", type=int, help="change the recipe (smoke test)")
    parser.add_argument("--train-size", type=int, help="change the recipe (smoke test)")
    args = parser.parse_args(argv)
    try:
        fashion_mnist_files(args.data_dir)  # fail now, not after the child has started
    except DatasetNotFoundError as error:
        raise SystemExit(f"fashion_bench: {error}") from None

    recipe_changes = []  # training options that change the recipe, as command-line words
    for option, value in (("--epochs", args.epochs), ("--train-size", args.train_size)):
        if value is not None:
            recipe_changes += [option, str(value)]
    load_average_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="fashion_bench-") as out_dir:
        command = [
            sys.executable, "-m", "training", "--dataset", "fashion-mnist", "--model", "cnn",
            "--threads", "1", "--data-dir", str(args.data_dir), "--out", out_dir,
            *recipe_changes,
        ]  # fmt: skip
        wall_seconds, cpu_seconds, run = run_training(command, out_dir)
    load_average_end = os.getloadavg()
    accuracy = run["test_accuracy"]
    target = target_line(wall_seconds, accuracy, recipe_changes)

    result = {
        "command": " ".join(["python", *command[1:]]),
        "wall_time_s": round(wall_seconds, 2),
        "child_cpu_time_s": round(cpu_seconds, 2),
        "training_wall_time_s": run["wall_time_s"],  # the command's own clock: epochs only
        "test_accuracy": accuracy,
        "target_accuracy": TARGET_ACCURACY,
        "target_seconds": TARGET_SECONDS,
        "recipe_changes": recipe_changes,
        "target": target,
        "processor": platform.processor() or platform.machine(),
        "logical_cpus": os.cpu_count(),
        "load_average_at_start": [round(value, 2) for value in load_average_start],
        "load_average_at_end": [round(value, 2) for value in load_average_end],
        "training_run": run,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"python -m training --dataset fashion-mnist --model cnn: test accuracy {accuracy:.4f}, "
        f"wall time {wall_seconds:.1f} s (CPU time {cpu_seconds:.1f} s, "
        f"{run['images_per_s']:.0f} training images/s) -> {args.out}"
    )
    print(target)
    print(
        f"load average (1, 5, 15 min) {result['load_average_at_start']} at the start, "
        f"{result['load_average_at_end']} at the end, on {os.cpu_count()} logical CPUs"
    )
    return result


if __name__ == "__main__":
    main()
