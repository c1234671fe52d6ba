"""The look of every explorer in one place: the colour-blind-safe palette and the presentation theme.

PALETTE is Okabe and Ito's eight colours (Color Universal Design, 2008), chosen to stay apart under
the common colour-vision deficiencies; COLORS gives them the roles explorers use. Explorers take
every colour from here, and every distinction colour carries is also carried by a marker, a line
style or a label.

The presentation theme is for a projector (1280x720, the back of a room): it is on when the
environment variable TNN_PRESENT is "1" (`make present` sets it for Voila) or after
`widgets.present(True)` in a notebook (explorers built afterwards use it). It enlarges every text of
the figure so that it is at least MIN_TEXT_PX tall at the size the image is displayed, thickens lines
and markers, and lets the image fill the page's width. The default theme is unchanged.
"""
import os

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.text import Text

PALETTE = {"black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
           "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7"}
COLORS = {"train": PALETTE["blue"], "val": PALETTE["orange"], "bad": PALETTE["vermillion"],
          "good": PALETTE["bluish green"], "ref": "#555555", "extra": PALETTE["reddish purple"],
          "light": PALETTE["sky blue"]}

MIN_TEXT_PX = 18          # the smallest text, in displayed pixels, in the presentation theme
VIEWPORT = (1280, 720)    # the projector
PAGE_MARGIN_PX = 100      # Voila's and Lab's padding around an output at that width (measured in Chromium)

_present = None  # None: follow TNN_PRESENT; True/False: set by present()


def present(on=True):
    """Switch the presentation theme on (or off) for explorers built from now on: `widgets.present(True)`
    in a notebook cell. None: follow the environment variable TNN_PRESENT again."""
    global _present
    _present = None if on is None else bool(on)


def presenting():
    """Is the presentation theme on? present() wins over the environment variable TNN_PRESENT."""
    return _present if _present is not None else os.environ.get("TNN_PRESENT", "") == "1"


def displayed_width(fig_width_px, presentation, viewport_width=VIEWPORT[0]):
    """The width in px at which the explorer's image is shown in a page of that viewport width: it fills
    the width in the presentation theme, and is at most its rendered width otherwise."""
    room = viewport_width - PAGE_MARGIN_PX
    return room if presentation else min(room, fig_width_px)


def _texts(fig):
    """Every text a draw puts on the picture (visible, non-empty), tick labels included."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
            and (t.axes is None or t.axes.get_visible())]


def smallest_text_px(fig, presentation, viewport_width=VIEWPORT[0]):
    """The height in displayed px of the smallest text in the figure: font size pt x dpi / 72 x
    displayed width / rendered width. The figure must have been drawn (tick labels exist then)."""
    rendered = fig.get_figwidth() * fig.dpi
    shown = displayed_width(rendered, presentation, viewport_width)
    sizes = [t.get_fontsize() for t in _texts(fig)]
    return min(sizes) * fig.dpi / 72 * shown / rendered if sizes else float("inf")


def apply_presentation(fig, viewport_width=VIEWPORT[0]):
    """Enlarge every text of a built figure to MIN_TEXT_PX displayed px and thicken its lines, then lay
    it out again. Called once by the base after the figure is built; cheap (no redraw per frame)."""
    rendered = fig.get_figwidth() * fig.dpi
    scale = displayed_width(rendered, True, viewport_width) / rendered
    points = float(np.ceil(MIN_TEXT_PX * 72 / (fig.dpi * scale) * 10) / 10)
    for ax in fig.axes:
        ax.tick_params(labelsize=max(points, 1.0))
    for text in fig.findobj(Text):
        if text.get_fontsize() < points:
            text.set_fontsize(points)
    for ax in fig.axes:  # a title or note that the larger size pushes past the figure's edge breaks at a space
        for text in (ax.title, *ax.texts):
            text.set_wrap(True)
    for line in fig.findobj(Line2D):
        line.set_linewidth(line.get_linewidth() * 1.5)
        line.set_markersize(line.get_markersize() * 1.3)
    fig.set_layout_engine("constrained")
    fig.canvas.draw()  # lay out once more with the larger texts, then keep that layout
    fig.set_layout_engine("none")
