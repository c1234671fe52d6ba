"""The fuzz's own checks can fail: a toy explorer on the real base, broken on purpose one way at a time,
is caught by exactly the check for that fault; unbroken, it passes them all."""
import io
import threading
import time
import warnings

import explorer_harness as H
import ipywidgets as W
import numpy as np
import pytest
from PIL import Image

from widgets.base import Explorer, slider

RELEASE = threading.Event()  # ends the thread the "threads" toy leaks, after its test


class Toy(Explorer):
    """One slider, one line, a Run button with a background run; `fault` breaks one thing."""

    figsize, dpi = (3, 2), 50

    def __init__(self, fault=None):
        self.fault, self.cache, self.partial, self.cached = fault, {}, False, None
        self.run_button = W.Button(description="Run")
        self.run_button.on_click(lambda _: self.run())
        super().__init__()

    def make_controls(self):
        return {"a": slider("a", 1.0, 0.0, 10.0, 0.5)}

    def build_figure(self):
        ax = self.fig.subplots()
        (self.line,) = ax.plot([0.2, 0.8], [1, 1])
        ax.set(xlim=(0, 1), ylim=(0, 11))
        self.title = ax.set_title("")
        self.fig.set_layout_engine("none")  # a plain draw without constrained layout: fast
        if self.fault == "stale":
            self.animate(self.line)  # blitted; but refresh also changes the title, a static artist

    def refresh(self):
        a = self.a.value
        if self.fault == "error" and a > 5:
            raise ValueError(f"a too big: {a}")
        self.line.set_ydata([a, a])
        if self.fault == "stale":
            self.title.set_text(f"a = {a}")
        if self.fault == "memory":
            self.cache[a] = np.zeros(13 * 2 ** 20)  # 104 MiB each (never touched, so no RSS)
        self.show_message(f"a = {a}" + (" (3 of 10 trained so far)" if self.partial else ""))

    def run(self):
        if self.fault == "button" and self.a.value > 5:
            raise ValueError("Run failed")  # a handler's exception: Button.click() would only log it
        if self.fault == "warning":
            warnings.warn("a warning from the Run button", UserWarning, stacklevel=1)
        if self.fault == "filters":
            warnings.simplefilter("ignore", DeprecationWarning)
        if self.fault == "threads":
            threading.Thread(target=RELEASE.wait, daemon=True).start()

        def work(progress, stop_event):
            for i in range(1, 16):
                if stop_event.is_set():
                    self.partial = self.fault == "finishes"  # and nothing ever clears it
                    return
                time.sleep(0.01)
                self.show_frame(stop_event, lambda i=i: self.line.set_ydata([i / 2, i / 2]))
                progress(i / 15)

        self.run_in_background(work)

    def png(self, full=False):
        """The "stale" toy blits by hand the way the old base did: a picture of the still artists cached
        once and never renewed, so the title it changes stays stale (the base's own blitting cannot be
        broken that way: widgets/blit.py renews its picture whenever a still artist changes)."""
        if self.fault != "stale":
            return super().png(full)
        canvas = self.fig.canvas
        if self.cached is None:
            canvas.draw()
            self.cached = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self.cached)
        self.fig.draw_artist(self.line)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buffer, format="png")
        return buffer.getvalue()


def toy_spec(fault):
    """The "stale" toy is not checked for finishing runs (its hand-made blitting is the fault it shows)."""
    return H.Spec(f"Toy({fault})", "test", lambda data: Toy(fault), 8, background=fault != "stale")


@pytest.fixture(scope="module", autouse=True)
def release_leaked_threads():
    yield
    RELEASE.set()


def test_an_unbroken_explorer_passes_every_check():
    report = H.fuzz(toy_spec(None), None, seed=0)
    assert report.violations == [], [str(v) for v in report.violations]
    assert report.pixel_checks >= 3 and report.steps == 8


@pytest.mark.parametrize("fault, prop", [
    ("error", "errors"), ("button", "errors"), ("warning", "warnings"), ("filters", "filters"), ("stale", "pixels"),
    ("threads", "threads"), ("memory", "memory"), ("finishes", "finishes"),
])
def test_each_broken_explorer_is_caught_by_its_check(fault, prop, monkeypatch):
    monkeypatch.setattr(H, "THREAD_GRACE_SECONDS", 0.5)
    report = H.fuzz(toy_spec(fault), None, seed=0)
    assert report.failures(prop), f"the fuzz missed the {fault!r} toy"
    others = {v.property for v in report.violations} - {prop}
    assert not others, [str(v) for v in report.violations if v.property != prop]
    explanation = report.explain(prop)
    assert f"Toy({fault})" in explanation and "--seed 0 --steps 8" in explanation and "controls {'a':" in explanation


def test_the_same_seed_gives_the_same_actions():
    first, second = (H.fuzz(toy_spec(None), None, seed=3, num_steps=4) for _ in range(2))
    assert first.actions == second.actions and len(first.actions) == 4
    assert H.fuzz(toy_spec(None), None, seed=4, num_steps=4).actions != first.actions


def test_the_probe_sees_warnings_from_other_threads_and_restores_the_filters():
    before = list(warnings.filters)
    with H.WarningProbe() as probe:
        thread = threading.Thread(target=lambda: warnings.warn("from a thread", UserWarning, stacklevel=1))
        thread.start()
        thread.join()
        warnings.simplefilter("ignore")
    assert [text.split(" (")[0] for _, text in probe.records] == ["UserWarning: from a thread"]
    assert probe.filters_after[0] == ("ignore", None, Warning, None, 0)
    assert list(warnings.filters) == before
