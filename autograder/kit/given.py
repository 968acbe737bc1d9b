"""Helpers the assignments give the learner, written once (NumPy only).

An assignment's notebook source (``exercises/NN_name/NN_name.md``) asks for them with an import
line in a setup cell::

    from given import as_pair, conv_output_size as output_size

and ``python -m autograder.build`` replaces that line with the source of each function (so the
learner reads the code in the notebook), followed by ``output_size = conv_output_size`` for a
name the notebook spells differently.  A helper that calls another one needs it listed too.
Nothing here checks its arguments: a helper trusts what the assignment passes it.  The injected
code may use only ``np`` (every notebook imports NumPy first) and the other listed helpers.

    as_pair           an int or a (height, width) pair, as a pair
    conv_output_size  the output-size formula of chapter 4 (tested equal to
                      ``solutions.conv_output_size``)
    conv_geometry     padding, output size and where each kernel tap reads, for every position
    conv2d            the convolution of assignments 3 and 4, one matrix product per kernel tap
    conv2d_backward   its gradients (assignment 5), tap by tap
"""

import numpy as np


def as_pair(value):
    """An int or a (height, width) pair, as a pair: 2 -> (2, 2), (3, 1) -> (3, 1)."""
    return (value, value) if np.ndim(value) == 0 else tuple(value)


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """Output length along one axis: floor((size + 2 p - d (K - 1) - 1) / s) + 1."""
    return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def conv_geometry(x_shape, weight_shape, stride, padding, dilation):
    """Padding, output size and, for each kernel tap (kh, kw), the slices of the padded input it
    reads for every output position: ``padded[taps[kh, kw]]`` is (N, C, H_out, W_out)."""
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    kernel_h, kernel_w = weight_shape[2:]
    h_out = conv_output_size(x_shape[2], kernel_h, sh, ph, dh)
    w_out = conv_output_size(x_shape[3], kernel_w, sw, pw, dw)
    taps = {
        (kh, kw): (
            slice(None),
            slice(None),
            slice(kh * dh, kh * dh + sh * (h_out - 1) + 1, sh),
            slice(kw * dw, kw * dw + sw * (w_out - 1) + 1, sw),
        )
        for kh in range(kernel_h)
        for kw in range(kernel_w)
    }
    return (ph, pw), (h_out, w_out), taps


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """(N, C, H, W), (O, C, KH, KW), (O,) or None -> (N, O, H_out, W_out), x's dtype."""
    (ph, pw), (h_out, w_out), taps = conv_geometry(x.shape, weight.shape, stride, padding, dilation)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((x.shape[0], weight.shape[0], h_out, w_out), dtype=x.dtype)
    for (kh, kw), window in taps.items():
        out += np.einsum("nchw,oc->nohw", padded[window], weight[:, :, kh, kw])
    if bias is not None:
        out += bias[None, :, None, None]
    return out


def conv2d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    """-> (grad_x, grad_weight, grad_bias), shaped like x, weight and (O,)."""
    (ph, pw), _, taps = conv_geometry(x.shape, weight.shape, stride, padding, dilation)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    grad_padded = np.zeros_like(padded)
    grad_weight = np.zeros_like(weight)
    for (kh, kw), window in taps.items():
        grad_weight[:, :, kh, kw] = np.einsum("nohw,nchw->oc", grad_out, padded[window])
        grad_padded[window] += np.einsum("nohw,oc->nchw", grad_out, weight[:, :, kh, kw])
    grad_x = grad_padded[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2, 3))
