"""The explorer's figure as a picture: drawn (blitted where exact, widgets/blit.py), laid out once, in the
presentation theme when it is on, and encoded as the PNG the Image widget shows."""
import io

import numpy as np
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from PIL import Image

from . import theme


class Picture:
    """A mixin of widgets.base.Explorer (it uses the explorer's fig, blitter, image and quiet())."""

    freeze_layout = True  # lay the figure out on its first draw, then keep that layout: 2-3x faster draws

    def render(self):
        """Draw the figure and put it into the Image widget as PNG (not while snapshot() computes)."""
        if not self._inline_runs:
            self.image.value = self.png()

    def animate(self, *artists):
        """Mark artists that a control change moves: they are drawn over a cached picture of the rest."""
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)

    def png(self, full=False):
        """The figure as PNG bytes (full=True: no cached picture)."""
        with self.quiet():
            if not self._themed:
                self._themed = True
                theme.apply_presentation(self.fig)
            self.blitter.draw(full=full)
            if self.freeze_layout and not isinstance(self.fig.get_layout_engine(), (PlaceHolderLayoutEngine,
                                                                                      type(None))):
                self.fig.set_layout_engine("none")  # laid out once, then kept: 2-3x faster draws
        rgba = self.fig.canvas.buffer_rgba()
        height, width = rgba.shape[:2]
        picture = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")  # drops alpha,
        buffer = io.BytesIO()  # in C: 2-3 ms less than a numpy slice and copy
        picture.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def pixels(self, full=False):
        """The current figure as an (H, W, 3) uint8 array (what png() encodes)."""
        return np.asarray(Image.open(io.BytesIO(self.png(full=full))))

    def smallest_text_px(self, viewport_width=theme.VIEWPORT[0]):
        """Height in displayed px of the smallest text of the picture in a page of that width."""
        return theme.smallest_text_px(self.fig, self.presenting, viewport_width)
