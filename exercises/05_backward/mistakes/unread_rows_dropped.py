"""conv1d_backward builds grad_x from grad_out alone (zero insertion, full correlation with the
rotated kernel): its length is that of the cells the windows read, so when the stride does not
divide the size the last inputs are missing from grad_x."""

import numpy as np

BREAKS = {"conv1d_backward": "unread_rows_dropped"}


def conv1d_backward(grad_out, x, weight, stride=1, padding=0, dilation=1):
    batch, out_channels, out_length = grad_out.shape
    kernel_size = weight.shape[2]
    reach = dilation * (kernel_size - 1)
    spread = np.zeros((batch, out_channels, (out_length - 1) * stride + 1), dtype=x.dtype)
    spread[:, :, ::stride] = grad_out
    full = np.pad(spread, ((0, 0), (0, 0), (reach, reach)))
    read_length = spread.shape[2] + reach
    rotated = weight[:, :, ::-1]
    grad_read = sum(
        np.einsum(
            "not,oc->nct", full[:, :, k * dilation : k * dilation + read_length], rotated[:, :, k]
        )
        for k in range(kernel_size)
    )
    x_padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    grad_weight = np.stack(
        [
            np.einsum(
                "not,nct->oc", spread, x_padded[:, :, k * dilation : k * dilation + spread.shape[2]]
            )
            for k in range(kernel_size)
        ],
        axis=2,
    )
    grad_x = grad_read[:, :, padding : read_length - padding]
    return grad_x, grad_weight, grad_out.sum(axis=(0, 2))
