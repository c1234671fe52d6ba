"""Blitting that equals a full draw, by construction (issue 15, faults 3, 8 and 10).

Matplotlib draws the figure's children sorted by z-order, each axes drawing its own children sorted by
z-order. Blitting keeps a picture of that draw without the "layers": in each axes, the first moving
(animated) artist and every artist after it that a moving one can touch (still lines, spines, axes,
legends and texts above it). Each frame restores that picture and draws the layers over it in their own
order. That equals the full draw if nothing left in the cached picture is drawn AFTER a layer it
overlaps: checked for every pair, with boxes each artist paints inside (the axes drawn later, their
background patch, titles, tick labels and offset texts, figure-level texts and legends). Hidden axes draw
nothing. The cached picture is renewed whenever a still artist changed (matplotlib marks the figure stale
then: animated artists do not) or key() changes; the check is repeated after that draw, as drawing lays
the figure out (constrained layout, a title lifted above an offset text, a legend placed "best"). Where
the order cannot be reproduced, every frame is a full draw. So the blitted picture is the full draw's
picture, only faster. Where each artist paints is measured in widgets/extents.py.
"""
from operator import attrgetter

from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.text import Text

from .extents import Boxes, overlaps


def _sorted_children(ax):
    """An axes' children in the order Axes.draw draws them (its background patch first, when drawn)."""
    children = [a for a in ax.get_children() if a is not ax.patch]
    if not (ax.axison and ax._frameon):
        children = [a for a in children if a not in ax.spines.values()]
    if not ax.axison:
        children = [a for a in children if a not in ax._axis_map.values()]
    children = sorted(children, key=attrgetter("zorder"))
    return [ax.patch, *children] if ax.axison and ax._frameon else children


def _reachable(tail, animated, box_of):
    """The part of an axes' tail that must be drawn with its moving artists: a still text or legend that no
    layer before it touches (a title above the axes, a legend no line crosses now) can stay in the cached
    picture; other still artists are drawn with the layers. A hidden moving artist counts where it would be
    shown, so that showing another one (the data browser's frame around the current class) keeps the same
    layers, and with them the cached picture. (Which still artists are redrawn only changes the speed: what
    stays in the cached picture is checked by _covered.)"""
    kept, boxes = [], []
    for artist in tail:
        if id(artist) not in animated and isinstance(artist, (Text, Legend)) and not overlaps(box_of(artist), boxes):
            continue
        kept.append(artist)
        boxes.extend(box_of(artist, reach=id(artist) in animated))
    return kept


def _draw_order(fig, animated, box_of):
    """(layers, [(artist, is a layer)] in the full draw's order), or None if blitting cannot be exact."""
    figure_level = sorted([a for a in fig.get_children() if a is not fig.patch], key=attrgetter("zorder"))
    first_moving = next((i for i, a in enumerate(figure_level) if id(a) in animated), len(figure_level))
    placed, layers, order = set(), [], []
    for i, artist in enumerate(figure_level):
        if isinstance(artist, Axes):
            if i > first_moving:  # an axes drawn over a moving figure-level artist
                return None
            children = _sorted_children(artist)
            moving = [id(a) for a in children if id(a) in animated]
            placed.update(moving)
            if not artist.get_visible():
                continue
            first = next((j for j, a in enumerate(children) if id(a) in animated), len(children))
            tail = _reachable(children[first:], animated, box_of) if moving else []
            layers.extend(tail)
            tail = set(map(id, tail))
            order.extend((a, id(a) in tail) for a in children)
        else:
            if id(artist) in animated:
                placed.add(id(artist))
            if i >= first_moving:
                layers.append(artist)
            order.append((artist, i >= first_moving))
    if placed != animated:  # a moving artist nested inside another one (an inset axes, a subfigure)
        return None
    return layers, order


def _covered(order, box_of):
    """True if something left in the cached picture is drawn after a layer it overlaps."""
    later = []  # extents of the still artists of the cached picture drawn after the current position
    first_layer = next((i for i, (_, is_layer) in enumerate(order) if is_layer), len(order))
    for artist, is_layer in reversed(order[first_layer:]):
        if not is_layer:
            later.extend(box_of(artist))
        elif later and overlaps(box_of(artist), later):
            return True
    return False


def overlay(fig, animated, box_of=None, check=True):
    """The artists to draw on every frame, in drawing order, or None if blitting cannot be exact.
    box_of: a Boxes of fig's renderer, to reuse the still artists' boxes from one frame to the next.
    check=False: the layers only, without checking that nothing still is drawn over them."""
    box_of = box_of or Boxes(fig.canvas.get_renderer())
    box_of.new_frame()
    drawn = _draw_order(fig, set(map(id, animated)), box_of)
    if drawn is None or (check and _covered(drawn[1], box_of)):
        return None
    return drawn[0]


class Blitter:
    """Renders fig to its canvas: blitted when exact, else a full draw."""

    def __init__(self, fig, animated, key):
        self.fig, self.animated, self.key = fig, animated, key
        self.background = self.background_key = self.boxes = None

    def draw(self, full=False):
        fig = self.fig
        changed = fig.stale  # a still artist changed since the last draw (read before we touch anything)
        renew = full or changed or self.background is None
        if renew or self.boxes is None:
            self.boxes = Boxes(fig.canvas.get_renderer())
        # when the cached picture is renewed, the check waits for that draw's layout (in _blit)
        layers = overlay(fig, self.animated, self.boxes, check=not renew) if self.animated else None
        if layers is None:
            self._full_draw()
        else:
            self._blit(layers, renew)
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
            # that draw laid the figure out (and may have moved a title or a legend): decide again
            self.boxes = Boxes(canvas.get_renderer())
            again = overlay(fig, self.animated, self.boxes)
            if again is None or list(map(id, again)) != list(map(id, layers)):
                self._full_draw()
                return
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
