"""Through the frequency domain: correlation = inverse FFT of X times the conjugate of W."""

import numpy as np


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    length, kernel_size = x.shape[2], weight.shape[2]
    spectrum_x = np.fft.rfft(x, n=length)  # (N, C, F)
    spectrum_w = np.fft.rfft(weight, n=length)  # (O, C, F), the kernel zero-padded to T
    # Circular correlation of length T; outputs t <= T - K never wrap around.
    mixed = np.einsum("ncf,ocf->nof", spectrum_x, np.conj(spectrum_w))
    out = np.fft.irfft(mixed, n=length)[:, :, : length - kernel_size + 1]
    if bias is not None:
        out = out + bias[:, None]
    return out.astype(x.dtype)
