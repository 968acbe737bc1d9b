"""The fast engine's im2col: conv1d, conv2d and their gradients, optimised (no argument checks).

``solutions.fast.conv`` validates the arguments and then calls these functions; conv1d runs
through them with a height of 1.  The reference it must equal is ``solutions.conv2d`` (rows in
the teaching order (C, KH, KW), no chunks); this module trades that readability for speed.

Column layout.  ``im2col`` copies the input into a matrix ``cols`` with one row per kernel tap
and input channel, ordered (KH, KW, C), and one column per output position, ordered (N, H_out,
W_out).  With ``weight_matrix(weight)`` = the weight reshaped to (O, KH * KW * C) in the same
order:

    forward       out_matrix  = weight_matrix @ cols                       (O, N * positions)
    weight grad   grad_weight = grad_out_matrix @ cols.T                   (O, KH * KW * C)
    input grad    grad_cols   = weight_matrix.T @ grad_out_matrix, added back by col2im

Why this layout (measured, chapter 8): each kernel tap fills one contiguous block
``cols[kh, kw]`` with a single slice copy, the forward is one matrix multiply (what BLAS runs
closest to peak speed), and col2im is one slice-add per tap, several times faster than
``np.add.at`` on index arrays.

Two refinements, both measured on a 64 x 32 x 28 x 28 batch:

- Chunks of samples.  The batch is processed a few samples at a time so that each chunk's columns
  are still in the CPU cache when the matrix multiply reads them (``CHUNK_BYTES``).
- Flat images for stride 1, in the backward.  A NumPy add over a 2D slice pays a fixed cost per
  row, and a row of W_out cells is short.  With stride (1, 1), output (i, j) reads the padded
  input at (i + kh * d_h, j + kw * d_w); in the flattened padded image that is
  ``i * W_pad + j`` plus a per-tap offset.  So each image gets H_pad * W_pad columns (column
  ``i * W_pad + j`` is output (i, j), the others are junk) and every tap becomes one contiguous
  1D slice of the flattened padded batch.  The junk columns cost extra multiply-adds (15% for
  28 x 28 with padding 1); they are cropped from the output and set to zero in grad_out so that
  they add nothing to any gradient.  The forward does not use flat images: its copies into the
  columns are cheap even row by row, and it measured faster without the junk multiply-adds
  (about 15% faster on both 5 x 5, padding 2 layers of the Fashion-MNIST CNN, whose flat images
  are 31% and 65% junk; 2 to 4% on the 3 x 3, padding 1 shape above), whereas col2im's in-place
  adds are several times slower row by row than on one contiguous slice.

Two things that measured slower on the Fashion-MNIST CNN (1 thread, see ``bench/train_bench.py``):

- Keeping the forward's columns for the backward.  ``correlate_backward`` builds each chunk's
  columns again from x, which is small and still in cache, into a buffer that is also in cache;
  keeping them instead means writing the whole im2col matrix (33 MB for the second layer) to
  memory in the forward and reading it back in the backward, which cost more than it saved.
- Only H_out * W_pad columns per flat image (dropping the junk rows below the outputs).  It saves
  multiply-adds, but each tap's slice becomes 2D and col2im's in-place adds ran twice as slow.

Shapes: x (N, C, H, W), weight (O, C, KH, KW); ``stride``, ``padding``, ``dilation`` are pairs of
ints, already validated by the caller.
"""

from typing import NamedTuple

import numpy as np

from solutions.output_size import output_shape
from solutions.windows import tap_slices

# Aim for column chunks of about this size (bytes): one 28 x 28 sample of the benchmark, which
# keeps the chunk in a core's L2 cache.  Larger chunks measured slower, single-threaded.
CHUNK_BYTES = 2**20

# Forward products at most DIRECT_DEPTH deep (C * KH * KW) with at least DIRECT_POSITIONS output
# positions per sample write each sample's result straight into the output, instead of one
# product per chunk copied there.  Measured (float32, 784 positions): 0.78 times the time on the
# Fashion-MNIST CNN's first layer (depth 25), 0.85 on 32 x 3 x 32 x 32 * 16 x 3 x 5 x 5 (depth 75);
# slower at depth 144 (1000 positions) and at 64 positions (8 x 8 digits, 1.4 times).
DIRECT_DEPTH = 100
DIRECT_POSITIONS = 256


class ColumnLayout(NamedTuple):
    """Geometry of one convolution's column matrix."""

    kernel_shape: tuple  # (KH, KW)
    stride: tuple
    padding: tuple
    dilation: tuple
    out_shape: tuple  # (H_out, W_out)
    padded_shape: tuple  # (H_pad, W_pad)
    flat: bool  # flat images (stride 1) or one column per output position
    pitch: int  # columns per image: H_pad * W_pad if flat, else H_out * W_out


def column_layout(x_shape, kernel_shape, stride, padding, dilation, flat=None):
    """The layout for input ``x_shape``; ``flat`` defaults to True exactly for stride (1, 1)."""
    stride, padding, dilation = tuple(stride), tuple(padding), tuple(dilation)
    out_shape = output_shape(x_shape[2:], kernel_shape, stride, padding, dilation)
    padded_shape = (x_shape[2] + 2 * padding[0], x_shape[3] + 2 * padding[1])
    flat = stride == (1, 1) if flat is None else flat
    pitch = padded_shape[0] * padded_shape[1] if flat else out_shape[0] * out_shape[1]
    return ColumnLayout(
        tuple(kernel_shape), stride, padding, dilation, out_shape, padded_shape, flat, pitch
    )


def weight_matrix(weight):
    """(O, C, KH, KW) -> (O, KH * KW * C), rows in the column order of ``im2col``."""
    return weight.transpose(0, 2, 3, 1).reshape(weight.shape[0], -1)


def _tap_offset(kh, kw, layout):
    """Flat images: how far tap (kh, kw) reads from the cell of output (i, j); 0 otherwise."""
    if not layout.flat:
        return 0
    return kh * layout.dilation[0] * layout.padded_shape[1] + kw * layout.dilation[1]


def _padded_storage(n, channels, layout, dtype):
    """Zeros holding the padded batch, channels first: (storage, (C, N, H_pad, W_pad) view).

    With flat images the last tap's slice runs past the padded batch by its offset, so the 1D
    storage has that many extra cells.
    """
    h_pad, w_pad = layout.padded_shape
    size = channels * n * h_pad * w_pad
    kh_size, kw_size = layout.kernel_shape
    overhang = _tap_offset(kh_size - 1, kw_size - 1, layout)  # the last tap reads furthest
    storage = np.zeros(size + overhang, dtype=dtype)
    return storage, storage[:size].reshape(channels, n, h_pad, w_pad)


def _tap_views(storage, padded, layout):
    """Yield (kh, kw, view): the padded cells tap (kh, kw) reads for every output position.

    The view is (C, N * H_pad * W_pad) with flat images (a contiguous slice of ``storage``), else
    (C, N, H_out, W_out) (a strided slice of ``padded``).
    """
    kh_size, kw_size = layout.kernel_shape
    channels, n = padded.shape[:2]
    length = channels * n * layout.pitch
    for kh in range(kh_size):
        for kw in range(kw_size):
            if layout.flat:
                start = _tap_offset(kh, kw, layout)
                yield kh, kw, storage[start : start + length].reshape(channels, -1)
            else:
                rows, columns = tap_slices(kh, kw, layout.out_shape, layout.stride, layout.dilation)
                yield kh, kw, padded[:, :, rows, columns]


def im2col(x, layout):
    """Unroll every receptive field of ``x`` into one column.

    Args:
        x: (N, C, H, W) input.
        layout: from ``column_layout(x.shape, ...)``.

    Returns:
        (KH * KW * C, N * layout.pitch) array of x's dtype.
    """
    n, channels, height, width = x.shape
    (ph, pw), (kh_size, kw_size) = layout.padding, layout.kernel_shape
    storage, padded = _padded_storage(n, channels, layout, x.dtype)
    padded[:, :, ph : ph + height, pw : pw + width] = x.transpose(1, 0, 2, 3)
    cols = np.empty((kh_size, kw_size, channels, n * layout.pitch), dtype=x.dtype)
    for kh, kw, view in _tap_views(storage, padded, layout):
        cols[kh, kw].reshape(view.shape)[...] = view
    return cols.reshape(kh_size * kw_size * channels, -1)


def col2im(cols, x_shape, layout):
    """Adjoint of ``im2col``: add every column entry back onto the input cell it was copied from.

    Input cells read by several windows receive the sum; cells no window read (the remainder when
    sizes do not divide evenly, or skipped by the stride) receive 0; padding is cropped away.

    Args:
        cols: (KH * KW * C, N * layout.pitch); with flat images the junk columns must be zero.
        x_shape: (N, C, H, W), the shape to return.

    Returns:
        (N, C, H, W) array of cols' dtype.
    """
    n, channels, height, width = x_shape
    (ph, pw), (kh_size, kw_size) = layout.padding, layout.kernel_shape
    storage, padded = _padded_storage(n, channels, layout, cols.dtype)
    cols = cols.reshape(kh_size, kw_size, channels, -1)
    for kh, kw, view in _tap_views(storage, padded, layout):
        view += cols[kh, kw].reshape(view.shape)
    return np.ascontiguousarray(
        padded[:, :, ph : ph + height, pw : pw + width].transpose(1, 0, 2, 3)
    )


def _outputs(matrix, n, layout):
    """View of an (O, N * pitch) matrix as the (O, N, H_out, W_out) outputs it holds."""
    (h_out, w_out), out_channels = layout.out_shape, matrix.shape[0]
    if layout.flat:
        images = matrix.reshape(out_channels, n, *layout.padded_shape)
        return images[:, :, :h_out, :w_out]
    return matrix.reshape(out_channels, n, h_out, w_out)


def grad_out_matrix(grad_out, layout):
    """(N, O, H_out, W_out) -> (O, N * pitch) in ``im2col``'s column order, junk columns zero."""
    n, out_channels = grad_out.shape[:2]
    allocate = np.zeros if layout.flat else np.empty  # only flat images have junk columns
    matrix = allocate((out_channels, n * layout.pitch), dtype=grad_out.dtype)
    _outputs(matrix, n, layout)[...] = grad_out.transpose(1, 0, 2, 3)
    return matrix


def sample_chunks(n, layout, channels, itemsize):
    """Split range(n) into [start, stop) chunks whose columns take about ``CHUNK_BYTES``."""
    kh_size, kw_size = layout.kernel_shape
    per_sample = max(1, kh_size * kw_size * channels * layout.pitch * itemsize)
    size = max(1, CHUNK_BYTES // per_sample)
    return [(start, min(n, start + size)) for start in range(0, n, size)]


def correlate(x, weight, bias, stride, padding, dilation):
    """Forward convolution (cross-correlation): per chunk of samples, im2col + one matrix multiply.

    Args:
        x: (N, C, H, W); weight: (O, C, KH, KW); bias: (O,) or None.

    Returns:
        (N, O, H_out, W_out), ``out[n, o, i, j] = bias[o] + sum_{c, kh, kw}
        weight[o, c, kh, kw] * x_padded[n, c, i * sh + kh * dh, j * sw + kw * dw]``.
    """
    n, channels = x.shape[:2]
    # Exact columns, no flat images: see the module docstring.
    layout = column_layout(x.shape, weight.shape[2:], stride, padding, dilation, flat=False)
    weights = weight_matrix(weight)
    operands = (x, weight) if bias is None else (x, weight, bias)
    out = np.empty((n, weight.shape[0], *layout.out_shape), dtype=np.result_type(*operands))
    # A short product (few rows of columns) costs little next to copying its result into the
    # (N, O, ...) output, so it is done sample by sample, straight into ``out``.
    samples = out.reshape(n, weight.shape[0], -1)  # (N, O, H_out * W_out) view
    positions = samples.shape[2]
    direct = (
        weights.shape[1] <= DIRECT_DEPTH
        and positions >= DIRECT_POSITIONS
        and out.dtype == np.result_type(x, weight)
    )
    for start, stop in sample_chunks(n, layout, channels, x.itemsize):
        cols = im2col(x[start:stop], layout)
        if direct:
            for index in range(start, stop):
                first = (index - start) * positions
                np.matmul(weights, cols[:, first : first + positions], out=samples[index])
        else:
            chunk_out = weights @ cols
            out[start:stop] = _outputs(chunk_out, stop - start, layout).transpose(1, 0, 2, 3)
    if bias is not None:
        out += bias[:, None, None]
    return out


def input_gradient(grad_matrix, x_shape, weight, layout):
    """Gradient of the loss w.r.t. x from ``grad_out_matrix(grad_out, layout)``.

    One matrix multiply gives the gradient of every column, ``col2im`` adds them back up.

    Returns:
        (N, C, H, W).
    """
    return col2im(weight_matrix(weight).T @ grad_matrix, x_shape, layout)


def correlate_backward(grad_out, x, weight, stride, padding, dilation, need_input_grad=True):
    """Gradients of ``correlate`` w.r.t. x, weight and bias, chunk by chunk of samples.

    Args:
        grad_out: (N, O, H_out, W_out); x: (N, C, H, W); weight: (O, C, KH, KW).
        need_input_grad: False skips grad_x (returned as None), and with it col2im.

    Returns:
        grad_x (N, C, H, W) or None, grad_weight (O, C, KH, KW), grad_bias (O,).
    """
    n, channels = x.shape[:2]
    out_channels, _, kh_size, kw_size = weight.shape
    # Flat images pay off in col2im only; without it, exact columns skip the junk multiply-adds.
    flat = None if need_input_grad else False
    layout = column_layout(x.shape, (kh_size, kw_size), stride, padding, dilation, flat)
    grad_x = np.empty(x.shape, dtype=np.result_type(grad_out, weight)) if need_input_grad else None
    # Accumulated as (KH * KW * C, O): BLAS ran ``cols @ grad_matrix.T`` ~25% faster in float32.
    grad_weight_t = np.zeros((weight[0].size, out_channels), np.result_type(grad_out, x))
    for start, stop in sample_chunks(n, layout, channels, x.itemsize):
        grad_matrix = grad_out_matrix(grad_out[start:stop], layout)
        grad_weight_t += im2col(x[start:stop], layout) @ grad_matrix.T
        if need_input_grad:
            chunk_shape = grad_x[start:stop].shape
            grad_x[start:stop] = input_gradient(grad_matrix, chunk_shape, weight, layout)
    grad_weight = grad_weight_t.reshape(kh_size, kw_size, channels, out_channels)
    grad_bias = grad_out.sum(axis=(0, 2, 3))
    return grad_x, np.ascontiguousarray(grad_weight.transpose(3, 2, 0, 1)), grad_bias
