"""The fast engine's channels-last convolution: one strided copy per chunk feeds each GEMM.

``solutions.fast.conv`` sends a convolution here when ``channels_last_wins`` says so, and to
``solutions.fast.im2col`` otherwise; both equal the reference (``tests/solutions/
test_fast_engine.py``).  No argument checks: the caller validated them.

The layout.  Inside this module activations are channels-last: x (N, C, H, W) is copied once into
a zero-padded buffer ``padded`` (N, H_pad, W_pad, C).  Its windows are then a strided view
(``as_strided``, no copy) of shape (N, H_out, W_out, KH, KW, C), and for a chunk of samples one
copy of that view is the unrolled matrix ``cols`` (chunk * H_out * W_out, KH * KW * C): rows are
output positions, columns the taps in the order (KH, KW, C).  With ``kernel_matrix`` the weight
reshaped to (KH * KW * C, O) in that order:

    forward       out          = cols @ kernel_matrix                       (positions, O)
    weight grad   grad_weight  = cols.T @ grad_out_rows                     (KH * KW * C, O)
    input grad    grad_x       = a forward convolution of grad_out, padded by
                                 dilation * (K - 1) - padding, with the flipped kernel whose in and
                                 out channels are swapped (the transposed convolution, chapter 5)

so every product is one GEMM per chunk and there is no col2im.

Why it can beat ``im2col``'s channels-first columns.  A copy of a strided view costs a fixed time
per contiguous run.  Channels-first columns copy runs of W_out cells (one output row of one tap
and channel); channels-last columns copy runs of KW * C cells (one kernel row, every channel).  It
pays for two layout changes (x in, the output back to channels-first), which cost in proportion
to the arrays, and its input-gradient GEMM has only C columns.  Measured (1 thread, CPU time,
alternating with ``im2col`` and PyTorch in one run, load average 0.5 to 2 on 2 CPUs):

- the Fashion-MNIST CNN's second layer, 64 x 16 x 14 x 14 * 32 x 16 x 5 x 5, padding 2
  (KW * C = 80 cells per run against W_out = 14): forward + backward 17.1 ms instead of 23.2 in
  float32 (forward 5.4 instead of 7.3), 34.8 ms instead of 47.8 in float64; the training step
  of that CNN 0.81 times its time with ``im2col`` alone;
- 64 x 32 x 28 x 28 * 64 x 32 x 3 x 3, padding 1 (96 against 28): 10 to 25% slower, forward
  and backward, both dtypes (putting the float32 output back to channels-first alone took 9.8 ms
  of its 31 ms forward);
- the first layer, 1 input channel (5 against 28): 1.5 to 1.7 times slower.

Hence ``channels_last_wins``: runs at least ``RUN_RATIO`` times longer than ``im2col``'s.

Tried and dropped: Winograd F(2x2, 3x3) on the 3 x 3 shape above, written with NumPy slices
(2.25 times fewer multiplies): its forward took 66 ms against 25 for ``im2col``, because the
input and output transforms are ten passes over arrays larger than the input, each slower than
the multiplies they save.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

# Bytes of columns per chunk of samples: the chunk's columns stay in a core's L2 cache while the
# GEMM reads them (the same budget as ``im2col.CHUNK_BYTES``; 4 MiB measured slower).
CHUNK_BYTES = 2**20

# Use this module when its copies run at least this many times longer than im2col's (measured
# wins at 80 / 14 = 5.7, losses at 96 / 28 = 3.4 and below; see the module docstring).
RUN_RATIO = 4


def channels_last_wins(x, weight, stride, padding, dilation, out_width):
    """True where this module measured faster than ``im2col`` (see the module docstring).

    The transposed convolution of the input gradient needs stride 1 and padding at most
    dilation * (K - 1) on both axes; mixed or integer dtypes go to ``im2col``.
    """
    kernel = weight.shape[2:]
    return (
        x.dtype == weight.dtype
        and np.issubdtype(x.dtype, np.floating)
        and tuple(stride) == (1, 1)
        and all(p <= d * (k - 1) for p, d, k in zip(padding, dilation, kernel, strict=True))
        and kernel[1] * x.shape[1] >= RUN_RATIO * out_width
    )


def _padded(x, padding):
    """(N, C, H, W) -> zeros (N, H + 2 * p_h, W + 2 * p_w, C) holding x in the middle."""
    n, channels, height, width = x.shape
    ph, pw = padding
    padded = np.zeros((n, height + 2 * ph, width + 2 * pw, channels), dtype=x.dtype)
    padded[:, ph : ph + height, pw : pw + width] = x.transpose(0, 2, 3, 1)
    return padded


def _windows(padded, kernel_shape, dilation, out_shape):
    """Read-only view (N, H_out, W_out, KH, KW, C) of every window of ``padded`` (stride 1)."""
    n, _, _, channels = padded.shape
    step_n, step_h, step_w, step_c = padded.strides
    return as_strided(
        padded,
        (n, *out_shape, *kernel_shape, channels),
        (step_n, step_h, step_w, dilation[0] * step_h, dilation[1] * step_w, step_c),
        writeable=False,
    )


def _chunked_products(windows, right):
    """``unroll(windows) @ right``, chunk by chunk of samples.

    Args:
        windows: (N, H_out, W_out, KH, KW, C) view; right: (KH * KW * C, O).

    Returns:
        (N * H_out * W_out, O).
    """
    n, height, width = windows.shape[:3]
    positions, depth = height * width, right.shape[0]
    size = max(1, CHUNK_BYTES // (positions * depth * windows.itemsize))
    cols = np.empty((min(n, size), *windows.shape[1:]), dtype=windows.dtype)
    out = np.empty((n * positions, right.shape[1]), dtype=windows.dtype)
    for start in range(0, n, size):
        stop = min(n, start + size)
        chunk = cols[: stop - start]
        np.copyto(chunk, windows[start:stop])
        np.matmul(chunk.reshape(-1, depth), right, out=out[start * positions : stop * positions])
    return out


def _channels_first(rows, n, out_shape, bias=None, dtype=None):
    """(N * H_out * W_out, O) rows -> contiguous (N, O, H_out, W_out), plus bias if given."""
    channels = rows.shape[1]
    images = rows.reshape(n, *out_shape, channels).transpose(0, 3, 1, 2)
    out = np.empty((n, channels, *out_shape), dtype=dtype or rows.dtype)
    if bias is None:
        np.copyto(out, images)
    else:  # the bias is added while the layout changes: one pass over the output
        np.add(images, bias[:, None, None], out=out)
    return out


def correlate(x, weight, bias, padding, dilation, out_shape):
    """Forward convolution, stride 1: ``solutions.fast.im2col.correlate``'s result.

    Args:
        x: (N, C, H, W); weight: (O, C, KH, KW) of x's dtype; bias: (O,) or None.
        out_shape: (H_out, W_out).

    Returns:
        (N, O, H_out, W_out).
    """
    out_channels = weight.shape[0]
    windows = _windows(_padded(x, padding), weight.shape[2:], dilation, out_shape)
    kernel_matrix = weight.transpose(2, 3, 1, 0).reshape(-1, out_channels)
    rows = _chunked_products(windows, kernel_matrix)
    dtype = rows.dtype if bias is None else np.result_type(rows, bias)
    return _channels_first(rows, x.shape[0], out_shape, bias, dtype)


def correlate_backward(grad_out, x, weight, padding, dilation, need_input_grad=True):
    """Gradients of ``correlate`` w.r.t. x, weight and bias (stride 1).

    Args:
        grad_out: (N, O, H_out, W_out); x: (N, C, H, W); weight: (O, C, KH, KW), one dtype.
        need_input_grad: False skips grad_x (returned as None): no transposed convolution.

    Returns:
        grad_x (N, C, H, W) or None, grad_weight (O, C, KH, KW), grad_bias (O,).
    """
    n, channels, height, width = x.shape
    out_channels, _, kh_size, kw_size = weight.shape
    out_shape = grad_out.shape[2:]
    kernel_shape = (kh_size, kw_size)
    # grad_out is made channels-last once, already padded for the transposed convolution below
    # (by dilation * (K - 1) - padding); its middle is grad_rows.
    grad_padding = [
        d * (k - 1) - p if need_input_grad else 0
        for p, d, k in zip(padding, dilation, kernel_shape, strict=True)
    ]
    grad_padded = _padded(grad_out, grad_padding)  # (N, H_out + 2 q_h, W_out + 2 q_w, O)
    (qh, qw), (h_out, w_out) = grad_padding, out_shape
    grad_rows = np.ascontiguousarray(grad_padded[:, qh : qh + h_out, qw : qw + w_out])

    # grad_weight = cols.T @ grad_rows, accumulated over the chunks of samples.
    windows = _windows(_padded(x, padding), kernel_shape, dilation, out_shape)
    positions, depth = h_out * w_out, kh_size * kw_size * channels
    size = max(1, CHUNK_BYTES // (positions * depth * x.itemsize))
    cols = np.empty((min(n, size), *windows.shape[1:]), dtype=x.dtype)
    grad_kernel = np.zeros((depth, out_channels), dtype=x.dtype)
    for start in range(0, n, size):
        chunk = cols[: min(n, start + size) - start]
        np.copyto(chunk, windows[start : start + len(chunk)])
        chunk_rows = grad_rows[start : start + len(chunk)].reshape(-1, out_channels)
        grad_kernel += chunk.reshape(-1, depth).T @ chunk_rows
    grad_weight = grad_kernel.reshape(kh_size, kw_size, channels, out_channels)

    # grad_x: the transposed convolution, a stride-1 correlation of the padded grad_out with the
    # flipped kernel, in and out channels swapped.
    grad_x = None
    if need_input_grad:
        grad_windows = _windows(grad_padded, kernel_shape, dilation, (height, width))
        flipped = weight[:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(-1, channels)
        grad_x = _channels_first(_chunked_products(grad_windows, flipped), n, (height, width))
    return (
        grad_x,
        np.ascontiguousarray(grad_weight.transpose(3, 2, 0, 1)),
        grad_out.sum(axis=(0, 2, 3)),
    )
