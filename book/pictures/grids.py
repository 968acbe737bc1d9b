"""Draw arrays as grids of labelled cells.

A 1D array of length T is drawn as one row of T cells; a 2D array (H, W) as H rows of W cells.
Cell (r, c) occupies the unit square whose lower-left corner is (x0 + c, y0 - r - 1), so rows
grow downward like the array's index, and several arrays can share one axes side by side.
"""

import numpy as np
from matplotlib.patches import Rectangle

from pictures.legend import (
    FILL_ALPHA,
    HIGHLIGHT_ALPHA,
    INSERTED_ZERO_STYLE,
    PADDING_COLOUR,
    PADDING_HATCH,
    ROLE_COLOURS,
)


def _as_2d(values):
    values = np.asarray(values)
    if values.ndim == 1:
        return values[None, :]
    if values.ndim != 2:
        raise ValueError(f"draw_grid: values must be 1D or 2D, got shape {values.shape}")
    return values


def draw_grid(
    ax,
    values,
    role="input",
    x0=0.0,
    y0=0.0,
    padding=0,
    highlight=None,
    inserted=None,
    fmt="{:g}",
    title=None,
    fontsize=10,
):
    """Draw ``values`` as cells in the colour of ``role`` and return the list of artists.

    Args:
        ax: a matplotlib Axes.
        values: array of shape (T,) or (H, W); numbers are written in the cells (``fmt=None``
            leaves them blank).
        role: "input", "kernel", "output" or "gradient".
        x0, y0: top-left corner of the grid in data coordinates.
        padding: this many outer rings (columns only, for 1D) are padding cells: hatched grey.
        highlight: boolean mask of ``values``' shape; True cells are filled strongly.
        inserted: boolean mask; True cells are zeros inserted for stride > 1 (dotted edge).
        title: text written above the grid.
    """
    grid = _as_2d(values)
    rows, cols = grid.shape
    highlight = None if highlight is None else _as_2d(highlight)
    inserted = None if inserted is None else _as_2d(inserted)
    colour = ROLE_COLOURS[role]
    one_dimensional = np.asarray(values).ndim == 1
    artists = []
    for r in range(rows):
        for c in range(cols):
            in_padding = padding > 0 and (
                c < padding
                or c >= cols - padding
                or (not one_dimensional and (r < padding or r >= rows - padding))
            )
            x, y = x0 + c, y0 - r - 1
            if in_padding:
                patch = Rectangle(
                    (x, y), 1, 1, facecolor="white", edgecolor=PADDING_COLOUR, hatch=PADDING_HATCH
                )
            elif inserted is not None and inserted[r, c]:
                patch = Rectangle((x, y), 1, 1, facecolor="white", **INSERTED_ZERO_STYLE)
            else:
                strong = highlight is not None and highlight[r, c]
                patch = Rectangle(
                    (x, y),
                    1,
                    1,
                    facecolor=colour,
                    alpha=HIGHLIGHT_ALPHA if strong else FILL_ALPHA,
                    edgecolor=colour,
                )
            ax.add_patch(patch)
            artists.append(patch)
            # The edge is drawn again without alpha so that faint cells keep a crisp outline.
            if not in_padding and not (inserted is not None and inserted[r, c]):
                edge = Rectangle((x, y), 1, 1, fill=False, edgecolor=colour, linewidth=1.0)
                ax.add_patch(edge)
                artists.append(edge)
            if fmt is not None:
                text = ax.text(
                    x + 0.5, y + 0.5, fmt.format(grid[r, c]), ha="center", va="center",
                    fontsize=fontsize,
                )
                artists.append(text)
    if title is not None:
        artists.append(ax.text(x0 + cols / 2, y0 + 0.3, title, ha="center", va="bottom"))
    return artists


def frame_cells(ax, x0, y0, row, col, height=1, width=1, role="kernel", linewidth=3.0):
    """Draw a thick frame around a block of cells of a grid drawn at (x0, y0); return the patch.

    Used for the sliding window: ``row, col`` is the block's top-left cell, ``height, width``
    its size in cells.
    """
    patch = Rectangle(
        (x0 + col, y0 - row - height),
        width,
        height,
        fill=False,
        edgecolor=ROLE_COLOURS[role],
        linewidth=linewidth,
    )
    ax.add_patch(patch)
    return patch


def tidy(ax, xlim, ylim):
    """Equal aspect, no ticks, fixed limits: the look shared by every grid figure."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
