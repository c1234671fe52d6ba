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
picture, only faster.
"""
from operator import attrgetter

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.collections import Collection, PathCollection
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Text
from matplotlib.transforms import Bbox


def _sorted_children(ax):
    """An axes' children in the order Axes.draw draws them (its background patch first, when drawn)."""
    children = [a for a in ax.get_children() if a is not ax.patch]
    if not (ax.axison and ax._frameon):
        children = [a for a in children if a not in ax.spines.values()]
    if not ax.axison:
        children = [a for a in children if a not in ax._axis_map.values()]
    children = sorted(children, key=attrgetter("zorder"))
    return [ax.patch, *children] if ax.axison and ax._frameon else children


def _own_extents(artist, renderer):
    """Boxes (display px) the artist itself paints inside, ignoring clipping; None if unknown. Strokes are
    padded by their width (a 90-degree miter sticks out 0.71 of it) and half a pixel of pixel snapping."""
    px = renderer.points_to_pixels
    if isinstance(artist, Axis):  # the ticks it draws (marks that stick out of the axes, labels), label, offset
        boxes = []
        for tick in artist._update_ticks():  # the ticks Axis.draw draws: those in the view interval
            for mark in (tick.tick1line, tick.tick2line):  # a tick mark is a marker `size` long from its point
                if mark.get_visible():
                    boxes.append(mark.get_window_extent(renderer).padded(
                        px(mark.get_markersize() / 2 + mark.get_markeredgewidth()) + 0.5))
            if tick.gridline.get_visible():
                boxes.append(artist.axes.bbox.padded(0.5))
            boxes += [t.get_window_extent(renderer).padded(1) for t in (tick.label1, tick.label2)
                      if t.get_visible() and t.get_text()]
        boxes += [t.get_window_extent(renderer).padded(1) for t in (artist.label, artist.offsetText)
                  if t.get_visible() and t.get_text()]
    elif isinstance(artist, Text):
        boxes = [artist.get_window_extent(renderer).padded(1)]
        patch = artist.get_bbox_patch()
        if patch is not None:
            boxes.append(patch.get_window_extent(renderer).padded(px(patch.get_linewidth()) + 0.5))
    elif isinstance(artist, Line2D):  # markers included
        boxes = [artist.get_window_extent(renderer).padded(
            px(max(artist.get_linewidth(), artist.get_markeredgewidth())) + 0.5)]
    elif isinstance(artist, Spine) and type(artist).get_window_extent is Spine.get_window_extent:
        # its line only: Spine.get_window_extent adds the ticks, which the axis draws (a colorbar's spine has
        # its own get_window_extent, without them)
        artist._adjust_location()  # (as Spine.get_window_extent and Spine.draw do first)
        boxes = [Patch.get_window_extent(artist, renderer).padded(px(artist.get_linewidth()) + 0.5)]
    elif isinstance(artist, (Patch, AxesImage)):
        boxes = [artist.get_window_extent(renderer).padded(px(getattr(artist, "get_linewidth", lambda: 0)()) + 0.5)]
    elif isinstance(artist, Legend):
        boxes = [artist.get_window_extent(renderer).padded(px(artist.get_frame().get_linewidth()) + 0.5)]
    elif isinstance(artist, PathCollection):  # a scatter: markers of sqrt(size) points around its offsets
        points = artist.get_offset_transform().transform(np.ma.filled(np.ma.asarray(artist.get_offsets(), float),
                                                                      np.nan))
        points = points[np.all(np.isfinite(points), axis=1)]
        if not len(points):
            return []
        pad = px(np.sqrt(np.max(artist.get_sizes(), initial=0)) + np.max(artist.get_linewidths(), initial=0)) + 0.5
        boxes = [Bbox([points.min(axis=0), points.max(axis=0)]).padded(pad)]
    elif isinstance(artist, Collection) and not artist.get_paths():  # e.g. a colorbar's dividers, when none
        return []
    elif isinstance(artist, Collection) and not np.any(artist.get_offsets()):  # lines, polygons: no markers
        boxes = [artist.get_window_extent(renderer).padded(px(np.max(artist.get_linewidths(), initial=0)) + 0.5)]
    else:
        return None
    extents = [tuple(box.extents) for box in boxes]
    return extents if np.all(np.isfinite(extents)) else None


_CLIPPED = (Line2D, Patch, Text, Collection, AxesImage)  # artists whose own drawing keeps to their clip box


def _pixels(box):
    """A box rounded out to whole pixels (two boxes 0.2 px apart may still colour the same pixel)."""
    x0, y0, x1, y1 = box
    return (np.floor(x0), np.floor(y0), np.ceil(x1), np.ceil(y1))


def _paints_within(artist, renderer, reach=False, own_extents=_own_extents):
    """Boxes (display px, (x0, y0, x1, y1), whole pixels) the artist paints inside: [] if it paints nothing,
    the figure's box if unknown. reach: where it paints, or would if shown, with 2 px to spare (a margin that
    keeps the same layers while an artist moves a little)."""
    if not (artist.get_visible() or reach) or (isinstance(artist, Text) and not artist.get_text()):
        return []
    clipped = isinstance(artist, _CLIPPED)  # an axis, for one, has a clip box but draws its labels outside it
    clipped = clipped and artist.get_clip_on() and artist.get_clip_box() is not None
    boxes = own_extents(artist, renderer)
    if reach and boxes:
        boxes = [(x0 - 2, y0 - 2, x1 + 2, y1 + 2) for x0, y0, x1, y1 in boxes]
    if clipped:
        clip = artist.get_clip_box().padded(0.5).extents  # Agg rounds the clip rectangle to whole pixels
        if boxes is None:
            return [_pixels(clip)]
        boxes = [(max(x0, clip[0]), max(y0, clip[1]), min(x1, clip[2]), min(y1, clip[3])) for x0, y0, x1, y1 in boxes]
        return [_pixels(b) for b in boxes if b[0] < b[2] and b[1] < b[3]]
    return [tuple(artist.figure.bbox.extents)] if boxes is None else [_pixels(b) for b in boxes]


class _Boxes:
    """_paints_within, remembered for still artists until the figure changes (a still artist's extent changes
    only with the artist, which marks the figure stale); moving ones and legends placed "best" (at draw time,
    maybe around moving lines) are measured once per frame (new_frame() forgets them)."""

    def __init__(self, renderer):
        self.renderer, self.known, self.moving = renderer, {}, {}

    def new_frame(self):
        """Moving artists may have moved: measure them again."""
        self.moving = {}

    def _moving_extents(self, artist, renderer):
        """_own_extents of a moving artist, measured once per frame (_reachable and _covered both ask)."""
        if id(artist) not in self.moving:
            self.moving[id(artist)] = (artist, _own_extents(artist, renderer))  # the artist keeps its id taken
        return self.moving[id(artist)][1]

    def __call__(self, artist, reach=False):
        if artist.get_animated() or (isinstance(artist, Legend) and getattr(artist, "_loc", 0) == 0):
            return _paints_within(artist, self.renderer, reach, self._moving_extents)
        key = id(artist)
        if key not in self.known:
            self.known[key] = (artist, _paints_within(artist, self.renderer))  # the artist keeps its id taken
        return self.known[key][1]


def _overlaps(boxes, others):
    """True if any of the boxes (whole pixels) shares a pixel with any of the others."""
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for x0, y0, x1, y1 in boxes for b in others)


def _reachable(tail, animated, box_of):
    """The part of an axes' tail that must be drawn with its moving artists: a still text or legend that no
    layer before it touches (a title above the axes, a legend no line crosses now) can stay in the cached
    picture; other still artists are drawn with the layers. A hidden moving artist counts where it would be
    shown, so that showing another one (the data browser's frame around the current class) keeps the same
    layers, and with them the cached picture. (Which still artists are redrawn only changes the speed: what
    stays in the cached picture is checked by _covered.)"""
    kept, boxes = [], []
    for artist in tail:
        if id(artist) not in animated and isinstance(artist, (Text, Legend)) and not _overlaps(box_of(artist), boxes):
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
        elif later and _overlaps(box_of(artist), later):
            return True
    return False


def overlay(fig, animated, box_of=None, check=True):
    """The artists to draw on every frame, in drawing order, or None if blitting cannot be exact.
    box_of: a _Boxes of fig's renderer, to reuse the still artists' boxes from one frame to the next.
    check=False: the layers only, without checking that nothing still is drawn over them."""
    box_of = box_of or _Boxes(fig.canvas.get_renderer())
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
            self.boxes = _Boxes(fig.canvas.get_renderer())
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
            self.boxes = _Boxes(canvas.get_renderer())
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
