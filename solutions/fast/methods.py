"""Chapter 8: five ways to compute the same 2D convolution, as importable functions.

Every method takes x (N, C, H, W) and weight (O, C, KH, KW) and returns the stride-1, unpadded
cross-correlation (N, O, H_out, W_out), H_out = H - KH + 1 and W_out = W - KW + 1:

    loops             seven nested Python loops, one multiply-add per step (smallest sizes only)
    pixel_loop        a Python loop over output positions; each step one small tensordot
    shift_accumulate  KH * KW steps; each adds a shifted input slice times one weight slice
    im2col            the fast engine ``solutions.fast.conv2d``: copy every window once, one GEMM
    fft               convolution theorem: pointwise products of spectra, summed over channels

``bench/conv_methods.py`` times them (and checks each against ``solutions.conv2d`` first); the
book imports them from here, so the code that is measured and the code described are the same.
BLAS and the FFT are left to the caller's thread limits, except that the FFT runs with
``workers=1``: the course compares algorithms, not core counts.
"""

import statistics
import time

import numpy as np
import scipy.fft

from solutions.fast.conv import conv2d as fast_conv2d
from solutions.output_size import conv_output_size


def valid_output_shape(x, weight):
    """(N, O, H_out, W_out) of the stride-1, unpadded convolution of x (N, C, H, W) by weight."""
    (n_size, _, height, width), (out_channels, _, kh, kw) = x.shape, weight.shape
    return n_size, out_channels, conv_output_size(height, kh), conv_output_size(width, kw)


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
    """The fast engine's ``conv2d``: one im2col copy per kernel tap, then matrix multiplies.

    It unrolls into the transposed layout (KH*KW*C, N*H_out*W_out), which needs one slice copy per
    kernel tap; the teaching layout of ``unroll_2d`` (one row per position) is the same matrix,
    transposed and with its columns in the order (C, KH, KW).  Where it measured faster (many
    channels, narrow outputs: ``solutions.fast.channels_last``) the engine unrolls into that
    teaching orientation instead, columns in the order (KH, KW, C), with one strided copy per
    chunk of samples.
    """
    return fast_conv2d(x, weight)


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
"""Name -> method, in the order the chapter presents them (slowest idea first)."""


def multiply_adds(shape):
    """N * O * C * KH * KW * H_out * W_out for a shape dict with keys N, C, O, H, W, K.

    A FLOP count is twice this (one multiply and one add per step).
    """
    h_out = conv_output_size(shape["H"], shape["K"])
    w_out = conv_output_size(shape["W"], shape["K"])
    return shape["N"] * shape["O"] * shape["C"] * shape["K"] ** 2 * h_out * w_out


def median_times(funcs, args, repeats, budget_s):
    """Median wall time of each ``func(*args)``, the functions called in turn within each repeat.

    Interleaving means a burst of load from other jobs on a shared machine slows every method of
    that repeat, not just one, and the median then discards it.

    Args:
        funcs: dict name -> function.
        args: tuple of arguments passed to every function.
        repeats: at most this many rounds; fewer (but at least 3) once ``budget_s`` is spent.
        budget_s: seconds after which no new round starts.

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
