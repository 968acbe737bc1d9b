"""The 1D sliding window and the unrolled matrix it fills, as still figures and an animation.

Chapter 1 (one channel): a kernel of length K slides along x (T,), reading zeros past the right
edge; window i is copied into row i of the unrolled (T, K) matrix, and ``out[i]`` is that row
times the kernel. Chapter 2 (channels): windows of x (C, T) become rows of a (T_out, C * K)
matrix, and all O output channels come out of one product with the (C * K, O) reshaped weight.

The numbers drawn come from the reference package (``solutions``), so a figure always shows what
the code computes.
"""

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.patches import Rectangle

from pictures.animation import animate
from pictures.grids import draw_grid, frame_cells, tidy
from pictures.legend import PADDING_COLOUR, PADDING_HATCH, legend_handles
from solutions import unroll_1d, unroll_2d

# Vertical gap (in cells) between the input row(s) and the matrix equation below them.
_BLOCK_GAP = 1.6
_EMPTY_EDGE = "#c8c8c8"
# Inches per cell, and cells kept free on the right of a 1D figure for its legend.
_CELL_INCHES = 0.42
_LEGEND_WIDTH = 4.0


def _blank_cells(ax, x0, y0, rows, cols):
    """Outline ``rows`` x ``cols`` empty cells (a matrix row not computed yet)."""
    for r in range(rows):
        for c in range(cols):
            ax.add_patch(
                Rectangle((x0 + c, y0 - r - 1), 1, 1, fill=False, edgecolor=_EMPTY_EDGE, lw=0.8)
            )


def _hatch_cells(ax, x0, y0, mask):
    """Hatch the cells where ``mask`` (rows, cols) is True: values read from past the edge."""
    for r, c in zip(*np.nonzero(mask), strict=True):
        ax.add_patch(
            Rectangle(
                (x0 + c, y0 - r - 1),
                1,
                1,
                fill=False,
                edgecolor=PADDING_COLOUR,
                hatch=PADDING_HATCH,
                lw=0.0,
            )
        )


def _window_sum_text(weight, window, result):
    """'5·3 + 2·4 + 3·5 = 38' for one output value."""
    terms = " + ".join(f"{w:g}·{v:g}" for w, v in zip(weight, window, strict=True))
    return f"{terms} = {result:g}"


def draw_unroll_1d(ax, x, weight, step=None):
    """Draw x with the kernel at window ``step`` and the matrix product unroll_1d(x, K) @ weight.

    Args:
        ax: a matplotlib Axes (cleared by the caller between animation frames).
        x: (T,) input signal.
        weight: (K,) kernel.
        step: index of the current window; rows after it are still empty. ``None`` draws the
            finished product with no window.

    Returns:
        (xlim, ylim) that frame everything drawn, for ``pictures.grids.tidy``.
    """
    x, weight = np.asarray(x), np.asarray(weight)
    length, kernel_size = x.shape[0], weight.shape[0]
    unrolled = unroll_1d(x, kernel_size)
    out = unrolled @ weight
    filled = length if step is None else step + 1

    # Top: the signal, then its implicit zeros past the right edge (hatched, like padding).
    draw_grid(ax, x, "input", x0=0, y0=0, title="x")
    draw_grid(ax, np.zeros(kernel_size - 1), "input", x0=length, y0=0, padding=kernel_size - 1)
    if step is not None:
        frame_cells(ax, 0, 0, 0, step, width=kernel_size, role="kernel")
        draw_grid(ax, weight, "kernel", x0=step, y0=-1.25)

    # Bottom: unrolled (T, K) @ weight (K, 1) = out (T, 1), filled row by row.
    top = _unroll_1d_top()
    row_mask = np.arange(length)[:, None] == (-1 if step is None else step)
    draw_grid(
        ax,
        unrolled[:filled],
        "input",
        x0=0,
        y0=top,
        highlight=np.broadcast_to(row_mask[:filled], (filled, kernel_size)),
        title=f"unroll_1d(x, {kernel_size})",
    )
    _blank_cells(ax, 0, top - filled, length - filled, kernel_size)
    past_edge = np.arange(length)[:, None] + np.arange(kernel_size)[None, :] >= length
    _hatch_cells(ax, 0, top, past_edge[:filled])

    weight_x0 = kernel_size + 1.0
    ax.text(kernel_size + 0.5, top - length / 2, "@", ha="center", va="center", fontsize=14)
    draw_grid(ax, weight[:, None], "kernel", x0=weight_x0, y0=top, title="weight")
    out_x0 = weight_x0 + 2.0
    ax.text(weight_x0 + 1.5, top - length / 2, "=", ha="center", va="center", fontsize=14)
    draw_grid(
        ax,
        out[:filled, None],
        "output",
        x0=out_x0,
        y0=top,
        highlight=row_mask[:filled],
        title="out",
    )
    _blank_cells(ax, out_x0, top - filled, length - filled, 1)

    xlim, ylim = unroll_1d_limits(length, kernel_size)
    if step is not None:
        caption = f"out[{step}] = " + _window_sum_text(weight, unrolled[step], out[step])
        ax.text(0, top - length - 0.5, caption, ha="left", va="top", fontsize=11)
    return xlim, ylim


def _unroll_1d_top():
    """y of the matrix equation's top edge: below the signal row and the kernel row."""
    return -2.25 - _BLOCK_GAP


def unroll_1d_limits(length, kernel_size):
    """(xlim, ylim) of :func:`draw_unroll_1d` for a (T,) signal and a (K,) kernel.

    The limits depend on the shapes only, so every animation frame has the same layout; the
    right margin leaves room for the legend.
    """
    width = max(length + kernel_size - 1, kernel_size + 4.0) + _LEGEND_WIDTH
    return (-0.3, width), (_unroll_1d_top() - length - 1.6, 0.9)


def _figure_for(xlim, ylim, dpi=None):
    """A figure whose size gives every cell the same size on the page, whatever the shapes."""
    size = ((xlim[1] - xlim[0]) * _CELL_INCHES, (ylim[1] - ylim[0]) * _CELL_INCHES)
    return plt.subplots(figsize=size, dpi=dpi)


def _add_legend(ax):
    ax.legend(
        handles=legend_handles(("input", "kernel", "output"), padding=True),
        loc="upper right",
        fontsize=9,
        frameon=False,
    )


def unroll_1d_figure(x, weight, step=None):
    """A still figure of :func:`draw_unroll_1d` with the legend; returns the Figure."""
    x, weight = np.asarray(x), np.asarray(weight)
    xlim, ylim = unroll_1d_limits(x.shape[0], weight.shape[0])
    fig, ax = _figure_for(xlim, ylim)
    draw_unroll_1d(ax, x, weight, step)
    tidy(ax, xlim, ylim)
    _add_legend(ax)
    fig.subplots_adjust(0, 0, 1, 1)
    return fig


def unroll_1d_animation(x, weight, interval=1100, dpi=100):
    """Animate the window sliding along x while the unrolled matrix fills row by row.

    Args:
        x: (T,) input signal; one frame per output value.
        weight: (K,) kernel.

    Returns:
        IPython HTML with the frames and play/step controls (works offline in the built book).
    """
    x, weight = np.asarray(x), np.asarray(weight)
    xlim, ylim = unroll_1d_limits(x.shape[0], weight.shape[0])
    fig, ax = _figure_for(xlim, ylim, dpi=dpi)
    fig.subplots_adjust(0, 0, 1, 1)

    def draw_frame(step):
        ax.clear()
        draw_unroll_1d(ax, x, weight, step)
        tidy(ax, xlim, ylim)
        _add_legend(ax)

    return animate(fig, draw_frame, frames=x.shape[0], interval=interval)


def multichannel_unroll(x, kernel_size):
    """Unroll a (C, T) signal into its (T - K + 1, C * K) window matrix, columns ordered (C, K).

    A 1D signal is a 2D image of height 1, so this is ``unroll_2d`` with a (1, K) kernel; its
    column order (C, KH, KW) becomes (C, K), the order of ``weight.reshape(O, C * K)``.
    """
    x = np.asarray(x)
    return unroll_2d(x[None, :, None, :], (1, kernel_size))[0]


def draw_multichannel_unroll(ax, x, weight, position=0):
    """Draw windows of x (C, T) as rows of U (T_out, C*K), and U @ W.T = out.T (T_out, O).

    Args:
        ax: a matplotlib Axes.
        x: (C, T) input, one row per channel.
        weight: (O, C, K) kernels.
        position: the window framed on x and highlighted in U and in the output.

    Returns:
        (xlim, ylim) for ``pictures.grids.tidy``.
    """
    x, weight = np.asarray(x), np.asarray(weight)
    channels, length = x.shape
    out_channels, _, kernel_size = weight.shape
    unrolled = multichannel_unroll(x, kernel_size)
    weight_matrix = weight.reshape(out_channels, channels * kernel_size)
    out_t = unrolled @ weight_matrix.T
    rows = unrolled.shape[0]

    draw_grid(ax, x, "input", x0=0, y0=0, title="x  (C rows, T columns)")
    for c in range(channels):
        ax.text(-0.3, -c - 0.5, f"c={c}", ha="right", va="center", fontsize=9)
    frame_cells(ax, 0, 0, 0, position, height=channels, width=kernel_size, role="kernel")

    top = -channels - _BLOCK_GAP
    row_mask = np.broadcast_to((np.arange(rows) == position)[:, None], unrolled.shape)
    draw_grid(ax, unrolled, "input", x0=0, y0=top, highlight=row_mask, title="U = unroll(x)")
    for c in range(1, channels):  # separate the channel groups of columns
        ax.plot([c * kernel_size] * 2, [top, top - rows], color="black", lw=2)
    for c in range(channels):
        ax.text(
            (c + 0.5) * kernel_size,
            top - rows - 0.4,
            f"channel {c}",
            ha="center",
            va="top",
            fontsize=9,
        )

    cols = channels * kernel_size
    ax.text(cols + 0.5, top - rows / 2, "@", ha="center", va="center", fontsize=14)
    weight_x0 = cols + 1.0
    draw_grid(ax, weight_matrix.T, "kernel", x0=weight_x0, y0=top, title="W.T")
    for c in range(1, channels):
        ax.plot(
            [weight_x0, weight_x0 + out_channels],
            [top - c * kernel_size] * 2,
            color="black",
            lw=2,
        )
    out_x0 = weight_x0 + out_channels + 1.0
    ax.text(out_x0 - 0.5, top - rows / 2, "=", ha="center", va="center", fontsize=14)
    out_mask = np.broadcast_to((np.arange(rows) == position)[:, None], out_t.shape)
    draw_grid(ax, out_t, "output", x0=out_x0, y0=top, highlight=out_mask, title="out.T")

    return multichannel_unroll_limits(x.shape, weight.shape)


def multichannel_unroll_limits(x_shape, weight_shape):
    """(xlim, ylim) of :func:`draw_multichannel_unroll` for x (C, T) and weight (O, C, K)."""
    channels, length = x_shape
    out_channels, _, kernel_size = weight_shape
    cols = channels * kernel_size
    width = max(length, cols + 2 * out_channels + 2.0)
    rows = max(length - kernel_size + 1, cols)
    return (-1.2, width + 0.3), (-channels - _BLOCK_GAP - rows - 1.0, 0.9)


def multichannel_unroll_figure(x, weight, position=0):
    """A still figure of :func:`draw_multichannel_unroll`; returns the Figure."""
    x, weight = np.asarray(x), np.asarray(weight)
    xlim, ylim = multichannel_unroll_limits(x.shape, weight.shape)
    fig, ax = _figure_for(xlim, ylim)
    draw_multichannel_unroll(ax, x, weight, position)
    tidy(ax, xlim, ylim)
    fig.subplots_adjust(0, 0, 1, 1)
    return fig
