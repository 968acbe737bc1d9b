"""Time chapter 8's five ways of computing the same 2D convolution, single-threaded; save medians.

The methods live in ``solutions.fast.methods`` (stride 1, no padding, cross-correlation,
x (N, C, H, W), weight (O, C, KH, KW)): loops, pixel_loop, shift_accumulate, im2col, fft.
This script only times them.  Every method is checked against the reference ``solutions.conv2d``
before it is timed.  BLAS and the FFT run on one thread (threadpoolctl, ``workers=1``): the
course compares algorithms, not core counts.

Usage:
    python bench/conv_methods.py                  # full sweeps -> results/bench/conv_methods.json
    python bench/conv_methods.py --quick          # tiny sizes, a smoke test (a few seconds)
    python bench/conv_methods.py --out /tmp/conv_methods.json
"""

import argparse
import datetime
import json
import os
import platform
import tracemalloc
from pathlib import Path

import numpy as np
import scipy
from threadpoolctl import threadpool_info, threadpool_limits

from solutions import conv2d
from solutions.fast.methods import METHODS, median_times, multiply_adds

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "results" / "bench" / "conv_methods.json"
LOOPS_MAX_MULTIPLY_ADDS = 1_000_000
"""Pure-Python loops run only below this many multiply-adds (one or two seconds per call)."""


def sweeps(quick):
    """The shapes to time, as dicts with keys sweep, N, C, O, H, W, K."""
    if quick:
        return [dict(sweep="image size", N=2, C=4, O=4, H=h, W=h, K=3) for h in (6, 12)] + [
            dict(sweep="kernel size", N=1, C=4, O=4, H=16, W=16, K=k) for k in (3, 7)
        ]
    image = [dict(sweep="image size", N=8, C=16, O=16, H=h, W=h, K=3) for h in (8, 16, 32, 64, 128)]
    kernel = [
        dict(sweep="kernel size", N=4, C=16, O=16, H=64, W=64, K=k) for k in (1, 3, 5, 7, 11, 15)
    ]
    channels = [dict(sweep="channels", N=4, C=c, O=c, H=32, W=32, K=3) for c in (1, 4, 16, 64, 128)]
    return image + kernel + channels


def peak_bytes(func, args):
    """Peak memory NumPy allocated during one call (tracemalloc sees NumPy's buffers)."""
    tracemalloc.start()
    func(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def run_shape(shape, rng, repeats, budget_s, methods=METHODS):
    """Check every method against solutions.conv2d on ``shape``, then time them. List of dicts."""
    x = rng.standard_normal((shape["N"], shape["C"], shape["H"], shape["W"]), dtype=np.float32)
    weight = rng.standard_normal((shape["O"], shape["C"], shape["K"], shape["K"]), dtype=np.float32)
    expected = conv2d(x, weight)
    macs = multiply_adds(shape)
    timed = {
        name: func
        for name, func in methods.items()
        if name != "loops" or macs <= LOOPS_MAX_MULTIPLY_ADDS
    }
    scale = np.abs(expected).max()
    for name, func in timed.items():
        got = func(x, weight)
        if got.shape != expected.shape or not np.allclose(
            got, expected, rtol=1e-4, atol=1e-4 * scale
        ):
            raise AssertionError(f"{name} disagrees with solutions.conv2d on {shape}")
    records = []
    for name, (seconds, count) in median_times(timed, (x, weight), repeats, budget_s).items():
        records.append(
            {
                **shape,
                "method": name,
                "median_s": seconds,
                "repeats": count,
                "multiply_adds": macs,
                "gflops": 2 * macs / seconds / 1e9,
                "peak_bytes": peak_bytes(timed[name], (x, weight)),
                "input_bytes": x.nbytes,
                "output_bytes": expected.nbytes,
                "im2col_bytes": macs // shape["O"] * x.itemsize,
            }
        )
    return records


def machine_info():
    """Where and when the numbers were measured (the machine may be shared: see load average)."""
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "processor": platform.processor() or platform.machine(),
        "logical_cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "blas": [
            {k: info.get(k) for k in ("internal_api", "version", "architecture")}
            for info in threadpool_info()
            if info.get("user_api") == "blas"
        ],
        "threads": 1,
        "load_average": os.getloadavg(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a smoke test")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    parser.add_argument("--repeats", type=int, default=15, help="timed calls per method (max)")
    parser.add_argument(
        "--budget-s", type=float, default=None, help="seconds per shape, then stop (min 3 calls)"
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    budget_s = args.budget_s or (0.5 if args.quick else 6.0)
    command = "python bench/conv_methods.py" + (" --quick" if args.quick else "")
    info = machine_info()
    records = []
    with threadpool_limits(limits=1):
        for shape in sweeps(args.quick):
            new = run_shape(shape, rng, args.repeats, budget_s)
            records.extend(new)
            summary = ", ".join(f"{r['method']} {r['median_s'] * 1e3:.2f} ms" for r in new)
            print(
                f"{shape['sweep']:>11} N{shape['N']} C{shape['C']} O{shape['O']} "
                f"{shape['H']}x{shape['W']} K{shape['K']}: {summary}",
                flush=True,
            )
    info["load_average_end"] = os.getloadavg()
    result = {
        "command": command,
        "dtype": "float32",
        "note": "stride 1, no padding; one thread; methods called in turn within each repeat, "
        "median per method; the machine was shared with other jobs, so compare methods within "
        "a row rather than across runs",
        "machine": info,
        "records": records,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
