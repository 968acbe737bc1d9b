"""conv_output_size without the formula: count the window starts that fit with range()."""


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1
    last_start = size + 2 * padding - span  # the last cell a window may start at
    if last_start < 0:
        raise ValueError(f"conv_output_size: a span of {span} cells does not fit in {size}")
    return len(range(0, last_start + 1, stride))
