"""Plots for chapter 8: how fast and how memory-hungry each way of computing a convolution is.

The methods are ``solutions.fast.methods``; the numbers come from ``bench/conv_methods.py``, which
times them (saved in results/bench/conv_methods.json), or from the chapter's own tiny live
timings; these functions only draw them.

The methods are lines, not array roles, so they get colours *outside* the book's role legend
(blue input, orange kernel, green output, red gradient) plus a marker each: a method line is never
mistaken for a role.

    sweep_figure    one panel per sweep (image size, kernel size, channels): time or GFLOP/s
    memory_figure   peak memory per method against kernel size, with the input's own size
    live_figure     bar chart of the chapter's live timings
"""

from matplotlib import pyplot as plt

METHOD_STYLES = {
    "loops": {"color": "#777777", "marker": "x", "linestyle": ":", "label": "Python loops"},
    "pixel_loop": {
        "color": "#000000",
        "marker": "s",
        "linestyle": "--",
        "label": "loop over pixels",
    },
    "shift_accumulate": {
        "color": "#56B4E9",
        "marker": "^",
        "linestyle": "-",
        "label": "shift-and-accumulate",
    },
    "im2col": {"color": "#CC79A7", "marker": "o", "linestyle": "-", "label": "im2col + GEMM"},
    "fft": {"color": "#B59A00", "marker": "D", "linestyle": "-.", "label": "FFT"},
}

SWEEPS = {
    "image size": ("H", "image height = width", "log"),
    "kernel size": ("K", "kernel size K (K × K)", "linear"),
    "channels": ("C", "channels C = O", "log"),
}
"""Sweep name -> (the record key that varies, axis label, x scale)."""

METRICS = {
    "median_s": ("median time (s)", "log"),
    "gflops": ("useful GFLOP/s", "linear"),
}


def _by_method(records, sweep):
    lines = {}
    for record in records:
        if record["sweep"] == sweep:
            lines.setdefault(record["method"], []).append(record)
    return lines


def _title(records, sweep):
    first = next(r for r in records if r["sweep"] == sweep)
    fixed = {
        "image size": f"N={first['N']}, C=O={first['C']}, K={first['K']}",
        "kernel size": f"N={first['N']}, C=O={first['C']}, {first['H']}×{first['W']}",
        "channels": f"N={first['N']}, {first['H']}×{first['W']}, K={first['K']}",
    }
    return f"{sweep} ({fixed[sweep]})"


def sweep_figure(records, metric="median_s"):
    """One panel per sweep, one line per method.

    Args:
        records: list of dicts as saved by bench/conv_methods.py (keys sweep, method, N, C, O,
            H, W, K, median_s, gflops, ...).
        metric: "median_s" (log scale) or "gflops".

    Returns:
        matplotlib Figure.
    """
    ylabel, yscale = METRICS[metric]
    sweeps = [s for s in SWEEPS if any(r["sweep"] == s for r in records)]
    fig, axes = plt.subplots(1, len(sweeps), figsize=(4.2 * len(sweeps), 3.6), squeeze=False)
    for ax, sweep in zip(axes[0], sweeps, strict=True):
        key, xlabel, xscale = SWEEPS[sweep]
        for method, rows in _by_method(records, sweep).items():
            ax.plot([r[key] for r in rows], [r[metric] for r in rows], **METHOD_STYLES[method])
        if xscale == "log":
            ax.set_xscale("log", base=2)
        ax.set_yscale(yscale)
        ax.set_xlabel(xlabel)
        ax.set_title(_title(records, sweep), fontsize=10)
        ax.grid(True, which="major", alpha=0.3)
    axes[0][0].set_ylabel(ylabel)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def memory_figure(records, sweep="kernel size"):
    """Peak bytes allocated by each method along one sweep, with the input's size for scale.

    Returns:
        matplotlib Figure.
    """
    key, xlabel, _ = SWEEPS[sweep]
    lines = _by_method(records, sweep)
    fig, ax = plt.subplots(figsize=(6.0, 3.8))
    for method, rows in lines.items():
        ax.plot(
            [r[key] for r in rows], [r["peak_bytes"] / 1e6 for r in rows], **METHOD_STYLES[method]
        )
    rows = next(iter(lines.values()))
    ax.plot(
        [r[key] for r in rows],
        [r["input_bytes"] / 1e6 for r in rows],
        color="#0072B2",
        linewidth=4,
        alpha=0.35,
        label="the input itself",
    )
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("peak memory during one call (MB)")
    ax.set_title(_title(records, sweep), fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def live_figure(seconds_by_method, title):
    """Horizontal bars, log scale: the chapter's live median time per method.

    Args:
        seconds_by_method: dict method name -> median seconds.
        title: the shape timed.
    """
    names = list(seconds_by_method)
    fig, ax = plt.subplots(figsize=(6.0, 0.45 * len(names) + 1.2))
    for row, name in enumerate(names):
        style = METHOD_STYLES[name]
        ax.barh(row, seconds_by_method[name] * 1e3, color=style["color"], alpha=0.8)
    ax.set_yticks(range(len(names)), [METHOD_STYLES[n]["label"] for n in names])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("median time (ms), log scale")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
