"""The shared explorer base: refresh on change, throttling of browser slider storms, presets,
errors shown in the widget, background runs with Stop, and the static PNG fallback."""
import asyncio
import threading
import time

import numpy as np
import pytest

from widgets.base import Explorer, log_slider, slider


class Counter(Explorer):
    title = "counter"
    cases = {"big": {"a": 9.0, "b": 1e2}}

    def __init__(self, fail_above=None):
        self.fail_above = fail_above
        self.seen = []
        super().__init__()

    def make_controls(self):
        return {"a": slider("a", 1.0, 0.0, 10.0, 0.5), "b": log_slider("b", 1.0, -3, 3)}

    def build_figure(self):
        (self.line,) = self.fig.subplots().plot([0, 1], [0, 0])

    def refresh(self):
        if self.fail_above is not None and self.a.value > self.fail_above:
            raise ValueError(f"a too big: {self.a.value}")
        self.seen.append((self.a.value, self.b.value))
        self.line.set_ydata([0, self.a.value * self.b.value])
        self.show_message(f"a={self.a.value}")


def test_setting_a_value_from_python_refreshes_at_once():
    e = Counter()
    e.a.value = 3.0
    assert e.line.get_ydata()[1] == 3.0
    assert e.message == "a=3.0"
    assert e.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_preset_sets_every_control_and_refreshes_once():
    e = Counter()
    before = e.refresh_count
    e.preset.value = "big"
    assert (e.a.value, e.b.value) == (9.0, 100.0)
    assert e.refresh_count == before + 1
    assert e.line.get_ydata()[1] == pytest.approx(900.0)


def test_apply_rejects_unknown_control_without_changing_anything():
    e = Counter()
    with pytest.raises(ValueError, match="no control named 'nope'"):
        e.apply(a=5.0, nope=1)
    assert e.a.value == 1.0


def test_error_in_refresh_becomes_a_message_not_a_traceback():
    e = Counter(fail_above=5)
    e.a.value = 6.0
    assert isinstance(e.last_error, ValueError)
    assert "Could not update: ValueError: a too big: 6.0" in e.message
    e.a.value = 2.0
    assert e.last_error is None and e.message == "a=2.0"


def test_browser_slider_storm_is_coalesced_and_ends_on_the_last_value():
    e = Counter()
    e.throttle_seconds = 0.05

    async def storm():
        for value in np.arange(0.5, 10.0, 0.5):
            with e.a._lock_property(value=float(value)):  # what ipywidgets does for a change from the browser
                e.a.value = float(value)
            await asyncio.sleep(0.002)
        await asyncio.sleep(0.2)

    before = e.refresh_count
    # in a thread of its own: another test's browser session may keep an event loop running in this one
    runner = threading.Thread(target=lambda: asyncio.run(storm()))
    runner.start()
    runner.join(30)
    refreshes = e.refresh_count - before
    assert 1 <= refreshes < 10  # 19 changes, far fewer redraws
    assert e.seen[-1][0] == 9.5  # the trailing refresh shows the final value
    assert e.line.get_ydata()[1] == pytest.approx(9.5)


def test_background_run_streams_progress_and_stops_on_request():
    e = Counter()
    steps = []

    def work(progress, stop_event):
        for i in range(1000):
            if stop_event.is_set():
                return
            steps.append(i)
            progress(i / 1000)
            time.sleep(0.001)

    e.run_in_background(work)
    time.sleep(0.05)
    assert e.running and e.progress.layout.visibility == "visible"
    e.stop_button.click()
    e.wait(5)
    assert not e.running
    assert 0 < len(steps) < 1000
    assert e.progress.layout.visibility == "hidden"


def test_error_in_background_work_is_shown():
    e = Counter()

    def work(progress, stop_event):
        raise RuntimeError("boom")

    e.run_in_background(work)
    e.wait(5)
    assert "Could not finish: RuntimeError: boom" in e.message


def test_display_bundle_has_live_widget_and_png_fallback():
    e = Counter()
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"].startswith("iVBORw0KGgo")
    assert "tnn-explorer" in e.widget._dom_classes


class Linked(Explorer):
    """Declarative: moving `a` moves `b` to 10 x a (the pattern of the race's surface and start sliders)."""
    cases = {"a 2, b 5": {"a": 2.0, "b": 5.0}, "a 3": {"a": 3.0}}
    start_case = "a 3"

    def make_controls(self):
        a, b = slider("a", 1.0, 0.0, 10.0, 0.5), slider("b", 10.0, 0.0, 100.0, 0.5)
        a.observe(self._on_a, names="value")  # before the base's observer
        return {"a": a, "b": b}

    def _on_a(self, change):
        with self.without_refresh():
            self.b.value = 10 * change["new"]

    def build_figure(self):
        (self.line,) = self.fig.subplots().plot([0, 1], [0, 0])
        self.seen = []

    def refresh(self):
        self.seen.append((self.a.value, self.b.value))


def test_a_control_that_moves_another_refreshes_once_and_a_case_still_wins():
    e = Linked()
    assert (e.a.value, e.b.value) == (3.0, 30.0) and e.seen == [(3.0, 30.0)]
    e.a.value = 4.0
    assert e.seen[1:] == [(4.0, 40.0)]  # one refresh, with both values moved
    e.choose_case("a 2, b 5")  # the case's own b is set after a's observer moved it
    assert e.seen[2:] == [(2.0, 5.0)] and e.preset.value == "a 2, b 5"
    e.b.value = 7.0  # quiet again afterwards: a later change refreshes
    assert e.seen[-1] == (2.0, 7.0) and len(e.seen) == 4
