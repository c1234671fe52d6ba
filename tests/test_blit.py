"""widgets/blit.py on small figures: the blitted picture equals an ordinary full draw wherever something drawn
later (another axes' title or tick labels, a figure-level text) lies over a moving artist, and blitting still
happens where nothing does (a cached picture is used, not a full draw every frame)."""
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from widgets.blit import Blitter


def _figure():
    fig = Figure(figsize=(4, 4), dpi=50)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1)
    fig.subplots_adjust(hspace=0.6)
    for ax in (top, bottom):
        ax.set(xlim=(0, 1), ylim=(0, 1))
    (bar,) = top.bar([0.5], [0.7], width=0.9, bottom=-0.2, color="tab:blue")  # reaches below the box: clipped
    bar.set_animated(True)
    return fig, top, bottom, bar


def _full_draw(fig):
    """An ordinary draw with every artist, moving ones included (as tests/explorer_harness.py does)."""
    animated = [a for a in fig.findobj() if a.get_animated()]
    for artist in animated:
        artist.set_animated(False)
    try:
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    finally:
        for artist in animated:
            artist.set_animated(True)


def _frames(fig, bar, heights=(1.1, 0.5, 1.0)):
    """Draw through a Blitter, move the bar (which does not mark the figure stale) and draw again each time;
    (shown pixels, full-draw pixels, whether the last frame reused a cached picture) of the last frame."""
    blitter = Blitter(fig, [bar], key=lambda: None)
    blitter.draw()
    for height in heights:
        bar.set_height(height)
        assert not fig.stale
        blitter.draw()
    shown = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    return shown, _full_draw(fig), blitter.background is not None


def _assert_same(shown, full):
    differ = np.any(shown != full, axis=2)
    assert not differ.any(), f"{differ.sum()} pixels differ from an ordinary full draw"


def _lifted_title(ax, into):
    """ax's title, placed with its bottom 4 px inside into's box (as matplotlib lifts a title above a y-axis
    offset text: the way InitializationExplorer's stats title reached the histogram panels above it)."""
    label = "a long title of the lower axes, lifted into the upper one"
    title = ax.set_title(label, y=1.0)
    renderer = ax.figure.canvas.get_renderer()
    shift = into.bbox.y0 + 4 - title.get_window_extent(renderer).y0
    title = ax.set_title(label, y=1.0 + shift / ax.bbox.height)  # an explicit y: draw() keeps it there
    ax.figure.canvas.draw()
    assert into.bbox.overlaps(title.get_window_extent(renderer))
    return title


def test_a_later_axes_title_over_a_moving_bar_stays_on_top():
    fig, top, bottom, bar = _figure()
    _lifted_title(bottom, into=top)
    shown, full, _ = _frames(fig, bar)
    _assert_same(shown, full)


def test_a_later_axes_tick_labels_over_a_moving_bar_stay_on_top():
    fig, top, bottom, bar = _figure()
    bottom.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False, labelsize=14, pad=40)
    renderer = fig.canvas.get_renderer()
    assert top.bbox.overlaps(bottom.xaxis.get_tightbbox(renderer))
    shown, full, _ = _frames(fig, bar)
    _assert_same(shown, full)


def test_a_figure_text_over_a_moving_bar_stays_on_top():
    fig, top, bottom, bar = _figure()
    fig.text(0.5, 0.75, "a note on the figure", ha="center", fontsize=16)  # zorder 3: drawn after the axes
    shown, full, _ = _frames(fig, bar)
    _assert_same(shown, full)


def test_a_figure_level_moving_text_keeps_its_order():
    fig, top, bottom, bar = _figure()
    fig.text(0.5, 0.75, "still, under", ha="center", fontsize=16, zorder=3)
    moving = fig.text(0.5, 0.74, "moving, over", ha="center", fontsize=16, zorder=4, color="tab:red")
    moving.set_animated(True)
    blitter = Blitter(fig, [bar, moving], key=lambda: None)
    blitter.draw()
    for x in (0.45, 0.55):
        moving.set_x(x)
        bar.set_height(x)
        blitter.draw()
    _assert_same(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy(), _full_draw(fig))


@pytest.mark.parametrize("where", ["title", "ticks", "figure text"])
def test_apart_from_the_moving_bar_it_still_blits(where):
    """The same things, but away from the bar: no full draw every frame, and still the same picture."""
    fig, top, bottom, bar = _figure()
    if where == "title":
        bottom.set_title("the lower axes' title, in its place")
    elif where == "ticks":
        bottom.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False)
    else:
        fig.text(0.5, 0.02, "a note at the bottom of the figure", ha="center")
    shown, full, blitted = _frames(fig, bar)
    assert blitted, "a full draw every frame although nothing drawn later lies over the moving bar"
    _assert_same(shown, full)


def test_a_title_the_draw_itself_lifts_over_a_moving_bar_stays_on_top():
    """Which layers may be blitted is decided again after the draw that renews the cached picture: that draw
    lays the figure out, and here it lifts the lower title above the y-axis offset text ("1e6") that the
    new limits bring, into the upper axes' box (the way InitializationExplorer's stats title moved)."""
    fig, top, bottom, bar = _figure()
    top.axis("off")  # only the bar in the upper axes (no tick labels near the lower title)
    title = bottom.set_title("the lower axes' title, lifted by the draw")
    blitter = Blitter(fig, [bar], key=lambda: None)
    blitter.draw()
    renderer = fig.canvas.get_renderer()
    below = title.get_window_extent(renderer)
    x0, _, x1, y1 = top.get_position().extents
    top.set_position([x0, (below.y1 + 6) / fig.bbox.height, x1 - x0, y1 - (below.y1 + 6) / fig.bbox.height])
    blitter.draw()
    for height in (0.5, 1.0):  # moving bar only: blitted
        bar.set_height(height)
        blitter.draw()
    assert blitter.background is not None
    bottom.set_ylim(0, 1e6)  # the title keeps its place until the next draw
    assert not top.bbox.overlaps(title.get_window_extent(renderer))
    bar.set_height(1.1)
    blitter.draw()
    assert top.bbox.overlaps(title.get_window_extent(renderer)), "the draw did not lift the title into the upper axes"
    _assert_same(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy(), _full_draw(fig))
    bar.set_height(0.9)
    blitter.draw()
    _assert_same(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy(), _full_draw(fig))
