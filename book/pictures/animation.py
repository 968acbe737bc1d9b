"""Animations that play in the static HTML page, with no server and no external script.

``FuncAnimation.to_jshtml`` embeds every frame as a PNG inside a self-contained HTML snippet with
its own play/pause/step buttons, so the animation works offline in the built book.
"""

import matplotlib
from IPython.display import HTML
from matplotlib import pyplot as plt
from matplotlib.animation import FuncAnimation

# A chapter's animations stay well below this; the limit only guards against a runaway frame count.
matplotlib.rcParams["animation.embed_limit"] = 40  # MB


def animate(fig, draw_frame, frames, interval=700):
    """Build an animation that calls ``draw_frame(i)`` for i in range(frames) and return its HTML.

    ``draw_frame`` redraws the figure for frame ``i`` (it may clear and redraw the axes). The
    figure is closed afterwards so the notebook does not also show it as a still image.
    """
    anim = FuncAnimation(fig, draw_frame, frames=frames, interval=interval, blit=False)
    html = HTML(anim.to_jshtml(default_mode="once"))
    plt.close(fig)
    return html
