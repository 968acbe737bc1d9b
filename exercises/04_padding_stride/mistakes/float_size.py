"""conv_output_size uses / and np.floor: the size comes back as a float (np.float64).

conv2d (the model answer) then cannot allocate an array of that shape.
"""

import numpy as np

BREAKS = {"conv_output_size": "float_size", "conv1d": None, "conv2d": None}


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1
    if span > size + 2 * padding:
        raise ValueError(f"conv_output_size: a window of {span} cells does not fit")
    return np.floor((size + 2 * padding - span) / stride) + 1
