"""conv2d unpacks the weight's shape as (O, C, KW, KH) and transposes the kernel to match."""

BREAKS = {"conv2d": "kernel_axes_swapped"}


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_width, kernel_height = weight.shape  # should be (O, C, KH, KW)
    kernel = weight.transpose(0, 1, 3, 2)  # "to (O, C, KH, KW)"
    out_height, out_width = x.shape[2] - kernel_height + 1, x.shape[3] - kernel_width + 1
    rows = unroll_2d(x, (kernel_height, kernel_width))  # noqa: F821 (the model answer)
    out = rows @ kernel.reshape(out_channels, -1).T
    out = out.transpose(0, 2, 1).reshape(x.shape[0], out_channels, out_height, out_width)
    return out if bias is None else out + bias[:, None, None]
