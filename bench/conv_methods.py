"""Time five ways of computing the same 2D convolution, single-threaded, and save the medians.

Methods (stride 1, no padding, cross-correlation, x (N, C, H, W), weight (O, C, KH, KW)):

    loops             seven nested Python loops, one multiply-add per step (smallest sizes only)
    pixel_loop        a Python loop over output positions; each step one small tensordot
    shift_accumulate  KH * KW steps; each adds a shifted input slice times one weight slice
    im2col            the reference solutions.conv2d: copy every window once, then one GEMM
    fft               convolution theorem: pointwise products of spectra, summed over channels

Every other method is checked against ``solutions.conv2d`` before it is timed.  BLAS and the FFT
run on one thread (threadpoolctl, ``workers=1``): the course compares algorithms, not core counts.

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
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np
import scipy.fft
from threadpoolctl import threadpool_info, threadpool_limits

from solutions import conv2d

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "results" / "bench" / "conv_methods.json"
LOOPS_MAX_MULTIPLY_ADDS = 1_000_000
"""Pure-Python loops run only below this many multiply-adds (one or two seconds per call)."""


def valid_output_shape(x, weight):
    """(N, O, H_out, W_out) of the stride-1, unpadded convolution of x (N, C, H, W) by weight."""
    (n_size, _, height, width), (out_channels, _, kh, kw) = x.shape, weight.shape
    return n_size, out_channels, height - kh + 1, width - kw + 1


def conv2d_loops(x, weight):
    """Direct definition, one Python multiply-add per step: (N,C,H,W),(O,C,KH,KW)->(N,O,Ho,Wo)."""
    n_size, out_channels, h_out, w_out = valid_output_shape(x, weight)
    channels, kh, kw = weight.shape[1:]
    out = np.zeros((n_size, out_channels, h_out, w_out), dtype=x.dtype)
    for n in range(n_size):
        for o in range(out_channels):
            for i in range(h_out):
                for j in range(w_out):
                    total = 0.0
                    for c in range(channels):
                        for m in range(kh):
                            for k in range(kw):
                                total += weight[o, c, m, k] * x[n, c, i + m, j + k]
                    out[n, o, i, j] = total
    return out


def conv2d_pixel_loop(x, weight):
    """One tensordot per output position: H_out * W_out small (N, C*KH*KW) @ (C*KH*KW, O)."""
    out = np.empty(valid_output_shape(x, weight), dtype=x.dtype)
    _, _, h_out, w_out = out.shape
    kh, kw = weight.shape[2:]
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, :, i : i + kh, j : j + kw]
            out[:, :, i, j] = np.tensordot(window, weight, axes=([1, 2, 3], [1, 2, 3]))
    return out


def conv2d_shift_accumulate(x, weight):
    """Sum over kernel offsets (m, k) of weight[:, :, m, k] times the input shifted by (m, k).

    KH * KW GEMMs of (O, C) @ (C, N * H_out * W_out); no unrolled matrix is ever built.
    """
    _, _, h_out, w_out = valid_output_shape(x, weight)
    kh, kw = weight.shape[2:]
    out = 0
    for m in range(kh):
        for k in range(kw):
            shifted = x[:, :, m : m + h_out, k : k + w_out]
            out = out + np.tensordot(weight[:, :, m, k], shifted, axes=([1], [1]))
    return np.ascontiguousarray(out.transpose(1, 0, 2, 3))  # (O, N, ...) -> (N, O, ...)


def conv2d_im2col(x, weight):
    """The reference ``solutions.conv2d``: one im2col copy, then one matrix multiply.

    It unrolls into the transposed layout (C*KH*KW, N*H_out*W_out), which needs one copy per
    kernel tap; the teaching layout of ``unroll_2d`` (rows per position) costs one more transpose.
    """
    return conv2d(x, weight)


def conv2d_fft(x, weight):
    """Cross-correlation by the convolution theorem, on an FFT grid of at least (H, W).

    With the kernel zero-padded to the grid, the circular cross-correlation
    ``sum_{m,k} x[(i+m) mod H, (j+k) mod W] w[m, k]`` has spectrum ``X * conj(W)`` (real w), and
    for i <= H - KH, j <= W - KW no index wraps: the top-left (H_out, W_out) block is the valid
    convolution.  The sum over channels is a batched matrix product per frequency.
    """
    n_size, channels, height, width = x.shape
    out_channels = weight.shape[0]
    grid = (scipy.fft.next_fast_len(height, real=True), scipy.fft.next_fast_len(width, real=True))
    x_spectrum = scipy.fft.rfft2(x, s=grid, workers=1)  # (N, C, FH, FW)
    w_spectrum = np.conj(scipy.fft.rfft2(weight, s=grid, workers=1))  # (O, C, FH, FW)
    freq = x_spectrum.shape[2:]
    # (F, N, C) @ (F, C, O) -> (F, N, O): one small GEMM per frequency, summing over channels.
    x_by_freq = x_spectrum.reshape(n_size, channels, -1).transpose(2, 0, 1)
    w_by_freq = w_spectrum.reshape(out_channels, channels, -1).transpose(2, 1, 0)
    y_spectrum = (x_by_freq @ w_by_freq).transpose(1, 2, 0).reshape(n_size, out_channels, *freq)
    y = scipy.fft.irfft2(y_spectrum, s=grid, workers=1)
    _, _, h_out, w_out = valid_output_shape(x, weight)
    return y[:, :, :h_out, :w_out].astype(x.dtype)


METHODS = {
    "loops": conv2d_loops,
    "pixel_loop": conv2d_pixel_loop,
    "shift_accumulate": conv2d_shift_accumulate,
    "im2col": conv2d_im2col,
    "fft": conv2d_fft,
}


def multiply_adds(shape):
    """N * O * C * KH * KW * H_out * W_out for a shape dict (a FLOP count is twice this)."""
    h_out, w_out = shape["H"] - shape["K"] + 1, shape["W"] - shape["K"] + 1
    return shape["N"] * shape["O"] * shape["C"] * shape["K"] ** 2 * h_out * w_out


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


def median_times(funcs, args, repeats, budget_s):
    """Median wall time of each ``func(*args)``, the functions called in turn within each repeat.

    Interleaving means a burst of load from other jobs on a shared machine slows every method of
    that repeat, not just one, and the median then discards it.

    Args:
        funcs: dict name -> function.
        repeats: at most this many rounds; fewer (but at least 3) once ``budget_s`` is spent.

    Returns:
        dict name -> (median seconds, number of timed calls).
    """
    times = {name: [] for name in funcs}
    start = time.perf_counter()
    for round_number in range(1, repeats + 1):
        for name, func in funcs.items():
            t0 = time.perf_counter()
            func(*args)
            times[name].append(time.perf_counter() - t0)
        if round_number >= 3 and time.perf_counter() - start > budget_s:
            break
    return {name: (statistics.median(t), len(t)) for name, t in times.items()}


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
