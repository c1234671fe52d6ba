"""Blitting for explorers: draw the still parts of a figure once, then only the artists that move.

Drawing axes, ticks, tick labels, legends and contour plots is most of the time of a full matplotlib
draw; the lines and texts a slider changes are a few milliseconds. An explorer that mixes in
BlitExplorer lists its moving artists in `self.animated` (they are marked animated, so a full draw
skips them), and `png()` then

  1. redraws everything and caches the background when the background key changed (axis limits,
     axis scales, legend texts: whatever the still part depends on), else restores the cached one;
  2. draws the animated artists on top.

The picture is the same as a full draw; tests compare the two.
"""
import io
import warnings

import numpy as np
from PIL import Image

from .base import Explorer


class BlitExplorer(Explorer):
    """An Explorer whose png() redraws only `self.animated` artists over a cached background."""

    def animate(self, *artists):
        """Mark artists as moving: drawn on every refresh, left out of the cached background."""
        if not hasattr(self, "animated"):
            self.animated = []
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)

    def background_key(self):
        """What the still part of the figure depends on; a change forces a full redraw."""
        key = []
        for ax in self.fig.axes:
            key.append((ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(), ax.get_visible()))
            legend = ax.get_legend()
            if legend is not None:
                key.append(tuple(text.get_text() for text in legend.get_texts()))
        return tuple(key)

    def png(self, full=False):
        """The figure as PNG bytes; full=True ignores the cached background (for comparisons)."""
        canvas = self.fig.canvas
        key = self.background_key()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if full or getattr(self, "_background", None) is None or key != self._background_key:
                canvas.draw()  # animated artists are skipped
                if self.fig.get_layout_engine() is not None and self.freeze_layout:
                    self.fig.set_layout_engine("none")
                self._background = canvas.copy_from_bbox(self.fig.bbox)
                self._background_key = self.background_key()
            else:
                canvas.restore_region(self._background)
            for artist in getattr(self, "animated", []):
                if artist.get_visible():
                    self.fig.draw_artist(artist)
        rgba = np.asarray(canvas.buffer_rgba())
        buffer = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def pixels(self, full=False):
        """The current figure as an (H, W, 3) uint8 array (what png() encodes)."""
        return np.asarray(Image.open(io.BytesIO(self.png(full=full))))
