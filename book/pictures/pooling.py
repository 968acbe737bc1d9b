"""Pictures of pooling (chapter 6).

    maxpool_routing_animation   each grad_out cell sent to the argmax of its window; overlapping
                                windows make the input gradient accumulate

The routing is not recomputed here: the caller passes its ``maxpool2d_backward`` (the reference's
or a learner's), and each frame asks it where a one-hot upstream gradient lands.
"""

import numpy as np
from matplotlib import pyplot as plt

from pictures.animation import animate
from pictures.grids import draw_grid, frame_cells, tidy
from pictures.legend import ROLE_COLOURS, legend_handles
from solutions import conv_output_size


def _routes(x, kernel_size, stride, backward):
    """Input cell that receives each output cell's gradient, as a (H_out, W_out, 2) int array."""
    image = x[None, None]
    out_h = conv_output_size(x.shape[0], kernel_size, stride)
    out_w = conv_output_size(x.shape[1], kernel_size, stride)
    routes = np.zeros((out_h, out_w, 2), dtype=int)
    for i in range(out_h):
        for j in range(out_w):
            one_hot = np.zeros((1, 1, out_h, out_w), dtype=x.dtype)
            one_hot[0, 0, i, j] = 1
            routed = backward(one_hot, image, kernel_size, stride)[0, 0]
            routes[i, j] = np.unravel_index(np.argmax(routed), routed.shape)
    return routes


def maxpool_routing_animation(x, grad_out, kernel_size, stride, backward, interval=1000):
    """Animate max-pool backward: each grad_out cell goes to the argmax of its window.

    Frame k (row-major over grad_out) frames window k on the input, marks its maximum, and
    adds grad_out's cell k into grad_x at that place; cells reached twice (overlapping windows,
    stride < kernel_size) show the sum.

    Args:
        x: (H, W) input of the pooling.
        grad_out: (H_out, W_out) upstream gradient, H_out = floor((H - k) / s) + 1.
        kernel_size, stride: square window and its step (ints).
        backward: ``maxpool2d_backward(grad_out, x, kernel_size, stride)`` on (N, C, ...) arrays.

    Returns:
        HTML of the animation.
    """
    x = np.asarray(x, dtype=float)
    grad_out = np.asarray(grad_out, dtype=float)
    routes = _routes(x, kernel_size, stride, backward)
    if routes.shape[:2] != grad_out.shape:
        raise ValueError(
            f"maxpool_routing_animation: grad_out.shape={grad_out.shape} but pooling x.shape="
            f"{x.shape} with kernel_size={kernel_size}, stride={stride} gives {routes.shape[:2]}"
        )
    height, width = x.shape
    out_h, out_w = grad_out.shape
    grad_x0 = width + 1.5
    grad_in_x0 = grad_x0 + out_w + 1.5
    fig, ax = plt.subplots(figsize=(0.7 * (grad_in_x0 + width) + 1.6, 0.7 * (height + 2.5)))

    def draw_frame(frame):
        ax.clear()
        i, j = divmod(frame, out_w)
        accumulated = np.zeros_like(x)
        for k in range(frame + 1):
            r, c = routes[divmod(k, out_w)]
            accumulated[r, c] += grad_out[divmod(k, out_w)]
        r, c = routes[i, j]
        argmax = np.zeros_like(x, dtype=bool)
        argmax[r, c] = True
        current = np.zeros_like(grad_out, dtype=bool)
        current[i, j] = True
        draw_grid(ax, x, role="input", highlight=argmax, title="input x")
        frame_cells(ax, 0, 0, i * stride, j * stride, kernel_size, kernel_size, role="kernel")
        draw_grid(ax, grad_out, role="gradient", x0=grad_x0, highlight=current, title="grad_out")
        draw_grid(ax, accumulated, role="gradient", x0=grad_in_x0, highlight=argmax, title="grad_x")
        ax.annotate(
            "",
            xy=(grad_in_x0 + c + 0.5, -r - 0.5),
            xytext=(grad_x0 + j + 0.5, -i - 0.5),
            arrowprops={"arrowstyle": "->", "color": ROLE_COLOURS["gradient"], "lw": 2},
        )
        ax.text(
            0,
            -height - 0.5,
            f"window ({i},{j}): max x[{r},{c}] = {x[r, c]:g} receives "
            f"grad_out[{i},{j}] = {grad_out[i, j]:g}",
            ha="left",
            va="top",
            fontsize=9,
        )
        ax.legend(
            handles=legend_handles(("input", "kernel", "gradient"), padding=False),
            labels=["input", "window", "gradient"],
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=8,
        )
        tidy(ax, (-0.3, grad_in_x0 + width + 0.3), (-height - 1.4, 1.2))

    return animate(fig, draw_frame, frames=out_h * out_w, interval=interval)
