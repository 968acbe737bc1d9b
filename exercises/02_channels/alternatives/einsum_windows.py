"""A read-only window view of x, contracted with the weight by einsum (no explicit unroll copy)."""

import numpy as np


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    windows = np.lib.stride_tricks.sliding_window_view(x, weight.shape[2], axis=2)  # (N,C,T_out,K)
    out = np.einsum("nctk,ock->not", windows, weight, optimize=True)
    return out if bias is None else out + bias[:, None]
