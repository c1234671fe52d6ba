"""Blitting that equals a full draw, by construction (issue 15, faults 3 and 8).

Matplotlib draws an axes' children sorted by z-order. Blitting keeps a picture of everything drawn
BEFORE the first moving (animated) artist of each axes, and on every frame draws the rest of that
sorted list (moving artists and any still artist above them: legends, reference lines, frames) in the
same order. Hidden axes draw nothing. The cached picture is renewed whenever a still artist changed
(matplotlib marks the figure stale then: animated artists do not) or key() changes. Where this order
cannot be reproduced (overlapping axes, a moving artist nested inside another one), every frame is a
full draw. So the blitted picture is the full draw's picture, only faster.
"""
from operator import attrgetter

import numpy as np
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox


def _sorted_children(ax):
    """An axes' children in the order Axes.draw draws them."""
    children = [a for a in ax.get_children() if a is not ax.patch]
    if not (ax.axison and ax._frameon):
        children = [a for a in children if a not in ax.spines.values()]
    if not ax.axison:
        children = [a for a in children if a not in ax._axis_map.values()]
    return sorted(children, key=attrgetter("zorder"))


def _paints_within(artist, renderer):
    """A box the artist paints inside (display px), or None if unknown. Lines, patches and texts know
    their extent (padded by the line width and antialiasing); a clipped artist stays in its clip box."""
    box = None
    if isinstance(artist, (Line2D, Patch, Text)):
        extent = artist.get_window_extent(renderer)
        pad = 2 + (artist.get_linewidth() * artist.figure.dpi / 72 if not isinstance(artist, Text) else 0)
        if np.all(np.isfinite(extent.get_points())):
            box = extent.padded(pad)
    if artist.get_clip_on() and artist.get_clip_box() is not None:
        clip = artist.get_clip_box()
        box = clip if box is None else (Bbox.intersection(box, clip) or Bbox([[0, 0], [0, 0]]))
    return box


def _reachable(fig, tail, animated):
    """The part of an axes' tail that a moving artist can touch: a still line, patch, text or legend wholly
    outside the boxes the moving artists paint in (a title above the axes, a legend no line crosses now)
    can stay in the cached picture. If a moving artist's box is unknown, the whole tail is kept."""
    renderer = fig.canvas.get_renderer()
    boxes = []
    for artist in (a for a in tail if id(a) in animated):
        box = _paints_within(artist, renderer)
        if box is None:
            return tail
        boxes.append(box)
    kept = []
    for artist in tail:
        if id(artist) not in animated and isinstance(artist, (Text, Legend)):
            if isinstance(artist, Text) and not artist.get_text():
                continue  # an empty text draws nothing
            extent = artist.get_window_extent(renderer).padded(2)
            if not any(extent.overlaps(box) for box in boxes if box.width > 0 and box.height > 0):
                continue
        kept.append(artist)
    return kept


def overlay(fig, animated):
    """The artists to draw on every frame, in drawing order, or None if blitting cannot be exact."""
    animated = set(map(id, animated))
    figure_level = sorted([a for a in fig.get_children() if a is not fig.patch], key=attrgetter("zorder"))
    placed, layers, seen_axes = set(), [], []
    for ax in fig.axes:
        children = _sorted_children(ax)
        first = next((i for i, a in enumerate(children) if id(a) in animated), None)
        if first is not None:
            placed.update(id(a) for a in children if id(a) in animated)
            if ax.get_visible():
                layers.extend(_reachable(fig, children[first:], animated))
                seen_axes.append(ax)
    first = next((i for i, a in enumerate(figure_level) if id(a) in animated), None)
    if first is not None:
        tail = figure_level[first:]
        if any(isinstance(a, Axes) for a in tail):
            return None
        placed.update(id(a) for a in tail if id(a) in animated)
        layers.extend(tail)
    if placed != animated or _overlapping(fig, seen_axes):
        return None
    return layers


def _overlapping(fig, axes_with_overlay):
    """True if a visible axes drawn after one with moving artists overlaps it."""
    visible = [ax for ax in fig.axes if ax.get_visible()]
    for ax in axes_with_overlay:  # ax.bbox, not get_position(): that would mark the figure stale
        later = visible[visible.index(ax) + 1:]
        if any(ax.bbox.overlaps(other.bbox) for other in later):
            return True
    return False


class Blitter:
    """Renders fig to its canvas: blitted when exact, else a full draw."""

    def __init__(self, fig, animated, key):
        self.fig, self.animated, self.key = fig, animated, key
        self.background = self.background_key = None

    def draw(self, full=False):
        fig = self.fig
        changed = fig.stale  # a still artist changed since the last draw (read before we touch anything)
        layers = overlay(fig, self.animated) if self.animated else None
        if layers is None:
            self._full_draw()
        else:
            self._blit(layers, full or changed)
        fig.stale = False  # the canvas shows this state (drawing itself marks artists stale)

    def _blit(self, layers, renew):
        fig, canvas = self.fig, self.fig.canvas
        key = (self.key(), tuple(map(id, layers)))
        if renew or self.background is None or key != self.background_key:
            still_on_top = [a for a in layers if not a.get_animated()]
            for artist in still_on_top:
                artist.set_animated(True)  # left out of this draw; drawn with the moving ones below
            try:
                canvas.draw()
            finally:
                for artist in still_on_top:
                    artist.set_animated(False)
            self.background, self.background_key = canvas.copy_from_bbox(fig.bbox), key
        else:
            canvas.restore_region(self.background)
        for artist in layers:
            fig.draw_artist(artist)

    def _full_draw(self):
        for artist in self.animated:
            artist.set_animated(False)
        try:
            self.fig.canvas.draw()
        finally:
            for artist in self.animated:
                artist.set_animated(True)
        self.background = None
