"""The one colour legend of the book (Okabe-Ito, safe for colour-blind readers).

Every picture uses these roles, so a learner who has seen one figure can read the next:
input cells are blue, kernel cells orange, output cells green, gradient cells red; padding
cells are hatched grey; zeros inserted between gradient cells for stride > 1 are dotted.
"""

from matplotlib.patches import Patch

ROLE_COLOURS = {
    "input": "#0072B2",
    "kernel": "#E69F00",
    "output": "#009E73",
    "gradient": "#D55E00",
}
"""Edge colour and (at low alpha) fill colour of each role."""

FILL_ALPHA = 0.22
HIGHLIGHT_ALPHA = 0.65
PADDING_HATCH = "///"
PADDING_COLOUR = "#9a9a9a"
INSERTED_ZERO_STYLE = {"linestyle": ":", "edgecolor": "#555555"}


def legend_handles(roles=("input", "kernel", "output", "gradient"), padding=True, inserted=False):
    """Patches for ``ax.legend(handles=...)`` naming each role shown in a figure."""
    handles = [
        Patch(facecolor=ROLE_COLOURS[r], alpha=0.5, edgecolor=ROLE_COLOURS[r], label=r)
        for r in roles
    ]
    if padding:
        handles.append(
            Patch(facecolor="white", edgecolor=PADDING_COLOUR, hatch=PADDING_HATCH, label="padding")
        )
    if inserted:
        handles.append(Patch(facecolor="white", label="inserted zero", **INSERTED_ZERO_STYLE))
    return handles
