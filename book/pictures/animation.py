"""Animations that play in the static HTML page, with no server and no external script.

``FuncAnimation.to_jshtml`` embeds every frame as a PNG inside a self-contained HTML snippet with
its own play/pause/step buttons, so the animation works offline in the built book. The snippet
also links Font Awesome 4 from a CDN for the button icons; that link is removed, because the
book's theme already ships Font Awesome (with the same icon names) and pages must not reach out.
"""

import re

import matplotlib
from IPython.display import HTML
from matplotlib import pyplot as plt
from matplotlib.animation import FuncAnimation

# <link ... href="https://..."> tags of the to_jshtml snippet (the CDN stylesheet of its icons).
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=[\"'](?:https?:)?//[^>]*>\s*", re.IGNORECASE)

# A chapter's animations stay well below this; the limit only guards against a runaway frame count.
matplotlib.rcParams["animation.embed_limit"] = 40  # MB


def animate(fig, draw_frame, frames, interval=700):
    """Build an animation that calls ``draw_frame(i)`` for i in range(frames) and return its HTML.

    ``draw_frame`` redraws the figure for frame ``i`` (it may clear and redraw the axes). The
    figure is closed afterwards so the notebook does not also show it as a still image.
    """
    anim = FuncAnimation(fig, draw_frame, frames=frames, interval=interval, blit=False)
    html = HTML(without_remote_links(anim.to_jshtml(default_mode="once")))
    plt.close(fig)
    return html


def without_remote_links(html):
    """``html`` with every <link> to another host removed (the page must work offline)."""
    return _REMOTE_LINK.sub("", html)
