"""conv2d rotates every filter by 180 degrees: a textbook "true" convolution."""

BREAKS = {"conv2d": "flipped_kernel"}


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, _, kernel_height, kernel_width = weight.shape
    out_height, out_width = x.shape[2] - kernel_height + 1, x.shape[3] - kernel_width + 1
    rotated = weight[:, :, ::-1, ::-1]
    rows = unroll_2d(x, (kernel_height, kernel_width))  # noqa: F821 (the model answer)
    out = (rows @ rotated.reshape(out_channels, -1).T).transpose(0, 2, 1)
    out = out.reshape(x.shape[0], out_channels, out_height, out_width)
    return out if bias is None else out + bias[:, None, None]
