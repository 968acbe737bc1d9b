"""Dilation by zero insertion, correlation through the FFT, stride by subsampling."""

import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_h, stride_w), (pad_h, pad_w) = as_pair(stride), as_pair(padding)  # noqa: F821
    dilation_h, dilation_w = as_pair(dilation)  # noqa: F821
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    out_channels, channels, kernel_height, kernel_width = weight.shape
    # a dilated kernel is an ordinary kernel with dilation - 1 zeros between its taps
    dilated = np.zeros(
        (
            out_channels,
            channels,
            dilation_h * (kernel_height - 1) + 1,
            dilation_w * (kernel_width - 1) + 1,
        )
    )
    dilated[:, :, ::dilation_h, ::dilation_w] = weight
    size = padded.shape[2:]
    mixed = np.einsum(
        "ncuv,ocuv->nouv", np.fft.rfft2(padded, s=size), np.conj(np.fft.rfft2(dilated, s=size))
    )
    dense = np.fft.irfft2(mixed, s=size)  # circular; the valid outputs never wrap around
    dense = dense[:, :, : size[0] - dilated.shape[2] + 1, : size[1] - dilated.shape[3] + 1]
    out = dense[:, :, ::stride_h, ::stride_w]
    if bias is not None:
        out = out + bias[:, None, None]
    return out.astype(x.dtype)
