"""Pictures of the convolution's backward pass (chapter 5).

    reversed_kernel_1d          static: the reversed 1D kernel at each shift over the padded grad
    input_fan_out_animation     which output cells (and kernel taps) each input cell feeds
    rotated_kernel_animation    the 180-degree-rotated kernel sliding over the padded gradient,
                                with zeros inserted between gradient cells when stride > 1
    finite_difference_errors    error of a central difference against the step size, per dtype

Every number drawn is computed by the chapter (with ``solutions``) and passed in: these functions
only place and colour cells, so the pictures cannot disagree with the reference.
"""

import numpy as np
from matplotlib import pyplot as plt

from pictures.animation import animate
from pictures.grids import draw_grid, frame_cells, tidy
from pictures.legend import ROLE_COLOURS, legend_handles


def _fmt_number(value):
    """Short label for a cell: integers without a decimal point, others with two digits."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def reversed_kernel_1d(grad_out, weight, grad_input):
    """Draw the 1D input gradient as the reversed kernel slid over the (K-1)-padded gradient.

    Row 0 is ``grad_out`` with K-1 zeros of padding on each side; row t+1 places the reversed
    kernel ``weight[::-1]`` under the padded cells it multiplies to give ``grad_input[t]``.

    Args:
        grad_out: (T_out,) gradient of the loss with respect to the output.
        weight: (K,) kernel.
        grad_input: (T_out + K - 1,) the input gradient, computed by the caller.

    Returns:
        The matplotlib Figure.
    """
    grad_out, weight, grad_input = (
        np.asarray(a, dtype=float) for a in (grad_out, weight, grad_input)
    )
    kernel_size = weight.size
    if grad_input.size != grad_out.size + kernel_size - 1:
        raise ValueError(
            "reversed_kernel_1d: grad_input must have T_out + K - 1 cells "
            f"(grad_out.shape={grad_out.shape}, weight.shape={weight.shape}, "
            f"grad_input.shape={grad_input.shape})"
        )
    padded = np.pad(grad_out, kernel_size - 1)
    rows = grad_input.size
    fig, ax = plt.subplots(figsize=(0.62 * (padded.size + 6), 0.5 * (rows + 4)))
    draw_grid(
        ax,
        padded,
        role="gradient",
        padding=kernel_size - 1,
        fmt="{:g}",
        title="grad_out, padded with K-1 zeros on each side",
    )
    for t in range(rows):
        y0 = -1.4 - t * 1.15
        draw_grid(ax, weight[::-1], role="kernel", x0=t, y0=y0)
        ax.text(
            padded.size + 0.4,
            y0 - 0.5,
            f"grad_x[{t}] = {_fmt_number(grad_input[t])}",
            va="center",
            ha="left",
            color=ROLE_COLOURS["gradient"],
        )
    y_last = -1.4 - rows * 1.15 - 0.5
    draw_grid(
        ax,
        grad_input,
        role="gradient",
        x0=kernel_size - 1,
        y0=y_last,
        highlight=np.ones(rows, dtype=bool),
    )
    ax.text(kernel_size - 1.2, y_last - 0.5, "grad_x", ha="right", va="center")
    ax.legend(
        handles=legend_handles(("kernel", "gradient")),
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
    )
    tidy(ax, (-0.5, padded.size + 4.8), (y_last - 1.3, 1.3))
    fig.tight_layout()
    return fig


def input_fan_out_animation(input_size=(5, 5), kernel_size=(3, 3), cells=None, interval=900):
    """Animate, for each input cell in turn, the output cells it feeds and the kernel taps used.

    With stride 1 and no padding, input cell (p, q) reaches output cell (i, j) through tap
    (u, v) = (p - i, q - j) whenever that tap exists. Each highlighted output cell is labelled
    with its tap, so the kernel appears rotated by 180 degrees around the input cell.

    Args:
        input_size: (H, W) of the input drawn.
        kernel_size: (KH, KW).
        cells: the (p, q) input cells to show, one per frame; default every cell, row-major.

    Returns:
        HTML of the animation.
    """
    (height, width), (kernel_h, kernel_w) = input_size, kernel_size
    out_h, out_w = height - kernel_h + 1, width - kernel_w + 1
    if out_h < 1 or out_w < 1:
        raise ValueError(
            f"input_fan_out_animation: kernel_size={kernel_size} is larger than "
            f"input_size={input_size}"
        )
    if cells is None:
        cells = [divmod(k, width) for k in range(height * width)]
    kernel_x0 = width + 1.5
    output_x0 = kernel_x0 + kernel_w + 1.5
    fig, ax = plt.subplots(figsize=(0.62 * (output_x0 + out_w + 0.5), 0.62 * (height + 3)))

    def draw_frame(frame):
        ax.clear()
        p, q = cells[frame]
        input_mark = np.zeros((height, width), dtype=bool)
        input_mark[p, q] = True
        taps = np.zeros((kernel_h, kernel_w), dtype=bool)
        outputs = np.zeros((out_h, out_w), dtype=bool)
        for i in range(out_h):
            for j in range(out_w):
                u, v = p - i, q - j
                if 0 <= u < kernel_h and 0 <= v < kernel_w:
                    taps[u, v] = outputs[i, j] = True
        kernel_labels = [[f"w[{u},{v}]" for v in range(kernel_w)] for u in range(kernel_h)]
        # Each grid: (marked cells, role, left edge, title, label of a marked cell (r, c)).
        grids = [
            (input_mark, "input", 0, "input x", lambda r, c: f"x[{r},{c}]"),
            (taps, "kernel", kernel_x0, "kernel w", lambda r, c: kernel_labels[r][c]),
            (outputs, "output", output_x0, "output y", lambda r, c: kernel_labels[p - r][q - c]),
        ]
        for marked, role, x0, title, label in grids:
            draw_grid(ax, marked, role=role, x0=x0, highlight=marked, fmt=None, title=title)
            # The kernel's taps are all named; elsewhere only the marked cells are.
            for (r, c), is_marked in np.ndenumerate(marked):
                if is_marked or role == "kernel":
                    ax.text(
                        x0 + c + 0.5, -r - 0.5, label(r, c), ha="center", va="center", fontsize=7
                    )
        count = int(outputs.sum())
        ax.text(
            0,
            -height - 0.8,
            f"x[{p},{q}] feeds {count} output cell{'s' if count > 1 else ''}: "
            f"grad_x[{p},{q}] = sum over the green cells of grad_y[i,j] * (the tap written there)",
            ha="left",
            va="top",
            fontsize=9,
        )
        tidy(ax, (-0.3, output_x0 + out_w + 0.3), (-height - 1.8, 1.2))

    return animate(fig, draw_frame, frames=len(cells), interval=interval)


def _spread_and_pad(grad_out, kernel_size, stride):
    """The 2D gradient with stride-1 zeros inserted between cells and K-1 zeros around it.

    Returns:
        padded: (s(H_out-1)+1 + 2(KH-1), s(W_out-1)+1 + 2(KW-1)) array.
        inserted: boolean mask of the same shape, True on the inserted zeros.
    """
    out_h, out_w = grad_out.shape
    kernel_h, kernel_w = kernel_size
    spread = np.zeros((stride * (out_h - 1) + 1, stride * (out_w - 1) + 1))
    spread[::stride, ::stride] = grad_out
    inserted = np.ones(spread.shape, dtype=bool)
    inserted[::stride, ::stride] = False
    pad = ((kernel_h - 1, kernel_h - 1), (kernel_w - 1, kernel_w - 1))
    return np.pad(spread, pad), np.pad(inserted, pad)


def rotated_kernel_animation(grad_out, weight, grad_input, stride=1, steps=None, interval=800):
    """Animate the input gradient as the rotated kernel sliding over the padded gradient.

    The first frames build the sliding surface: ``grad_out`` as it is, then (for stride > 1)
    with ``stride - 1`` zeros inserted between neighbouring cells (dotted), then padded with
    K-1 zeros on each side (hatched). The next frames slide ``rot180(weight)`` over it and
    fill ``grad_input`` one cell at a time, row-major, for ``steps`` cells; a last frame then
    shows every cell (each frame costs build time, so long slides are cut short).

    Args:
        grad_out: (H_out, W_out) gradient of the loss with respect to the output.
        weight: (KH, KW) kernel of the forward convolution (drawn as given and rotated).
        grad_input: (H, W) input gradient computed by the caller; H must equal
            stride * (H_out - 1) + KH (the forward stride divides evenly), likewise W.
        stride: the forward convolution's stride.
        steps: number of cells slid one by one; default all of them.

    Returns:
        HTML of the animation.
    """
    grad_out, weight, grad_input = (
        np.asarray(a, dtype=float) for a in (grad_out, weight, grad_input)
    )
    kernel_h, kernel_w = weight.shape
    height, width = grad_input.shape
    out_h, out_w = grad_out.shape
    if (height, width) != (stride * (out_h - 1) + kernel_h, stride * (out_w - 1) + kernel_w):
        raise ValueError(
            "rotated_kernel_animation: grad_input.shape must be "
            "(stride*(H_out-1)+KH, stride*(W_out-1)+KW) = "
            f"{(stride * (out_h - 1) + kernel_h, stride * (out_w - 1) + kernel_w)}, got "
            f"{grad_input.shape} (grad_out.shape={grad_out.shape}, weight.shape={weight.shape}, "
            f"stride={stride})"
        )
    padded, inserted = _spread_and_pad(grad_out, weight.shape, stride)
    rotated = weight[::-1, ::-1]
    build_frames = 3 if stride > 1 else 2
    steps = height * width if steps is None else min(steps, height * width)
    kernel_x0 = padded.shape[1] + 1.5
    result_x0 = kernel_x0 + 2 * kernel_w + 2.5
    right_edge = result_x0 + width + 0.3
    fig, ax = plt.subplots(figsize=(0.45 * right_edge + 1.3, 0.45 * (padded.shape[0] + 3)))
    top_offset = kernel_h - 1  # grad_out drawn compact sits where it will sit after padding

    def draw_frame(frame):
        ax.clear()
        ax.legend(
            handles=legend_handles(("kernel", "gradient"), inserted=stride > 1),
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=8,
        )
        if frame == 0:
            draw_grid(
                ax, grad_out, role="gradient", x0=top_offset, y0=-top_offset, title="grad_out"
            )
        elif frame == 1 and stride > 1:
            spread = padded[top_offset:-top_offset, kernel_w - 1 : -(kernel_w - 1)]
            draw_grid(
                ax,
                spread,
                role="gradient",
                x0=top_offset,
                y0=-top_offset,
                inserted=inserted[top_offset:-top_offset, kernel_w - 1 : -(kernel_w - 1)],
                title=f"stride {stride}: {stride - 1} zero(s) between cells",
            )
        else:
            draw_grid(
                ax,
                padded,
                role="gradient",
                padding=kernel_h - 1,
                inserted=inserted,
                title=f"padded with K-1 = {kernel_h - 1} zeros",
            )
        draw_grid(ax, weight, role="kernel", x0=kernel_x0, title="w")
        draw_grid(
            ax,
            rotated,
            role="kernel",
            x0=kernel_x0 + kernel_w + 1,
            title="rot180(w)",
            highlight=np.ones_like(rotated, dtype=bool),
        )
        done = frame - build_frames + 1  # cells of grad_input already computed
        if done > steps:  # the closing frame: every cell, no window
            done = height * width
        shown = np.zeros(height * width, dtype=bool)
        shown[: max(done, 0)] = True
        shown = shown.reshape(height, width)
        current = np.zeros_like(shown)
        if 0 < done <= steps:
            p, q = divmod(done - 1, width)
            current[p, q] = True
            frame_cells(ax, 0, 0, p, q, kernel_h, kernel_w, role="kernel")
            ax.text(
                0,
                -padded.shape[0] - 0.6,
                f"grad_x[{p},{q}] = sum(window * rot180(w)) = {_fmt_number(grad_input[p, q])}",
                ha="left",
                va="top",
                color=ROLE_COLOURS["gradient"],
            )
        elif done == height * width:
            ax.text(
                0,
                -padded.shape[0] - 0.6,
                "every cell: the same sum, with the window at that cell's position",
                ha="left",
                va="top",
                color=ROLE_COLOURS["gradient"],
            )
        cells = draw_grid(
            ax,
            grad_input,
            role="gradient",
            x0=result_x0,
            highlight=current,
            fmt="{:g}",
            title="grad_x",
        )
        for (r, c), visible in np.ndenumerate(shown):
            # Text artists come after each cell's patches; hide the numbers not yet computed.
            if not visible:
                cells[_text_index(r, c, width)].set_visible(False)
        tidy(ax, (-0.3, right_edge), (-padded.shape[0] - 1.6, 1.2))

    frames = build_frames + steps + (steps < height * width)
    return animate(fig, draw_frame, frames=frames, interval=interval)


def _text_index(row, col, width):
    """Index of cell (row, col)'s number among the artists ``draw_grid`` returns (no padding).

    ``draw_grid`` appends, per plain cell, the fill patch, the crisp edge and then the text.
    """
    return 3 * (row * width + col) + 2


def finite_difference_errors(steps, errors_by_dtype):
    """Plot the error of a central difference against its step, one line per dtype.

    Args:
        steps: (S,) step sizes eps.
        errors_by_dtype: dict name -> (S,) largest absolute error against the exact gradient.

    Returns:
        The matplotlib Figure.
    """
    colours = {"float64": ROLE_COLOURS["input"], "float32": ROLE_COLOURS["gradient"]}
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for name, errors in errors_by_dtype.items():
        ax.loglog(steps, errors, "o-", color=colours.get(name), label=name)
    ax.set_xlabel("step eps of the central difference")
    ax.set_ylabel("largest |numerical - exact|")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def convolution_matrix(matrix):
    """Draw a convolution's matrix A and its transpose, nonzero entries filled and numbered.

    Row r of A holds the weights that output cell r applies to each input cell (columns), so
    ``vec(y) = A vec(x)``; the input gradient multiplies by the transpose, ``A.T vec(g)``.

    Args:
        matrix: (outputs, inputs) array, A, built by the caller from the forward pass.

    Returns:
        The matplotlib Figure.
    """
    matrix = np.asarray(matrix, dtype=float)
    rows, cols = matrix.shape
    gap = 3
    fig, ax = plt.subplots(figsize=(0.24 * (cols + rows + gap), 0.24 * (cols + 3)))
    for x0, values, title in [
        (0, matrix, "A: forward, vec(y) = A vec(x)"),
        (cols + gap, matrix.T, "A.T: backward, vec(grad_x) = A.T vec(g)"),
    ]:
        nonzero = values != 0
        draw_grid(ax, values, role="kernel", x0=x0, highlight=nonzero, fmt=None, title=title)
        for (r, c), value in np.ndenumerate(values):
            if nonzero[r, c]:
                ax.text(x0 + c + 0.5, -r - 0.5, f"{value:g}", ha="center", va="center", fontsize=6)
    tidy(ax, (-0.3, cols + gap + rows + 0.3), (-cols - 0.3, 1.5))
    fig.tight_layout()
    return fig
