"""unroll_2d reshapes NumPy's window view without copying: for some shapes that is still a view.

When the window is as tall as the image, or one pixel wide, or covers one channel, the reshape
needs no copy and the rows share x's memory (writing into them would change the image).
"""

import numpy as np

BREAKS = {"unroll_2d": "returns_view"}


def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kernel = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(2, 3))
    batch, _, out_height, out_width = windows.shape[:4]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(batch, out_height * out_width, -1)
