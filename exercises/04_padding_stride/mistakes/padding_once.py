"""conv_output_size adds the padding once, as if zeros went on one side only.

conv2d (the model answer) then computes too few output rows and columns.
"""

BREAKS = {"conv_output_size": "padding_once", "conv1d": None, "conv2d": None}


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1
    if span > size + 2 * padding:
        raise ValueError(f"conv_output_size: a window of {span} cells does not fit")
    return (size + padding - span) // stride + 1
