"""conv_output_size rounds the division up, counting a last window that runs past the input.

conv2d (the model answer) then slices past the padded input and fails on those cases.
"""

import math

BREAKS = {"conv_output_size": "ceil_not_floor", "conv1d": None, "conv2d": None}


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1
    if span > size + 2 * padding:
        raise ValueError(f"conv_output_size: a window of {span} cells does not fit")
    return math.ceil((size + 2 * padding - span) / stride) + 1
