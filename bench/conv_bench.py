"""Benchmark the fast engine's convolution (solutions.fast conv1d / conv2d) against BLAS and torch.

Single-threaded on purpose (threadpoolctl limits BLAS to one thread, and PyTorch too when it is
installed): the course compares algorithms, not core counts, and the machine is shared.

For every shape, dtype and direction ("forward", "forward+backward") it reports the median wall
time and the median CPU time of this process over ``--repeats`` runs, the useful GFLOP/s
(2 * multiply-adds of the convolution; the backward counts two more GEMMs of the forward's size),
the percentage of the machine's GEMM speed measured in the same run on the first shape's forward
matrix multiply done by BLAS alone (and on a square 1024 GEMM, the target's peak), and the ratio to
``torch.nn.functional.conv2d`` / ``conv1d`` (forward, and forward+backward through autograd) when
PyTorch is importable.  PyTorch is optional: without it the torch columns are null.

Our code and PyTorch run alternately inside each repeat, so both see the same machine load; the
ratios are the numbers to trust on a busy machine (the CPU-time ratio varies least with the other
users' load).  The targets (issue 10) are printed at the end, with the load average.

Usage:
    python bench/conv_bench.py                 # full run, writes results/bench/conv_bench.json
    python bench/conv_bench.py --quick         # tiny shapes, a smoke test (seconds)
    python bench/conv_bench.py --repeats 21 --out /tmp/bench.json
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import time
from functools import partial
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from solutions.fast import conv1d, conv1d_backward, conv2d, conv2d_backward

try:  # optional: only for the comparison columns
    import torch
    import torch.nn.functional as torch_functional
except ImportError:  # pragma: no cover - depends on the environment
    torch = None

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "results" / "bench" / "conv_bench.json"

# label, x shape, weight shape, stride, padding
SHAPES = [
    ("2d 64x32x28x28 * 64x32x3x3 pad 1", (64, 32, 28, 28), (64, 32, 3, 3), 1, 1),
    # The second convolution of the Fashion-MNIST CNN, which dominates its training step.
    ("2d 64x16x14x14 * 32x16x5x5 pad 2", (64, 16, 14, 14), (32, 16, 5, 5), 1, 2),
    ("2d 32x3x32x32 * 16x3x5x5", (32, 3, 32, 32), (16, 3, 5, 5), 1, 0),
    ("2d 64x64x14x14 * 128x64x3x3 stride 2 pad 1", (64, 64, 14, 14), (128, 64, 3, 3), 2, 1),
    ("1d 64x16x1000 * 32x16x9 pad 4", (64, 16, 1000), (32, 16, 9), 1, 4),
]
QUICK_SHAPES = [
    ("2d 4x3x12x12 * 5x3x3x3 pad 1", (4, 3, 12, 12), (5, 3, 3, 3), 1, 1),
    ("2d 4x3x12x12 * 5x3x3x3 stride 2 pad 1", (4, 3, 12, 12), (5, 3, 3, 3), 2, 1),
    ("1d 4x3x50 * 5x3x5 pad 2", (4, 3, 50), (5, 3, 5), 1, 2),
]
DTYPES = (np.float32, np.float64)

SQUARE_GEMM_SIZE = 1024
SQUARE_GEMM = f"square GEMM {SQUARE_GEMM_SIZE}"
TARGET_FORWARD_PERCENT = 70.0  # forward float32 >= 70% of the square GEMM's speed
TARGET_RATIO_FLOAT32 = 0.8  # forward+backward float32 <= 0.8 x torch
TARGET_RATIO_FLOAT64 = 0.5  # forward+backward float64 <= 0.5 x torch


def forward_flops(x_shape, weight_shape, out_shape):
    """2 * multiply-adds of the forward: every output cell is a C * K-long dot product."""
    return 2 * int(np.prod(out_shape)) * int(np.prod(weight_shape[1:]))


def median_times(functions, repeats):
    """Run each function once per round (round-robin, after one warm-up).

    Returns:
        (wall, cpu): dicts name -> median seconds of wall-clock time and of this process's CPU
        time (``time.process_time``).
    """
    for function in functions.values():
        function()
    wall = {name: [] for name in functions}
    cpu = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            function()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return (
        {name: statistics.median(values) for name, values in wall.items()},
        {name: statistics.median(values) for name, values in cpu.items()},
    )


def gemm_ways(shape, dtype, rng):
    """Closures doing the first shape's forward matrix multiply with BLAS alone, and its flops.

    The multiply is (O, C*KH*KW) @ (C*KH*KW, N*H_out*W_out).  Three ways: one call in each
    operand orientation, and one call per sample as the reference does (operands stay in cache).
    The fastest median is the "GEMM peak".  They are timed in the same round-robin as the first
    shape's convolutions, so a change of machine load hits both alike.
    """
    _, x_shape, weight_shape, _, _ = shape
    rows, inner = weight_shape[0], int(np.prod(weight_shape[1:]))
    n, per_sample = x_shape[0], int(np.prod(x_shape[2:]))
    a = rng.standard_normal((rows, inner)).astype(dtype)
    b = rng.standard_normal((inner, n * per_sample)).astype(dtype)
    b_t, a_t = np.ascontiguousarray(b.T), np.ascontiguousarray(a.T)
    samples = [np.ascontiguousarray(part) for part in np.split(b, n, axis=1)]
    ways = {
        "GEMM one call a @ b": partial(np.matmul, a, b),
        "GEMM one call b.T @ a.T": partial(np.matmul, b_t, a_t),
        "GEMM one call per sample": lambda: [a @ part for part in samples],
    }
    # A square product, the usual "machine peak", reported beside it (it is not the target's
    # reference: the convolution's own product is short and wide, which BLAS runs slower).
    square = rng.standard_normal((SQUARE_GEMM_SIZE, SQUARE_GEMM_SIZE)).astype(dtype)
    ways[SQUARE_GEMM] = partial(np.matmul, square, square)
    description = f"({rows} x {inner}) @ ({inner} x {n * per_sample})"
    return ways, 2 * rows * inner * n * per_sample, description


def gemm_peak(medians, flops, description):
    """The peak record from the medians of the ``gemm_ways`` closures."""
    times = {name: t for name, t in medians.items() if name.startswith("GEMM ")}
    fastest = min(times, key=times.get)
    square_gflops = 2 * SQUARE_GEMM_SIZE**3 / medians[SQUARE_GEMM] / 1e9
    return {
        "shape": description,
        "way": fastest.removeprefix("GEMM "),
        "median_s": times[fastest],
        "gflops": flops / times[fastest] / 1e9,
        "gflops_by_way": {name.removeprefix("GEMM "): flops / t / 1e9 for name, t in times.items()},
        "square_gflops": square_gflops,
    }


def ours_and_torch(x, weight, bias, grad_out, stride, padding):
    """Closures timing our forward, forward+backward, and PyTorch's when available."""
    if x.ndim == 3:
        forward, backward = conv1d, conv1d_backward
    else:
        forward, backward = conv2d, conv2d_backward

    def ours_forward():
        return forward(x, weight, bias, stride, padding)

    def ours_forward_backward():
        forward(x, weight, bias, stride, padding)
        return backward(grad_out, x, weight, stride, padding)

    functions = {"forward": ours_forward, "forward+backward": ours_forward_backward}
    if torch is None:
        return functions
    torch_conv = torch_functional.conv1d if x.ndim == 3 else torch_functional.conv2d
    tensors = [torch.from_numpy(a.copy()) for a in (x, weight, bias)]
    torch_grad_out = torch.from_numpy(grad_out.copy())
    leaves = [t.clone().requires_grad_(True) for t in tensors]

    def torch_forward():
        with torch.no_grad():
            return torch_conv(*tensors, stride=stride, padding=padding)

    def torch_forward_backward():
        for leaf in leaves:
            leaf.grad = None  # no accumulation: same work as our backward
        torch_conv(*leaves, stride=stride, padding=padding).backward(torch_grad_out)

    functions["torch forward"] = torch_forward
    functions["torch forward+backward"] = torch_forward_backward
    return functions


def benchmark_shape(shape, dtype, repeats, peaks, rng, measure_peak):
    """Records (one per direction) for one shape and dtype; fills ``peaks`` if measure_peak."""
    label, x_shape, weight_shape, stride, padding = shape
    x = rng.standard_normal(x_shape).astype(dtype)
    weight = rng.standard_normal(weight_shape).astype(dtype)
    bias = rng.standard_normal(weight_shape[0]).astype(dtype)
    forward = conv1d if len(x_shape) == 3 else conv2d
    grad_out = rng.standard_normal(forward(x, weight, bias, stride, padding).shape).astype(dtype)
    flops = forward_flops(x_shape, weight_shape, grad_out.shape)
    functions = ours_and_torch(x, weight, bias, grad_out, stride, padding)
    if measure_peak:
        ways, gemm_flops, description = gemm_ways(shape, dtype, rng)
        functions.update(ways)
    medians, cpu_medians = median_times(functions, repeats)
    if measure_peak:
        peaks[np.dtype(dtype).name] = gemm_peak(medians, gemm_flops, description)
    peak = peaks[np.dtype(dtype).name]["gflops"]
    records = []
    for direction, work in (("forward", flops), ("forward+backward", 3 * flops)):
        torch_median = medians.get(f"torch {direction}")
        torch_cpu = cpu_medians.get(f"torch {direction}")
        gflops = work / medians[direction] / 1e9
        records.append(
            {
                "shape": label,
                "dtype": np.dtype(dtype).name,
                "direction": direction,
                "median_s": medians[direction],
                "gflops": gflops,
                "percent_of_gemm_peak": 100 * gflops / peak,
                "torch_median_s": torch_median,
                "ratio_to_torch": None
                if torch_median is None
                else medians[direction] / torch_median,
                "cpu_s": cpu_medians[direction],
                "torch_cpu_s": torch_cpu,
                "cpu_ratio_to_torch": None
                if torch_cpu is None
                else cpu_medians[direction] / torch_cpu,
            }
        )
    return records


def machine_info():
    """What ran the benchmark: CPU, BLAS, library versions, load."""
    model = platform.processor()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line)
    except (OSError, StopIteration):
        pass
    blas = [
        {key: info.get(key) for key in ("internal_api", "version", "architecture")}
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    ]
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu": model,
        "logical_cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "torch": None if torch is None else torch.__version__,
        "threads": 1,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "load_average_start": os.getloadavg(),
    }


def print_table(records, peaks):
    for name, peak in peaks.items():
        print(
            f"GEMM peak {name}: {peak['gflops']:.1f} GFLOP/s on {peak['shape']} ({peak['way']}); "
            f"{SQUARE_GEMM}: {peak['square_gflops']:.1f} GFLOP/s"
        )
    header = (
        f"{'shape':<45} {'dtype':<8} {'direction':<17} {'ms':>8} {'GFLOP/s':>8} "
        f"{'%peak':>6} {'torch ms':>9} {'ratio':>6} {'cpu ratio':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in records:
        torch_ms = "-" if r["torch_median_s"] is None else f"{1e3 * r['torch_median_s']:.1f}"
        ratio = "-" if r["ratio_to_torch"] is None else f"{r['ratio_to_torch']:.2f}"
        cpu_ratio = "-" if r["cpu_ratio_to_torch"] is None else f"{r['cpu_ratio_to_torch']:.2f}"
        print(
            f"{r['shape']:<45} {r['dtype']:<8} {r['direction']:<17} {1e3 * r['median_s']:>8.1f} "
            f"{r['gflops']:>8.1f} {r['percent_of_gemm_peak']:>6.0f} {torch_ms:>9} {ratio:>6} "
            f"{cpu_ratio:>9}"
        )


def target_lines(records, shape_label, square_gflops):
    """The three targets, measured on the first shape."""

    def find(dtype, direction):
        return next(
            r
            for r in records
            if r["shape"] == shape_label and r["dtype"] == dtype and r["direction"] == direction
        )

    def verdict(ok):
        return "PASS" if ok else "MISS"

    forward32 = find("float32", "forward")
    of_square = 100 * forward32["gflops"] / square_gflops
    lines = [
        f"TARGET forward float32 >= {TARGET_FORWARD_PERCENT:.0f}% of the {SQUARE_GEMM}: "
        f"{of_square:.0f}% {verdict(of_square >= TARGET_FORWARD_PERCENT)} "
        f"({forward32['gflops']:.1f} of {square_gflops:.1f} GFLOP/s; "
        f"{forward32['percent_of_gemm_peak']:.0f}% of the convolution's own product)"
    ]
    for dtype, limit in (("float32", TARGET_RATIO_FLOAT32), ("float64", TARGET_RATIO_FLOAT64)):
        record = find(dtype, "forward+backward")
        ratio, cpu_ratio = record["ratio_to_torch"], record["cpu_ratio_to_torch"]
        if ratio is None:
            measured = "torch not installed MISS"
        else:
            measured = f"{ratio:.2f}x {verdict(ratio <= limit)} (CPU time {cpu_ratio:.2f}x)"
        lines.append(f"TARGET forward+backward {dtype} <= {limit}x torch: {measured}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11, help="timed runs per case (median)")
    parser.add_argument("--quick", action="store_true", help="tiny shapes: a smoke test")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    args = parser.parse_args(argv)
    shapes = QUICK_SHAPES if args.quick else SHAPES
    repeats = 2 if args.quick and args.repeats == parser.get_default("repeats") else args.repeats
    rng = np.random.default_rng(0)
    info = machine_info()
    if torch is not None:
        torch.set_num_threads(1)
    records = []
    with threadpool_limits(limits=1):
        peaks = {}
        for index, shape in enumerate(shapes):
            for dtype in DTYPES:
                records.extend(benchmark_shape(shape, dtype, repeats, peaks, rng, index == 0))
    info["load_average_end"] = os.getloadavg()
    print_table(records, peaks)
    lines = target_lines(records, shapes[0][0], peaks["float32"]["square_gflops"])
    if args.quick:
        lines = [f"{line} (quick run: targets are defined on the full shapes)" for line in lines]
    print("\n".join(lines))
    print(
        f"load average (1, 5, 15 min) start {info['load_average_start']}, end "
        f"{info['load_average_end']} on {info['logical_cpus']} logical CPUs"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "repeats": repeats,
        "quick": args.quick,
        "machine": info,
        "gemm_peaks": peaks,
        "records": records,
        "targets": lines,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
