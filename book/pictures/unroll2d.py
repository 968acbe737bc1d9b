"""Pictures for chapter 3: a 2D window, the unrolled (im2col) matrix, memory layouts, shifts.

Every function takes arrays that the chapter computed with ``solutions`` (this module draws, it
never computes a convolution) and returns a matplotlib Figure, or animation HTML.

    window_figure          input with one window framed, kernel, output with one cell highlighted
    unroll_animation       the unrolled matrix built row by row from the windows of (C, H, W)
    matmul_figure          unrolled (P, C*KH*KW) @ weight matrix (C*KH*KW, O) = output (P, O)
    memory_order_figure    the same (C, H, W) tensor laid out in memory as NCHW and as NHWC
    shift_accumulate_figure  the KH*KW shifted slices of the input, each times one weight
"""

import numpy as np
from matplotlib import pyplot as plt

from pictures.animation import animate
from pictures.grids import draw_grid, frame_cells, tidy
from pictures.legend import ROLE_COLOURS, legend_handles

GAP = 1.5
"""Horizontal space (in cells) between two grids drawn on the same axes."""


def _legend(ax, roles, ncol=3):
    ax.legend(
        handles=legend_handles(roles, padding=False),
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=ncol,
        frameon=False,
    )


def _symbol(ax, x, y, text):
    ax.text(x, y, text, ha="center", va="center", fontsize=16)


def window_figure(x, weight, y, position):
    """One output cell of a single-channel 2D convolution and the window it reads.

    Args:
        x: (H, W) input.
        weight: (KH, KW) kernel.
        y: (H_out, W_out) output, ``y[i, j] = sum_{u, v} weight[u, v] * x[i + u, j + v]``.
        position: (i, j) of the output cell to show.

    Returns:
        matplotlib Figure.
    """
    x, weight, y = np.asarray(x), np.asarray(weight), np.asarray(y)
    (height, width), (kh, kw), (i, j) = x.shape, weight.shape, position
    window = np.zeros_like(x, dtype=bool)
    window[i : i + kh, j : j + kw] = True
    cell = np.zeros_like(y, dtype=bool)
    cell[i, j] = True
    kernel_x0 = width + 2 * GAP
    out_x0 = kernel_x0 + kw + 2 * GAP
    fig, ax = plt.subplots(figsize=(1.0 + 0.55 * (out_x0 + y.shape[1]), 0.6 * height + 1.6))
    draw_grid(ax, x, "input", highlight=window, title="input x")
    frame_cells(ax, 0, 0, i, j, kh, kw)
    _symbol(ax, width + GAP, -height / 2, "⋆")
    draw_grid(
        ax, weight, "kernel", x0=kernel_x0, highlight=np.ones_like(weight, bool), title="kernel w"
    )
    _symbol(ax, kernel_x0 + kw + GAP, -height / 2, "=")
    draw_grid(ax, y, "output", x0=out_x0, highlight=cell, title="output y")
    tidy(ax, (-0.2, out_x0 + y.shape[1] + 0.2), (-height - 0.3, 1.0))
    _legend(ax, ("input", "kernel", "output"))
    fig.tight_layout()
    return fig


def _window_mask(shape, position, kernel_size):
    (i, j), (kh, kw) = position, kernel_size
    mask = np.zeros(shape, dtype=bool)
    mask[i : i + kh, j : j + kw] = True
    return mask


def _column_labels(channels, kernel_size):
    kh, kw = kernel_size
    return [f"{c},{m},{n}" for c in range(channels) for m in range(kh) for n in range(kw)]


def unroll_animation(x, unrolled, kernel_size, interval=1000):
    """Animate how the windows of a (C, H, W) input become the rows of the unrolled matrix.

    Frame p frames the window of output position p = i * W_out + j in every channel and writes
    row p of ``unrolled``; earlier rows stay, later rows are still empty.

    Args:
        x: (C, H, W) input (one image of the batch).
        unrolled: (H_out * W_out, C * KH * KW), what ``unroll_2d`` returns for that image;
            columns ordered (c, u, v), rows row-major over (i, j).
        kernel_size: (KH, KW).

    Returns:
        IPython HTML of the animation.
    """
    x, unrolled = np.asarray(x), np.asarray(unrolled)
    channels, height, width = x.shape
    kh, kw = kernel_size
    w_out = width - kw + 1
    rows, columns = unrolled.shape
    matrix_x0 = channels * (width + GAP) + 2.5
    matrix_y0 = -0.2
    fig, ax = plt.subplots(figsize=(0.5 * (matrix_x0 + columns) + 1.0, 0.5 * (rows + 4) + 1.2))
    labels = _column_labels(channels, kernel_size)

    def draw_frame(p):
        ax.clear()
        i, j = divmod(p, w_out)
        for c in range(channels):
            x0 = c * (width + GAP)
            draw_grid(
                ax,
                x[c],
                "input",
                x0=x0,
                highlight=_window_mask((height, width), (i, j), kernel_size),
                title=f"x[c={c}]",
            )
            frame_cells(ax, x0, 0, i, j, kh, kw)
        shown = np.full(unrolled.shape, "", dtype=object)
        shown[: p + 1] = [[f"{v:g}" for v in row] for row in unrolled[: p + 1]]
        current = np.zeros(unrolled.shape, dtype=bool)
        current[p] = True
        draw_grid(ax, shown, "input", x0=matrix_x0, y0=matrix_y0, highlight=current, fmt="{}")
        frame_cells(ax, matrix_x0, matrix_y0, p, 0, 1, columns)
        for col, label in enumerate(labels):
            ax.text(
                matrix_x0 + col + 0.5,
                matrix_y0 + 0.15,
                label,
                ha="center",
                va="bottom",
                fontsize=7,
                rotation=90,
            )
        for c in range(1, channels):
            boundary = matrix_x0 + c * kh * kw
            ax.plot(
                [boundary, boundary],
                [matrix_y0 - rows - 0.3, matrix_y0 + 0.3],
                color="black",
                linewidth=2,
            )
        for row in range(rows):
            ri, rj = divmod(row, w_out)
            ax.text(
                matrix_x0 - 0.2,
                matrix_y0 - row - 0.5,
                f"({ri},{rj})",
                ha="right",
                va="center",
                fontsize=8,
            )
        ax.text(
            matrix_x0 + columns / 2,
            matrix_y0 + 1.5,
            "unrolled: row (i, j), column (c, u, v)",
            ha="center",
            va="bottom",
        )
        ax.text(
            0,
            -height - 1.0,
            f"output position (i, j) = ({i}, {j})  →  row {p}",
            ha="left",
            va="center",
        )
        tidy(
            ax,
            (-0.3, matrix_x0 + columns + 0.3),
            (min(-height - 1.6, matrix_y0 - rows - 0.5), matrix_y0 + 2.4),
        )

    return animate(fig, draw_frame, rows, interval=interval)


def matmul_figure(unrolled, weight_matrix, out_matrix, row=None):
    """The whole convolution as one product: unrolled @ weight_matrix = out_matrix.

    Args:
        unrolled: (P, C * KH * KW) with P = H_out * W_out.
        weight_matrix: (C * KH * KW, O), i.e. ``weight.reshape(O, -1).T``.
        out_matrix: (P, O); column o reshaped to (H_out, W_out) is output channel o.
        row: optional row index highlighted in ``unrolled`` and ``out_matrix``.

    Returns:
        matplotlib Figure.
    """
    unrolled, weight_matrix, out_matrix = map(np.asarray, (unrolled, weight_matrix, out_matrix))
    rows, inner = unrolled.shape
    out_channels = weight_matrix.shape[1]
    marked = np.zeros(unrolled.shape, bool)
    marked_out = np.zeros(out_matrix.shape, bool)
    if row is not None:
        marked[row] = True
        marked_out[row] = True
    weight_x0 = inner + 2 * GAP
    out_x0 = weight_x0 + out_channels + 2 * GAP
    total_width = out_x0 + out_channels
    tallest = max(rows, inner)
    fig, ax = plt.subplots(figsize=(0.5 * total_width + 1.0, 0.45 * tallest + 1.6))
    draw_grid(
        ax, unrolled, "input", highlight=marked, title=f"unrolled ({rows}×{inner})", fontsize=8
    )
    _symbol(ax, inner + GAP, -rows / 2, "@")
    draw_grid(
        ax,
        weight_matrix,
        "kernel",
        x0=weight_x0,
        highlight=np.ones_like(weight_matrix, bool),
        title=f"weight ({inner}×{out_channels})",
        fontsize=8,
    )
    _symbol(ax, weight_x0 + out_channels + GAP, -rows / 2, "=")
    draw_grid(
        ax,
        out_matrix,
        "output",
        x0=out_x0,
        highlight=marked_out,
        title=f"output ({rows}×{out_channels})",
        fontsize=8,
    )
    tidy(ax, (-0.2, total_width + 0.2), (-tallest - 0.3, 1.0))
    _legend(ax, ("input", "kernel", "output"))
    fig.tight_layout()
    return fig


def memory_order_figure(channels, height, width):
    """Where each element of a (C, H, W) image sits in memory, in NCHW and in NHWC order.

    Cells are labelled ``c:h,w``; channel 0 is drawn faint and channel 1 strong so the two
    orders can be told apart at a glance.

    Returns:
        matplotlib Figure.
    """
    index = np.indices((channels, height, width)).reshape(3, -1).T  # rows (c, h, w), NCHW order
    orders = {
        "NCHW (channels first): all of channel 0, then channel 1": index,
        "NHWC (channels last): the C values of one pixel side by side": index[
            np.lexsort((index[:, 0], index[:, 2], index[:, 1]))
        ],
    }
    size = len(index)
    fig, ax = plt.subplots(figsize=(0.62 * size + 0.6, 2.6))
    for k, (title, cells) in enumerate(orders.items()):
        y0 = -k * 2.3
        strong = cells[:, 0] % 2 == 1
        draw_grid(ax, np.zeros(size), "input", y0=y0, highlight=strong, fmt=None)
        for pos, (c, h, w) in enumerate(cells):
            ax.text(pos + 0.5, y0 - 0.5, f"{c}:{h},{w}", ha="center", va="center", fontsize=7)
        ax.text(0, y0 + 0.25, title, ha="left", va="bottom")
    ax.text(size, -2 * 2.3 + 0.9, "memory address →", ha="right", va="center", fontsize=9)
    tidy(ax, (-0.2, size + 0.2), (-2 * 2.3 + 0.5, 1.0))
    fig.tight_layout()
    return fig


def shift_accumulate_figure(x, weight, y):
    """Shift-and-accumulate: y is the sum over kernel offsets (m, n) of a shifted slice of x.

    Panel (m, n) frames ``x[m : m + H_out, n : n + W_out]``, the slice that kernel entry
    ``weight[m, n]`` multiplies; the last panel is their sum.

    Args:
        x: (H, W) input; weight: (KH, KW); y: (H_out, W_out) the convolution output.

    Returns:
        matplotlib Figure.
    """
    x, weight, y = map(np.asarray, (x, weight, y))
    (height, width), (kh, kw), (h_out, w_out) = x.shape, weight.shape, y.shape
    panel = width + 2.2
    count = kh * kw
    fig, ax = plt.subplots(figsize=(0.5 * (count * panel + w_out) + 0.8, 0.5 * height + 2.0))
    for k in range(count):
        m, n = divmod(k, kw)
        x0 = k * panel
        mask = np.zeros(x.shape, bool)
        mask[m : m + h_out, n : n + w_out] = True
        draw_grid(ax, x, "input", x0=x0, highlight=mask, fontsize=8)
        frame_cells(ax, x0, 0, m, n, h_out, w_out, role="input", linewidth=2.5)
        ax.text(
            x0 + width / 2,
            0.3,
            f"× w[{m},{n}] = {weight[m, n]:g}",
            ha="center",
            va="bottom",
            color=ROLE_COLOURS["kernel"],
            fontsize=10,
        )
        _symbol(ax, x0 + width + 1.1, -height / 2, "+" if k < count - 1 else "=")
    draw_grid(
        ax, y, "output", x0=count * panel, highlight=np.ones_like(y, bool), fontsize=8, title="y"
    )
    tidy(ax, (-0.2, count * panel + w_out + 0.2), (-height - 0.3, 1.3))
    _legend(ax, ("input", "kernel", "output"))
    fig.tight_layout()
    return fig
