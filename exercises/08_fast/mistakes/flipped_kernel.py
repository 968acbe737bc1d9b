"""conv2d_fast rotates the kernel by 180 degrees: a true convolution, not cross-correlation."""

# ruff: noqa: F821 (helpers and earlier answers come from the notebook)

BREAKS = {"conv2d_fast": "flipped_kernel", "conv2d_fast_speed": None}  # its timed output too


def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1):
    weight = weight[:, :, ::-1, ::-1]
    out_channels, _, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = map(pair, (stride, padding, dilation))
    h_out = output_size(x.shape[2], kh, sh, ph, dh)
    w_out = output_size(x.shape[3], kw, sw, pw, dw)
    out = unroll_2d(x, (kh, kw), stride, padding, dilation) @ weight.reshape(out_channels, -1).T
    out = out.transpose(0, 2, 1).reshape(x.shape[0], out_channels, h_out, w_out)
    return out if bias is None else out + bias[None, :, None, None]
