"""conv_output_size forgets the + 1 (it counts the steps between windows, not the windows).

conv2d (the model answer) uses it, so its output loses the last row and column.
"""

BREAKS = {
    "conv_output_size": "size_off_by_one",
    "conv1d": "off_by_one_size",
    "conv2d": "off_by_one_size",
}


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1
    if span > size + 2 * padding:
        raise ValueError(f"conv_output_size: a window of {span} cells does not fit")
    return (size + 2 * padding - span) // stride
