"""Where each artist of a figure paints, as boxes in display pixels: what widgets/blit.py compares to decide
which artists a frame redraws and whether its blitted picture equals a full draw.

own_extents(artist, renderer) measures one artist (ticks, labels and offset text of an axis; a text and its
box; a line with its markers; a spine's line; patches, images, legends, scatters, line collections);
paints_within() rounds those to whole pixels and clips them the way Agg does; Boxes remembers them for still
artists until the figure changes; overlaps() tells whether two lists of boxes share a pixel.
"""
import numpy as np
from matplotlib.axis import Axis
from matplotlib.collections import Collection, PathCollection
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Text
from matplotlib.transforms import Bbox


def own_extents(artist, renderer):
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


def paints_within(artist, renderer, reach=False, measure=own_extents):
    """Boxes (display px, (x0, y0, x1, y1), whole pixels) the artist paints inside: [] if it paints nothing,
    the figure's box if unknown. reach: where it paints, or would if shown, with 2 px to spare (a margin that
    keeps the same layers while an artist moves a little). measure: own_extents, or a cache of it."""
    if not (artist.get_visible() or reach) or (isinstance(artist, Text) and not artist.get_text()):
        return []
    clipped = isinstance(artist, _CLIPPED)  # an axis, for one, has a clip box but draws its labels outside it
    clipped = clipped and artist.get_clip_on() and artist.get_clip_box() is not None
    boxes = measure(artist, renderer)
    if reach and boxes:
        boxes = [(x0 - 2, y0 - 2, x1 + 2, y1 + 2) for x0, y0, x1, y1 in boxes]
    if clipped:
        clip = artist.get_clip_box().padded(0.5).extents  # Agg rounds the clip rectangle to whole pixels
        if boxes is None:
            return [_pixels(clip)]
        boxes = [(max(x0, clip[0]), max(y0, clip[1]), min(x1, clip[2]), min(y1, clip[3])) for x0, y0, x1, y1 in boxes]
        return [_pixels(b) for b in boxes if b[0] < b[2] and b[1] < b[3]]
    return [tuple(artist.figure.bbox.extents)] if boxes is None else [_pixels(b) for b in boxes]


class Boxes:
    """paints_within, remembered for still artists until the figure changes (a still artist's extent changes
    only with the artist, which marks the figure stale); moving ones and legends placed "best" (at draw time,
    maybe around moving lines) are measured once per frame (new_frame() forgets them)."""

    def __init__(self, renderer):
        self.renderer, self.known, self.moving = renderer, {}, {}

    def new_frame(self):
        """Moving artists may have moved: measure them again."""
        self.moving = {}

    def _moving_extents(self, artist, renderer):
        """own_extents of a moving artist, measured once per frame (blit's _reachable and _covered both ask)."""
        if id(artist) not in self.moving:
            self.moving[id(artist)] = (artist, own_extents(artist, renderer))  # the artist keeps its id taken
        return self.moving[id(artist)][1]

    def __call__(self, artist, reach=False):
        if artist.get_animated() or (isinstance(artist, Legend) and getattr(artist, "_loc", 0) == 0):
            return paints_within(artist, self.renderer, reach, self._moving_extents)
        key = id(artist)
        if key not in self.known:
            self.known[key] = (artist, paints_within(artist, self.renderer))  # the artist keeps its id taken
        return self.known[key][1]


def overlaps(boxes, others):
    """True if any of the boxes (whole pixels) shares a pixel with any of the others."""
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for x0, y0, x1, y1 in boxes for b in others)
