"""The base of every explorer: declare controls, draw a figure once, update its artists from core/.

A complete small explorer (the pattern every explorer follows):

    class SineExplorer(Explorer):
        '''A sine wave; the frequency slider moves the line.'''
        title = "A sine wave"
        cases = {"slow": {"frequency": 1.0}, "fast": {"frequency": 8.0}}
        start_case = "slow"                       # the explorer opens on this lecture case

        def __init__(self, num_points=200):
            self.num_points = num_points           # constructor arguments first ...
            super().__init__()                     # ... then the base builds everything and draws

        def make_controls(self):                   # {attribute name: widget}; each becomes self.<name>
            return {"frequency": slider("frequency", 1.0, 0.5, 10, 0.5)}

        def build_figure(self):                    # once: axes and artists
            self.ax = self.fig.subplots()
            (self.line,) = self.ax.plot([], [], color=COLORS["train"], label="sin")
            self.ax.set(xlim=(0, 1), ylim=(-1.1, 1.1))
            self.animate(self.line)                # what a control change moves (blitted)

        def refresh(self):                         # every change: numbers from core/, then artists
            x = np.linspace(0, 1, self.num_points)
            self.line.set_data(x, np.sin(2 * np.pi * self.frequency.value * x))
            self.show_message(f"frequency {self.frequency.value:g}")

        def colors(self):                          # colours that tell things apart (tested for CVD)
            return [COLORS["train"]]

The base owns the rest: wiring (every control refreshes), the "Lecture case" menu (which shows the
case the controls equal, else "(custom)"), throttling of slider storms, the picture (widgets/picture.py:
exact blitting, the presentation theme, PNG), background runs with a progress bar and Stop
(widgets/runs.py; Stop pauses and the next change carries on): run_jobs(jobs, kept, train, draw, finish)
for keyed runs that are kept once finished (update rules, schedules, ensemble members, sweeps), and
run_in_background with show_frame / paced_frames for one stream (Play, a search), the status line (also
the image's text alternative), and snapshot(case=None, **values): a static picture of another state,
for a notebook cell, while the interactive explorer stays where it was.
"""
import base64
import html
import re
import threading

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import glyphs, hall, theme
from .blit import Blitter
from .cache import LRU
from .cases import LectureCases
from .controls import button, choice_slider, dropdown, log_slider, slider
from .picture import Picture
from .runs import BackgroundRuns, one_blas_thread
from .snapshot import Snapshot, Snapshots
from .theme import COLORS
from .throttle import Throttle

glyphs.install()  # text, most of a frame's drawing, 3-5x faster with the same pixels (matplotlib 3.11)

NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value):
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= value (> 0): an axis
    limit that changes rarely while a slider moves, so the cached picture of the axes is reused; value itself
    if it is not finite and positive."""
    if not (np.isfinite(value) and value > 0):
        return value
    decade = 10.0 ** np.floor(np.log10(value))
    return float(next(step * decade for step in NICE_STEPS if step * decade >= value * (1 - 1e-12)))


def show_history(line, values):
    """Draw a history (per epoch or per iteration, numbered from 1) on a line, a value that is not finite (a
    diverged cost) as a gap. Returns the values drawn: a float array, NaN where not finite."""
    values = np.asarray(values, dtype=float)
    shown = np.where(np.isfinite(values), values, np.nan)
    line.set_data(np.arange(1, values.size + 1), shown)
    return shown


def verdict_text(ax, x, y, **kwargs):
    """An empty bold text in the "bad" colour at (x, y) in ax's axes coordinates, for what went wrong (a
    diverged run, NaN costs); kwargs: the text's other properties (fontsize, ha, va, bbox, ...)."""
    return ax.text(x, y, "", transform=ax.transAxes, color=COLORS["bad"], weight="bold", **kwargs)


class Explorer(LectureCases, BackgroundRuns, Snapshots, Picture):
    """Declare: title, cases ({name: {control: value}}), start_case, figsize, ticks_below, make_controls(),
    build_figure(), refresh(), colors(). See the module docstring for an example."""

    title = ""
    cases = {}            # the lecture cases (self.presets: the explorer's own copy)
    start_case = None
    figsize = (10, 4)
    dpi = 90
    throttle_seconds = 0.05
    ticks_below = False   # True: every axes' ticks and labels under its artists, in the cached picture (not
                          # redrawn every frame)

    def __init__(self):
        self.presets = dict(self.cases)
        self.presenting = theme.presenting()
        self.fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.fig)
        width = "none" if self.presenting else f"{int(self.figsize[0] * self.dpi)}px"
        self.image = W.Image(format="png", layout=W.Layout(width="100%", max_width=width))
        self.status = W.HTML(value="")
        self.progress = W.FloatProgress(value=0, min=0, max=1, layout=W.Layout(width="60%", visibility="hidden"))
        self.stop_button = button("Stop", lambda: self.stop(), "stop", button_style="warning",
                                  layout=W.Layout(visibility="hidden"))
        self.last_error, self.refresh_count, self.animated, self.controls = None, 0, [], []
        self._lock, self._run, self._quiet_changes, self._inline_runs = threading.RLock(), None, False, False
        self._paused = False
        self.blitter = Blitter(self.fig, self.animated, self.background_key)
        self._themed = not self.presenting
        self._throttle = Throttle(self.throttle_seconds, self.update)
        self.preset = self.case_menu()
        made = self.make_controls()
        for name, control in made.items():
            setattr(self, name, control)
        self.watch(*made.values())
        self.build_figure()
        if self.ticks_below:
            for ax in self.fig.axes:
                ax.set_axisbelow(True)
        if self.start_case is not None:
            self._set_values(self.presets[self.start_case])
        self.update()

    # ---- what a subclass declares ---------------------------------------------------------------
    def make_controls(self):
        """{attribute name: widget}: each becomes self.<name>, and a change of any refreshes."""
        return {}

    def build_figure(self):
        """Create axes and artists once (and mark the moving ones with animate())."""

    def refresh(self):
        """Recompute with core/ and update the artists and the status line."""
        raise NotImplementedError

    def colors(self):
        """The colours this explorer uses to tell things apart, from widgets.theme (a test checks them
        under colour-vision deficiencies). None: not declared."""
        return None

    def background_key(self):
        """Anything beyond matplotlib's own change tracking that the still picture depends on."""

    # ---- wiring ---------------------------------------------------------------------------------
    def watch(self, *controls):
        """Refresh when any of these controls changes; they also become part of the layout."""
        for control in controls:
            control.observe(self._on_change, names="value")
        self.controls.extend(controls)

    def _on_change(self, change):
        if self._quiet_changes:
            return
        owner = change.get("owner")
        from_browser = owner is not None and change.get("name") in getattr(owner, "_property_lock", {})
        if from_browser:
            self._throttle.request()
        else:
            self.update()

    # ---- refreshing -------------------------------------------------------------------------------
    def update(self):
        """Recompute and redraw; an error becomes a readable message in the widget, not a traceback.
        A run paused by Stop carries on (or restarts): refresh() decides what to train."""
        with self._lock:
            self._show_case()
            try:
                with self.quiet():
                    self.refresh()
                self.last_error = None
            except Exception as error:  # shown to the person, and kept for tests
                self.last_error = error
                self.show_message(f"Could not update: {type(error).__name__}: {error}", kind="error")
            self.render()
            self.refresh_count += 1

    def quiet(self):
        """Silence numpy's floating-point warnings here (np.errstate: this thread only). Warnings of other
        libraries are not hidden, and the process-wide warnings filters are never touched."""
        return np.errstate(all="ignore")

    def set_limits(self, ax, x=None, y=None):
        """Set an axes' limits only when they change: a change renews the cached picture (a full draw);
        setting the same limits again would too, so explorers call this instead of ax.set_xlim."""
        if x is not None and tuple(ax.get_xlim()) != tuple(x):
            ax.set_xlim(x)
        if y is not None and tuple(ax.get_ylim()) != tuple(y):
            ax.set_ylim(y)

    def show_message(self, text, kind="info"):
        """The status line: kind "info", "good", "diverged" or "error"; hall.py's page script makes it the
        image's alt text (Image has no alt trait; its tooltip breaks the widget's view in Voila 0.5)."""
        color = {"info": "#333", "good": "#333", "diverged": COLORS["bad"], "error": COLORS["bad"]}[kind]
        weight = "bold" if kind in ("diverged", "error") else "normal"
        self.status.value = f'<div style="color:{color};font-weight:{weight};font-size:15px">{html.escape(text)}</div>'

    def show_status(self, result, text):
        """The status line of a finished run (a core TrainResult): its message if it diverged, else text()."""
        self.show_message(result.message if result.diverged else text(), "diverged" if result.diverged else "info")

    @property
    def message(self):
        """The status line as plain text (for tests)."""
        return html.unescape(re.sub("<[^>]+>", "", self.status.value))

    # ---- layout -----------------------------------------------------------------------------------
    def extra_widgets(self):
        """Subclasses may add buttons or tables below the controls."""
        return []

    def layout(self):
        header = [W.HTML(f"<h3 style='margin:4px 0'>{self.title}</h3>")] if self.title else []
        top = [self.preset] if self.preset is not None else []
        rows = [W.HBox(self.controls[i:i + 3], layout=W.Layout(flex_flow="row wrap"))
                for i in range(0, len(self.controls), 3)]
        run = [self.image, self.status, W.HBox([self.progress, self.stop_button])]  # hall.page_fixes: CSS and JS
        box = W.VBox(header + top + rows + self.extra_widgets() + run + hall.page_fixes(self.presenting))
        box.add_class("tnn-explorer")  # browser tests find explorers by this class
        self.image.add_class("tnn-figure")
        self.status.add_class("tnn-status")  # widgets/hall.py copies it into the picture's alt text
        return box

    @property
    def widget(self):
        if not hasattr(self, "_widget"):
            self._widget = self.layout()
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus the current figure as PNG for viewers that cannot run widgets."""
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle = dict(bundle[0] if isinstance(bundle, tuple) else bundle)
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        bundle["text/plain"] = f"<{type(self).__name__}: interactive explorer (run the notebook to use it)>"
        return bundle

__all__ = ["COLORS", "LRU", "Explorer", "Snapshot", "button", "choice_slider", "dropdown", "log_slider", "nice_ceiling",
           "one_blas_thread", "show_history", "slider", "verdict_text"]
