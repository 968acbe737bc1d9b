"""Chapter 5: three equivalent ways to compute the gradient of conv2d w.r.t. its input.

With ``out = conv2d(x, weight, stride=s, padding=p, dilation=d)`` and the upstream gradient
``grad_out = dL/d out``, each function returns ``grad_x = dL/dx`` of shape ``x_shape``:

1. ``grad_input_col2im``: the forward was ``rows @ weight_matrix.T`` (one row per window), so the
   rows' gradient is ``grad_rows @ weight_matrix``; col2im adds every row entry back onto the
   input cell it was copied from.  (This is what ``conv2d_backward`` uses.)
2. ``grad_input_transposed_conv``: the transposed convolution.  Each output cell stamps a copy of
   the kernel, weighted by its gradient, onto the input window it read.  Done one kernel tap at a
   time: tap (kh, kw) sends ``grad_out`` mixed by ``weight[:, :, kh, kw].T`` to every input cell
   that tap read, stride apart.
3. ``grad_input_dilate_flip``: a plain convolution.  Insert s - 1 zeros between grad_out cells
   (so stride becomes 1), run a *full* correlation (padding d (K - 1)) with the kernel rotated by
   180 degrees and its input/output channels swapped, append zeros for the rows/columns no window
   reached, and crop the padding p.

Input cells that no window read (the remainder when sizes do not divide evenly) get gradient 0;
padding larger than d (K - 1) is handled by the final crop.  Arguments are checked like
``conv2d_backward``; dtype follows NumPy's promotion of grad_out and weight (float32 stays float32).
Non-finite values propagate (see ``solutions.checks``).
"""

import numpy as np

from solutions.conv2d import col2im, correlate
from solutions.conv_arguments import check_conv_backward_call
from solutions.windows import tap_slices


def grad_input_col2im(grad_out, x_shape, weight, stride=1, padding=0, dilation=1):
    """Input gradient as ``col2im(grad_rows @ weight.reshape(O, -1))``, grad_rows (N, P, O).

    Args:
        grad_out: (N, O, H_out, W_out), the gradient of the loss w.r.t. conv2d's output.
        x_shape: (N, C, H, W), the forward input's shape.
        weight: (O, C, KH, KW).
        stride, padding, dilation: int or pair, as in the forward call.

    Returns:
        (N, C, H, W) gradient w.r.t. x.
    """
    grad_out, x_shape, weight, hyper = check_conv_backward_call(
        "grad_input_col2im", grad_out, x_shape, weight, stride, padding, dilation, 2
    )
    n, out_channels = grad_out.shape[:2]
    grad_rows = grad_out.reshape(n, out_channels, -1).transpose(0, 2, 1)  # (N, H_out*W_out, O)
    grad_windows = grad_rows @ weight.reshape(out_channels, -1)  # (N, H_out*W_out, C*KH*KW)
    return col2im(grad_windows, x_shape, weight.shape[2:], *hyper)


def grad_input_transposed_conv(grad_out, x_shape, weight, stride=1, padding=0, dilation=1):
    """Input gradient as a transposed convolution, accumulated one kernel tap at a time.

    Args and Returns: as ``grad_input_col2im``.
    """
    grad_out, x_shape, weight, hyper = check_conv_backward_call(
        "grad_input_transposed_conv", grad_out, x_shape, weight, stride, padding, dilation, 2
    )
    stride, (ph, pw), dilation = hyper
    n, channels, height, width = x_shape
    kh_size, kw_size = weight.shape[2:]
    dtype = np.result_type(grad_out, weight)
    grad_padded = np.zeros((n, channels, height + 2 * ph, width + 2 * pw), dtype=dtype)
    for kh in range(kh_size):
        for kw in range(kw_size):
            # (N, O, H_out, W_out) x (O, C) -> (N, H_out, W_out, C): sum over output channels.
            sent_back = np.tensordot(grad_out, weight[:, :, kh, kw], axes=([1], [0]))
            rows, columns = tap_slices(kh, kw, grad_out.shape[2:], stride, dilation)
            grad_padded[:, :, rows, columns] += sent_back.transpose(0, 3, 1, 2)
    return np.ascontiguousarray(grad_padded[:, :, ph : ph + height, pw : pw + width])


def grad_input_dilate_flip(grad_out, x_shape, weight, stride=1, padding=0, dilation=1):
    """Input gradient as a full correlation of the zero-dilated grad_out with the rotated kernel.

    Args and Returns: as ``grad_input_col2im``.
    """
    grad_out, x_shape, weight, hyper = check_conv_backward_call(
        "grad_input_dilate_flip", grad_out, x_shape, weight, stride, padding, dilation, 2
    )
    (sh, sw), (ph, pw), (dh, dw) = hyper
    n, out_channels, h_out, w_out = grad_out.shape
    _, channels, height, width = x_shape
    kh_size, kw_size = weight.shape[2:]
    # Stride s skipped input positions; s - 1 zeros between cells put each gradient back at the
    # position its window started from, so the rest is a stride-1 convolution.
    dilated_shape = (n, out_channels, (h_out - 1) * sh + 1, (w_out - 1) * sw + 1)
    dilated = np.zeros(dilated_shape, dtype=grad_out.dtype)
    dilated[:, :, ::sh, ::sw] = grad_out
    # Rotating by 180 degrees turns "x cell feeds outputs to its upper-left" into a correlation;
    # swapping O and C makes the output channels of the backward the forward's input channels.
    rotated = np.ascontiguousarray(weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
    full_padding = (dh * (kh_size - 1), dw * (kw_size - 1))
    # Gradient w.r.t. the part of the padded input that some window covered.
    covered = correlate(dilated, rotated, None, (1, 1), full_padding, (dh, dw))
    grad_padded = np.zeros((n, channels, height + 2 * ph, width + 2 * pw), covered.dtype)
    grad_padded[:, :, : covered.shape[2], : covered.shape[3]] = covered
    return np.ascontiguousarray(grad_padded[:, :, ph : ph + height, pw : pw + width])
