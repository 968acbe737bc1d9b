"""conv2d convolves the first input channel only (x[:, :1] with weight[:, :1])."""

BREAKS = {"conv2d": "first_channel_only"}


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_height, kernel_width = weight.shape
    out_height, out_width = x.shape[2] - kernel_height + 1, x.shape[3] - kernel_width + 1
    rows = unroll_2d(x[:, :1], (kernel_height, kernel_width))  # noqa: F821 (the model answer)
    out = rows @ weight[:, :1].reshape(out_channels, -1).T
    out = out.transpose(0, 2, 1).reshape(x.shape[0], out_channels, out_height, out_width)
    return out if bias is None else out + bias[:, None, None]
