"""widgets/glyphs.py: text drawn through the remembered glyphs and layouts is pixel-identical to matplotlib's
own drawing (sizes, families, rotations, fractional positions, mathtext, non-Latin glyphs, no antialiasing),
on a first draw and when every glyph comes from the tables; and the tables stay within their bounds."""
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from widgets import glyphs

pytestmark = pytest.mark.skipif(not glyphs.supported(), reason="widgets/glyphs.py reproduces matplotlib 3.11's "
                                "private Agg text path only; on this version text draws as matplotlib draws it")


def _picture(shift=0.0):
    """A figure full of text; shift moves every figure-level text by a fraction of a pixel."""
    fig = Figure(figsize=(6, 4), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 3])
    ax.set_title("Title: mean ($x^2$) 0.123, gap $\\sqrt{\\lambda}$", fontsize=17.3)
    ax.set_xlabel("weight value (W1) ‖w‖₂ λ w²")
    ax.set_ylabel("fraction of weights")
    for i in range(24):
        fig.text(0.02 + 0.04 * i + shift / 540, 0.05 + 0.037 * i + shift / 360, f"t{i} 0.{i}3 λ",
                 fontsize=6 + i * 0.83, rotation=(0, 30, 90, 0, 12.5, 180)[i % 6],
                 family=("sans-serif", "monospace", "serif")[i % 3], antialiased=i % 5 != 4)
    fig.text(-0.01, 0.5, "off the left edge 123")
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.fixture
def without_glyphs():
    was = glyphs.installed()
    glyphs.uninstall()
    yield
    if was:
        glyphs.install()


@pytest.mark.parametrize("shift", [0.0, 0.3, 0.51, 0.77])
def test_the_remembered_glyphs_draw_matplotlibs_own_pixels(shift, without_glyphs):
    own = _picture(shift)
    assert glyphs.install()
    first, again = _picture(shift), _picture(shift)  # again: every glyph and layout from the tables
    assert len(glyphs._glyphs) > 100 and len(glyphs._layouts) > 20
    for picture in (first, again):
        differ = np.any(picture != own, axis=2)
        assert not differ.any(), f"{differ.sum()} pixels differ from matplotlib's own text drawing"


def test_glyphs_at_another_fraction_of_a_pixel_are_not_taken_from_the_table(without_glyphs):
    """The check above can fail: a table that forgot the fraction of a pixel would draw these texts from the
    bitmaps of the unshifted ones."""
    own = _picture(0.5)
    assert glyphs.install()
    _picture(0.0)
    assert np.array_equal(_picture(0.5), own)
    glyphs.uninstall()
    assert not np.array_equal(_picture(0.0), own)  # the shift does change the pixels


def test_the_tables_stay_within_their_bounds(monkeypatch, without_glyphs):
    monkeypatch.setattr(glyphs, "MAX_GLYPHS", 50)
    monkeypatch.setattr(glyphs, "MAX_LAYOUTS", 5)
    assert glyphs.install()
    own = None
    glyphs.uninstall()
    own = _picture()
    glyphs.install()
    assert np.array_equal(_picture(), own)
    assert len(glyphs._glyphs) <= 50 and len(glyphs._layouts) <= 5


def test_explorers_draw_through_the_tables():
    import widgets  # noqa: F401  (importing the explorers installs the tables)

    assert glyphs.installed()
