"""Regression tests for the faults of issue 15 ("Explorers under stress"), each reproduced exactly as the
issue describes it (digits, standardized, one BLAS thread), plus the faults the fuzz found beyond them.

Written before the fixes: every test here fails on the code it was written against and is marked
xfail(strict=True) with the fault's number, so the suite stays green until the fix lands; the fix
makes the test pass, strict turns that into a failure, and the fix's author removes the marker.
The explorer API is reached through tests/explorer_harness.py's adapter where it can be.
"""
import re
import time
import warnings

import explorer_harness as H
import numpy as np
import pytest

import core
from widgets.capacity import CapacityExplorer
from widgets.dropout import VARIANTS, DropoutEnsembleExplorer, DropoutScalingExplorer
from widgets.ensembles import EnsembleExplorer
from widgets.initialization import InitializationExplorer
from widgets.search import SearchDashboard
from widgets.updates import ScheduleExplorer, UpdateRulesDigitsExplorer

SEED = 0


@pytest.fixture(scope="module")
def digits():
    """The issue's data: core.preprocess.preprocess(core.data.load_dataset("digits", rng=0), "standardize")."""
    return core.preprocess.preprocess(core.data.load_dataset("digits", rng=SEED), "standardize")


def fault(number, what, fix):
    return pytest.mark.xfail(strict=True, reason=f"issue 15 fault {number}: {what}; fixed by {fix}")


def shown(fn):
    """The warnings that reach showwarning (what a notebook prints) while fn() runs.

    Does not touch warnings.filters (pytest.warns would put an "always" filter in front and hide the fault)."""
    seen, before = [], warnings.showwarning
    warnings.showwarning = lambda message, *args, **kwargs: seen.append(str(message))
    try:
        fn()
    finally:
        warnings.showwarning = before
    return seen


# ---- fault 1: a background run silences every warning in the kernel ---------------------------------
def _play_then_change(data):
    """CapacityExplorer with Play, and a control moved while it plays."""
    explorer = CapacityExplorer(seed=SEED, play_iterations=200000)  # plays for minutes unless paused
    H.press(H.run_buttons(explorer)["play_button"])
    time.sleep(0.2)
    assert H.running(explorer)
    explorer.noise.value = 0.2  # pauses Play, retrains
    return explorer


@pytest.mark.parametrize("make", [
    lambda d: UpdateRulesDigitsExplorer(d, seed=SEED),
    lambda d: ScheduleExplorer(d, seed=SEED),
    lambda d: EnsembleExplorer(d, kind="seeds", seed=SEED),
    _play_then_change,
], ids=["UpdateRulesDigitsExplorer", "ScheduleExplorer", "EnsembleExplorer", "CapacityExplorer-Play"])
def test_fault1_a_background_run_leaves_the_warning_filters_alone(make, digits):
    before = list(warnings.filters)
    try:
        explorer = make(digits)
        assert H.wait(explorer, 120)
        after = list(warnings.filters)
        student = shown(lambda: warnings.warn("a student's own warning, after the run", stacklevel=1))
    finally:
        warnings.filters[:] = before  # do not let the leak reach the rest of the session
    silencer = ("ignore", None, Warning, None, 0)
    assert silencer in before or silencer not in after, f"warnings.filters[{after.index(silencer)}] is {silencer}"
    assert student == ["a student's own warning, after the run"]


def test_fault1_a_warning_in_another_cell_is_shown_while_a_run_works(digits):
    """A student's cell that runs while the explorer trains must still see its own warnings."""
    explorer = CapacityExplorer(seed=SEED, play_iterations=200000)
    before = list(warnings.filters)
    try:
        H.press(H.run_buttons(explorer)["play_button"])
        time.sleep(0.2)
        assert H.running(explorer)
        student = shown(lambda: warnings.warn("a student's own warning, during Play", stacklevel=1))
    finally:
        H.stop(explorer)
        H.wait(explorer, 60)
        warnings.filters[:] = before
    assert student == ["a student's own warning, during Play"]


# ---- fault 2: Stop leaves the ensemble explorer stuck for good -----------------------------------------
def _stopped_after_three_members(data):
    """EnsembleExplorer(kind="seeds"), then kind "hyperparameters", Stop once 3 of its 10 members are trained."""
    explorer = EnsembleExplorer(data, kind="seeds", seed=SEED)
    assert H.wait(explorer, 120)
    explorer.kind.value = "hyperparameters"
    deadline = time.perf_counter() + 120
    while H.progress(explorer) < 0.3 and time.perf_counter() < deadline:  # progress = members trained / 10
        time.sleep(0.002)
    H.stop(explorer)
    assert H.wait(explorer, 60)
    assert "so far" in H.status(explorer), H.status(explorer)  # the stop happened in mid-run
    return explorer


def _num_models(explorer):
    explorer.num_models.value = 9


def _preset(explorer):
    H.choose_preset(explorer, "10 models from a random search")


def _kind_and_back(explorer):
    explorer.kind.value = "seeds"
    H.wait(explorer, 120)
    explorer.kind.value = "hyperparameters"


@pytest.mark.parametrize("resume", [_num_models, _preset, _kind_and_back],
                         ids=["num_models", "lecture case", "kind and back"])
def test_fault2_after_stop_the_next_change_trains_the_rest(resume, digits):
    explorer = _stopped_after_three_members(digits)
    resume(explorer)
    assert H.wait(explorer, 120)
    assert "so far" not in H.status(explorer), H.status(explorer)
    assert H.error(explorer) is None


# ---- fault 3: stale pixels after blitting --------------------------------------------------------------
def _pixel_box(extents, height):
    """(rows, columns) slices of the figure's PNG covering the union of the display-space extents."""
    x0 = min(e.x0 for e in extents)
    x1 = max(e.x1 for e in extents)
    y0 = min(e.y0 for e in extents)
    y1 = max(e.y1 for e in extents)
    return slice(max(int(height - y1) - 1, 0), int(height - y0) + 2), slice(max(int(x0) - 1, 0), int(x1) + 2)


def _extent_as_shown(artist, renderer):
    """Where the artist paints when shown (a hidden one's extent is an empty box)."""
    visible = artist.get_visible()
    artist.set_visible(True)
    try:
        return artist.get_window_extent(renderer)
    finally:
        artist.set_visible(visible)


def test_fault3_fewer_layers_leave_no_old_histograms_on_the_picture():
    explorer = InitializationExplorer(num_examples=100, seed=SEED)
    explorer.depth.value = 1
    shown_pixels, full = H.shown_pixels(explorer), H.full_redraw_pixels(explorer)
    renderer = explorer.fig.canvas.get_renderer()
    height = shown_pixels.shape[0]
    hidden = [ax for i, ax in enumerate(explorer.hist_axes) if not explorer.panel_shown(i)]
    assert len(hidden) == 9
    differ = []
    for ax in hidden:  # the hidden panels' area, titles included: blank in an ordinary draw
        title = ax.texts[0] if ax.texts else None
        extents = [ax.get_window_extent(renderer)] + ([_extent_as_shown(title, renderer)] if title else [])
        rows, columns = _pixel_box(extents, height)
        differ.append(float(np.mean(np.any(shown_pixels[rows, columns] != full[rows, columns], axis=2))))
    whole = float(np.mean(np.any(shown_pixels != full, axis=2)))
    assert max(differ) == 0, (f"{whole:.1%} of the picture differs from an ordinary full draw; in the hidden "
                              f"panels up to {max(differ):.0%}")


# ---- fault 4: statistics overflow in float32 -----------------------------------------------------------
def test_fault4_the_status_line_shows_the_std_of_huge_activations():
    explorer = InitializationExplorer(num_examples=100, seed=SEED)
    explorer.apply(init="gaussian", init_scale=5.62, activation="relu", depth=10, width=200)
    assert H.error(explorer) is None
    activations, _ = explorer.compute()
    last = np.asarray(activations[-1], dtype=np.float64)
    assert np.isfinite(last).all() and last.max() > 1e18  # finite, but far beyond float32's sqrt(max)
    assert "inf" not in H.status(explorer), H.status(explorer)
    assert explorer.stats["std"][-1] == pytest.approx(last.std(), rel=1e-6)  # 2.9e17


def test_fault4_activation_stats_of_float32_values_do_not_overflow():
    rng = np.random.default_rng(SEED)
    a = (np.abs(rng.standard_normal((100, 200))) * 3e17).astype(np.float32)  # max about 1e18, finite in float32
    stats = core.monitor.activation_stats([a])
    exact = a.astype(np.float64)
    assert stats["std"][0] == pytest.approx(exact.std(), rel=1e-6)
    assert stats["mean"][0] == pytest.approx(exact.mean(), rel=1e-6)


# ---- fault 5: memory grows without bound ---------------------------------------------------------------
ARRAYS_BOUND_MIB = 48  # about ten of the 4.6 MiB (p_keep, variant) entries: "a few", with room


def test_fault5_the_dropout_ensemble_cache_is_bounded(digits):
    explorer = DropoutEnsembleExplorer(digits, num_train=1000, seed=SEED)
    rss_start = H.rss_mib()
    states = [(variant, float(p_keep)) for _, variant in VARIANTS  # 20 states: unbounded, about 92 MiB
              for p_keep in np.round(np.arange(0.1, 1.0001, 0.2), 1)]  # every other position of the slider
    for variant, p_keep in states:
        explorer.apply(kind=variant, p_keep=p_keep)
        assert H.error(explorer) is None
    held = H.retained_bytes(explorer) / 2 ** 20
    assert held <= ARRAYS_BOUND_MIB, (f"after {len(states)} (p_keep, variant) states the explorer holds {held:.0f} "
                                      f"MiB of arrays (RSS {rss_start:.0f} -> {H.rss_mib():.0f} MiB)")


# ---- fault 6: degenerate Monte Carlo shown as "inf" ----------------------------------------------------
def test_fault6_too_few_masks_are_not_shown_as_infinity():
    explorer = DropoutScalingExplorer(x=1.0, seed=SEED)
    explorer.apply(p_keep=0.05, num_samples=10)
    assert H.error(explorer) is None
    texts = [H.status(explorer)] + [ax.get_title() for ax in explorer.axes]
    bad = [t for t in texts if re.search(r"\binf|\bnan", t, re.IGNORECASE)]
    assert not bad, bad


# ---- fault 7: a collapsed range gives API advice in the UI ---------------------------------------------
def test_fault7_a_collapsed_range_is_a_fixed_value_not_api_advice(digits):
    explorer = SearchDashboard(digits, seed=SEED)
    explorer.apply(lr_range=(2.0, 2.0), num_configs=5, num_epochs=1)
    explorer.run(wait=True)
    said = H.status(explorer) + " " + str(H.error(explorer) or "")
    assert not re.search(r"fixed=|specs\[|LogUniform\(", said), said
    if explorer.results is not None and len(explorer.results):  # it ran: every learning rate is 10^2
        assert all(t.config["learning_rate"] == pytest.approx(100.0) for t in explorer.results.trials)


# ---- found by the fuzz, beyond the seven ---------------------------------------------------------------
def test_fault8_blitting_keeps_what_a_full_draw_puts_on_top():
    explorer = InitializationExplorer(num_examples=100, seed=SEED)  # the start: Xavier, tanh, 10 layers
    assert "dotted line at 0" in explorer.range_text.get_text()
    shown_pixels, full = H.shown_pixels(explorer), H.full_redraw_pixels(explorer)
    differ = np.any(shown_pixels != full, axis=2)
    assert not differ.any(), f"{differ.mean():.2%} of the pixels differ from an ordinary full draw"


def test_fault8_the_ensemble_legend_stays_on_top(digits):
    explorer = EnsembleExplorer(digits, kind="seeds", seed=SEED)
    assert H.wait(explorer, 120)
    shown_pixels, full = H.shown_pixels(explorer), H.full_redraw_pixels(explorer)
    legend = explorer.ax_curve.get_legend().get_window_extent(explorer.fig.canvas.get_renderer())
    rows, columns = _pixel_box([legend], shown_pixels.shape[0])
    differ = np.any(shown_pixels[rows, columns] != full[rows, columns], axis=2)
    assert not differ.any(), f"{differ.sum()} pixels of the legend box differ from an ordinary full draw"


def test_fault9_the_initialization_nets_are_not_all_kept():
    explorer = InitializationExplorer(num_examples=100, seed=SEED)
    built = H.retained_bytes(explorer) / 2 ** 20  # about 19 MiB: the width-500 weights and one net
    for width in explorer.width.options:
        for depth in range(1, explorer.max_depth + 1):
            explorer.apply(width=width, depth=depth)
            assert H.error(explorer) is None
    held = H.retained_bytes(explorer) / 2 ** 20
    assert held <= ARRAYS_BOUND_MIB, f"after all 50 (depth, width) states it holds {held:.0f} MiB (built: {built:.0f})"


# ---- found by the long soak: moving bars blitted over the title of the axes below ---------------------
def test_fault10_moving_bars_are_not_blitted_over_the_next_axes_title():
    """Huge relu activations give the stats plot's y axis an offset text ("1e18"); above the axes, matplotlib
    lifted the plot's title clear of it, into the box of the histogram panels above, and blitting painted the
    bars over it. The offset text now sits inside the axes (the hall's "title within 3 px of the histograms"),
    so the title stays in its place; the picture must still equal a full draw (tests/test_blit.py keeps the
    lifted-title case for the blitter itself)."""
    explorer = InitializationExplorer(num_examples=100, seed=SEED)
    explorer.apply(init="gaussian", init_scale=7.94, activation="tanh", depth=9, width=100)
    explorer.apply(activation="relu")
    assert H.error(explorer) is None
    renderer = explorer.fig.canvas.get_renderer()
    title = explorer.ax_stats.title.get_window_extent(renderer)
    assert explorer.ax_stats.yaxis.offsetText.get_text(), "the case no longer brings an offset text"
    assert not any(ax.get_visible() and ax.bbox.overlaps(title) for ax in explorer.hist_axes), \
        "the offset text lifted the stats title into a histogram panel"
    assert title.y0 > explorer.ax_stats.yaxis.offsetText.get_window_extent(renderer).y1, "the title covers the offset"
    shown_pixels, full = H.shown_pixels(explorer), H.full_redraw_pixels(explorer)
    differ = np.any(shown_pixels != full, axis=2)
    rows, columns = np.nonzero(differ)
    assert not differ.any(), (f"{differ.sum()} pixels differ from an ordinary full draw (rows {rows.min()}-"
                              f"{rows.max()}, columns {columns.min()}-{columns.max()})")
