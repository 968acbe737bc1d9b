"""Pictures for chapter 4: a kernel sliding over a padded input with a stride, and dilation.

The chapter computes every number with ``solutions``; these functions only draw them.

    sliding_animation   padded input (padding hatched), window stepping by the stride, the output
                        filling in cell by cell
    dilation_figure     the cells a dilated kernel reads, and the equivalent kernel with inserted
                        zeros (dotted)
"""

import numpy as np
from matplotlib import pyplot as plt

from pictures.animation import animate
from pictures.grids import draw_grid, frame_cells, tidy
from pictures.legend import legend_handles

GAP = 2.0


def _blank_except(values, filled):
    """Strings of ``values`` where ``filled`` is True, empty strings elsewhere."""
    text = np.full(values.shape, "", dtype=object)
    text[filled] = [f"{v:g}" for v in values[filled]]
    return text


def sliding_animation(x, weight, y, stride, padding, interval=900):
    """Animate a single-channel convolution with padding and stride.

    Args:
        x: (H, W) input, before padding.
        weight: (KH, KW) kernel.
        y: (H_out, W_out) the convolution output, as computed by ``solutions.conv2d``.
        stride, padding: ints.

    Returns:
        IPython HTML of an animation with one frame per output cell (row-major).
    """
    x, weight, y = map(np.asarray, (x, weight, y))
    padded = np.pad(x, padding)
    (rows, cols), (kh, kw), (h_out, w_out) = padded.shape, weight.shape, y.shape
    kernel_x0 = cols + GAP
    out_x0 = kernel_x0 + kw + GAP
    right = out_x0 + w_out
    fig, ax = plt.subplots(figsize=(0.55 * right + 0.8, 0.55 * rows + 2.2))

    def draw_frame(frame):
        ax.clear()
        i, j = divmod(frame, w_out)
        top, left = i * stride, j * stride
        window = np.zeros(padded.shape, bool)
        window[top : top + kh, left : left + kw] = True
        draw_grid(
            ax,
            padded,
            "input",
            padding=padding,
            highlight=window,
            title=f"input, padding {padding}",
        )
        frame_cells(ax, 0, 0, top, left, kh, kw)
        draw_grid(
            ax,
            weight,
            "kernel",
            x0=kernel_x0,
            highlight=np.ones(weight.shape, bool),
            title="kernel",
        )
        done = np.arange(h_out * w_out).reshape(h_out, w_out) <= frame
        current = np.zeros(y.shape, bool)
        current[i, j] = True
        draw_grid(
            ax,
            _blank_except(y, done),
            "output",
            x0=out_x0,
            highlight=current,
            fmt="{}",
            title=f"output, stride {stride}",
        )
        ax.text(
            0,
            -rows - 0.6,
            f"y[{i},{j}]: window rows {top}..{top + kh - 1}, columns {left}..{left + kw - 1}"
            f" of the padded input  →  {y[i, j]:g}",
            ha="left",
            va="top",
        )
        ax.legend(
            handles=legend_handles(("input", "kernel", "output")),
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=4,
            frameon=False,
        )
        tidy(ax, (-0.2, right + 0.2), (-rows - 1.4, 1.0))

    return animate(fig, draw_frame, h_out * w_out, interval=interval)


def dilation_figure(input_shape, weight, dilation, position=(0, 0)):
    """Which input cells a dilated kernel reads, and the same kernel with zeros inserted.

    Args:
        input_shape: (H, W) of the input drawn on the left (cells are numbered row-major).
        weight: (KH, KW) kernel.
        dilation: int, the spacing between kernel taps.
        position: (row, col) of the window's top-left corner on the input.

    Returns:
        matplotlib Figure.
    """
    weight = np.asarray(weight)
    (height, width), (kh, kw), (r0, c0) = input_shape, weight.shape, position
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    read = np.zeros(input_shape, bool)
    read[r0 : r0 + span_h : dilation, c0 : c0 + span_w : dilation] = True
    dilated = np.zeros((span_h, span_w))
    dilated[::dilation, ::dilation] = weight
    inserted = np.ones(dilated.shape, bool)
    inserted[::dilation, ::dilation] = False
    kernel_x0 = width + GAP + 1
    fig, ax = plt.subplots(figsize=(0.55 * (kernel_x0 + span_w) + 0.8, 0.55 * height + 1.8))
    draw_grid(
        ax,
        np.zeros(input_shape),
        "input",
        highlight=read,
        fmt=None,
        title=f"cells read, dilation {dilation}",
    )
    frame_cells(ax, 0, 0, r0, c0, span_h, span_w, linewidth=2.0)
    draw_grid(
        ax,
        dilated,
        "kernel",
        x0=kernel_x0,
        highlight=~inserted,
        inserted=inserted,
        title=f"equivalent {span_h}×{span_w} kernel",
    )
    ax.legend(
        handles=legend_handles(("input", "kernel"), padding=False, inserted=True),
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=3,
        frameon=False,
    )
    tidy(ax, (-0.2, kernel_x0 + span_w + 0.2), (-height - 0.3, 1.0))
    fig.tight_layout()
    return fig
