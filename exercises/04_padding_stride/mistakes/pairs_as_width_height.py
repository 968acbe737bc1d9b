"""conv2d unpacks every pair as (width, height), the (x, y) order of many image libraries."""

import numpy as np

BREAKS = {"conv2d": "pairs_swapped"}


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (stride_w, stride_h), (pad_w, pad_h) = as_pair(stride), as_pair(padding)  # noqa: F821
    dilation_w, dilation_h = as_pair(dilation)  # noqa: F821
    kernel_height, kernel_width = weight.shape[2:]
    out_height = conv_output_size(x.shape[2], kernel_height, stride_h, pad_h, dilation_h)  # noqa: F821
    out_width = conv_output_size(x.shape[3], kernel_width, stride_w, pad_w, dilation_w)  # noqa: F821
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    out = np.zeros((x.shape[0], weight.shape[0], out_height, out_width), dtype=x.dtype)
    for kh in range(kernel_height):
        for kw in range(kernel_width):
            top, left = kh * dilation_h, kw * dilation_w
            tap = padded[
                :,
                :,
                top : top + stride_h * (out_height - 1) + 1 : stride_h,
                left : left + stride_w * (out_width - 1) + 1 : stride_w,
            ]
            out += np.einsum("oc,nchw->nohw", weight[:, :, kh, kw], tap)
    return out if bias is None else out + bias[:, None, None]
