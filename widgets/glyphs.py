"""Remembered glyphs for matplotlib's Agg text: the same pixels, drawn 3-5x faster (issue 14).

Text is most of an explorer's drawing time. Matplotlib 3.11 draws text glyph by glyph in Python: on every
draw, each string is laid out again (FT2Font._layout) and each of its glyphs is loaded, hinted and rendered
again by FreeType (FT2Font._render_glyph), 50-80 us a glyph on the course machine (3.10 did this in C, about
3.5x faster). A slider's frames draw the same few glyphs (digits, the letters of labels) at the same sizes
over and over, so this module remembers:

- the layout of each string, per font object and size (the glyphs and their offsets from the origin);
- the bitmap of each glyph, per font object, size, dpi, transform, load flags and render mode, and the
  fraction of a pixel by which the glyph is offset. A glyph moved by whole pixels is the same bitmap moved:
  FreeType translates the outline by whole 1/64-px units before rendering it.

The pictures are pixel-identical to matplotlib's own (tests/test_glyphs.py). install() replaces two methods
of RendererAgg, and only on the matplotlib versions whose private text path they reproduce (3.11.x); on any
other version it does nothing and text draws as before. Each table is emptied when it reaches its bound.
"""
import math

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag

try:
    from matplotlib.ft2font import RenderMode
except ImportError:  # before 3.11: another text path, left alone
    RenderMode = None

MAX_GLYPHS = 50_000    # bitmaps of a few hundred bytes each
MAX_LAYOUTS = 20_000   # strings
_ORIGINAL = {"draw_text": RendererAgg.draw_text, "_draw_text_glyphs_and_boxes": RendererAgg._draw_text_glyphs_and_boxes}
_glyphs, _layouts = {}, {}


def supported():
    """Whether this matplotlib's Agg text path is the one reproduced here (3.11.x, with its private calls)."""
    from matplotlib.ft2font import FT2Font

    return (matplotlib.__version__.startswith("3.11.") and RenderMode is not None
            and all(hasattr(FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform")))


def _key(value):
    """value, hashable (a text's language may be a list of (language, start, end) tuples)."""
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
    """RendererAgg._draw_text_glyphs_and_boxes of matplotlib 3.11, with each glyph's bitmap remembered."""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    load_flags = get_hinting_flag()
    mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
    rotation = 0x10000 * np.array([[cos, -sin], [sin, cos]])
    height = self.height
    for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards
        matrix = (rotation @ [[extend, extend * slant], [0, 1]]).round().astype(int)
        # FreeType's y is upwards; 26.6 fixed point: 64 units a pixel
        delta_x = round(0x40 * (x + dx * cos - dy * sin))
        delta_y = round(0x40 * (height - y + dx * sin + dy * cos))
        key = (font, size, self.dpi, matrix.tobytes(), delta_x & 63, delta_y & 63, glyph_index, load_flags, mode)
        known = _glyphs.get(key)
        if known is None:
            font.set_size(size, self.dpi)
            font._set_transform(matrix, [delta_x & 63, delta_y & 63])  # the fraction of a pixel only
            bitmap = font._render_glyph(glyph_index, load_flags, mode)
            buffer = np.array(bitmap.buffer)  # a copy: FreeType reuses its own
            if mode == RenderMode.MONO:
                buffer *= 0xff
            if len(_glyphs) >= MAX_GLYPHS:
                _glyphs.clear()
            known = _glyphs[key] = (buffer, bitmap.left, bitmap.top)
        buffer, left, top = known
        left, top = left + (delta_x >> 6), top + (delta_y >> 6)  # the whole pixels of the offset
        # draw_text_image's y is downwards & the bitmap bottom side
        self._renderer.draw_text_image(buffer, left, int(height) - top + buffer.shape[0], 0, gc)
    if boxes:  # mathtext's rules: matplotlib's own code draws them
        _ORIGINAL["_draw_text_glyphs_and_boxes"](self, gc, x, y, angle, [], boxes)


def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    """RendererAgg.draw_text of matplotlib 3.11, with each string's layout remembered."""
    if ismath:
        return self.draw_mathtext(gc, x, y, s, prop, angle)
    font = self._prepare_font(prop)
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    size = prop.get_size_in_points()
    flags = get_hinting_flag()
    key = (font, size, self.dpi, s, flags, _key(features), _key(language))
    glyphs = _layouts.get(key)
    if glyphs is None:
        items = font._layout(s, flags=flags, features=features, language=language)
        if len(_layouts) >= MAX_LAYOUTS:
            _layouts.clear()
        glyphs = _layouts[key] = tuple((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y)
                                       for item in items)
    self._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, [])


def install():
    """Draw Agg text through the remembered glyphs (where supported()); True if installed."""
    if not supported():
        return False
    RendererAgg.draw_text = draw_text
    RendererAgg._draw_text_glyphs_and_boxes = _draw_text_glyphs_and_boxes
    return True


def uninstall():
    """Matplotlib's own text drawing again, and the tables emptied."""
    for name, method in _ORIGINAL.items():
        setattr(RendererAgg, name, method)
    _glyphs.clear()
    _layouts.clear()


def installed():
    return RendererAgg.draw_text is draw_text
