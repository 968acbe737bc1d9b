"""Training results of chapter 7: the saved runs as a table and as curves.

    load_runs        every results/train/*.json, sorted by dataset and model
    runs_table       an HTML table of the runs beside the published numbers
    plot_histories   test accuracy and train loss per epoch, one line per run

Each run file is written by ``python -m training --dataset ... --model ...`` and holds dataset,
model, epochs, command, test_accuracy, wall_time_s, images_per_s and a per-epoch history.
"""

import html
import json
from pathlib import Path

from matplotlib import pyplot as plt

# Okabe-Ito colours beyond the four roles, so up to eight runs stay distinguishable.
RUN_COLOURS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
]


def run_name(run):
    """'mnist1d-cnn', 'mnist1d-cnn-shuffled', 'digits-cnn-n1000-seed2': the stem of its JSON file.

    Runs saved before the training command recorded ``name`` get it rebuilt from their settings.
    """
    if "name" in run:
        return run["name"]
    return f"{run['dataset']}-{run['model']}" + ("-shuffled" if run.get("shuffle_sequence") else "")


def load_runs(directory):
    """Read every ``<dataset>-<model>[-shuffled].json`` in ``directory``.

    Returns:
        list of dicts (the JSON contents), sorted by file name; empty if there are none.
    """
    return [json.loads(path.read_text()) for path in sorted(Path(directory).glob("*.json"))]


def _published_text(low, high, source):
    """'94% (MNIST-1D paper)' or '87.6-91.6% (...)' for a published accuracy or range."""
    value = f"{100 * low:g}%" if low == high else f"{100 * low:g}-{100 * high:g}%"
    return f"{value} ({source})"


def _difference_points(accuracy, low, high):
    """Percentage points above the published range (+), below it (-), or 0 inside it."""
    if accuracy > high:
        return 100 * (accuracy - high)
    if accuracy < low:
        return 100 * (accuracy - low)
    return 0.0


def runs_table(runs, published):
    """HTML table: one row per run, with the published accuracy for the same setting.

    Args:
        runs: dicts from ``load_runs``.
        published: dict run name -> (low, high, source): the published test accuracy (a range
            when low < high) and where it comes from. Runs without an entry show blanks.

    Returns:
        str of HTML. The "vs published" column is the run's accuracy minus the published range,
        in percentage points (0.0 inside the range).
    """
    header = [
        "run",
        "epochs",
        "test accuracy",
        "published",
        "vs published",
        "wall time (s)",
        "images/s",
        "command",
    ]
    rows = []
    for run in runs:
        name, accuracy = run_name(run), run["test_accuracy"]
        reference, difference = "", ""
        if name in published:
            low, high, source = published[name]
            reference = _published_text(low, high, source)
            difference = f"{_difference_points(accuracy, low, high):+.1f} points"
        cells = [
            name,
            str(run["epochs"]),
            f"{100 * accuracy:.1f}%",
            html.escape(reference),
            difference,
            f"{run['wall_time_s']:.1f}",
            f"{run['images_per_s']:,.0f}",
            f"<code>{html.escape(run['command'])}</code>",
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    head = "<tr>" + "".join(f"<th>{html.escape(name)}</th>" for name in header) + "</tr>"
    return f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"


def plot_histories(histories):
    """Two panels: test accuracy and train loss against the epoch, one line per run.

    Args:
        histories: dict label -> history dict with lists epoch, train_loss, test_accuracy.

    Returns:
        The matplotlib Figure.
    """
    fig, (ax_accuracy, ax_loss) = plt.subplots(1, 2, figsize=(11, 3.8))
    for colour, (label, history) in zip(RUN_COLOURS, histories.items(), strict=False):
        ax_accuracy.plot(history["epoch"], history["test_accuracy"], color=colour, label=label)
        ax_loss.plot(history["epoch"], history["train_loss"], color=colour, label=label)
    ax_accuracy.set_ylabel("test accuracy")
    ax_loss.set_ylabel("train loss (mean NLL)")
    ax_loss.set_yscale("log")
    for ax in (ax_accuracy, ax_loss):
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
    ax_loss.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.tight_layout()
    return fig
