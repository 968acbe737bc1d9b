"""conv2d reshapes the product to (N, H_out, W_out, O) and reverses the last three axes.

transpose(0, 3, 2, 1) gives (N, O, W_out, H_out): height and width end up swapped.
"""

BREAKS = {"conv2d": "transposed_output"}


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_height, kernel_width = weight.shape
    out_height, out_width = x.shape[2] - kernel_height + 1, x.shape[3] - kernel_width + 1
    rows = unroll_2d(x, (kernel_height, kernel_width))  # noqa: F821 (the model answer)
    out = rows @ weight.reshape(out_channels, -1).T
    out = out.reshape(x.shape[0], out_height, out_width, out_channels).transpose(0, 3, 2, 1)
    return out if bias is None else out + bias[:, None, None]
