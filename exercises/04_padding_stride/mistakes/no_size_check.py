"""conv_output_size never raises: a window larger than the padded input gives 0 or less."""

BREAKS = {"conv_output_size": None}


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1
