"""The shared base of every explorer: controls, one matplotlib figure built once, a status line,
presets, throttling of slider storms, background runs with a progress bar and a Stop button.

An explorer subclass does three things:
  1. builds its controls (ipywidgets) as attributes and lists them in self.controls;
  2. draws its figure once in build_figure() and keeps the artists;
  3. in refresh(), asks core/ for numbers and updates those artists (set_data, set_ydata, ...).
The base renders the figure to PNG into an ipywidgets.Image, so the same view works in JupyterLab,
in Voila and, through a PNG fallback, in a static export of the notebook.
"""
import asyncio
import base64
import contextlib
import html
import io
import re
import threading
import time
import warnings

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

try:  # installed with scikit-learn
    from threadpoolctl import ThreadpoolController
    _BLAS = ThreadpoolController()
except ImportError:  # pragma: no cover
    _BLAS = None

def one_blas_thread():
    """Limit BLAS to one thread: for matrices this small, more threads cost more than they save
    (measured on a shared 2-core machine: a retrain took 1200 ms with 2 threads, 155 ms with 1)."""
    return _BLAS.limit(limits=1, user_api="blas") if _BLAS is not None else contextlib.nullcontext()


COLORS = {"train": "#1f77b4", "val": "#ff7f0e", "bad": "#d62728", "good": "#2ca02c", "ref": "#555555"}


def _slider_layout(description):
    """Wide enough that a long description does not squeeze the track (about 7 px a character)."""
    return W.Layout(width=f"{max(300, 230 + 7 * len(description))}px")


def log_slider(description, value, low_exp, high_exp, step=0.1, readout_format=".1e", **kwargs):
    """A slider over 10**low_exp .. 10**high_exp whose .value is the number itself (not its log)."""
    kwargs.setdefault("layout", _slider_layout(description))
    return W.FloatLogSlider(value=value, base=10, min=low_exp, max=high_exp, step=step,
                            description=description, readout_format=readout_format,
                            style={"description_width": "initial"}, **kwargs)


def slider(description, value, low, high, step, integer=False, **kwargs):
    """A float (or int) slider with a readable description."""
    kwargs.setdefault("layout", _slider_layout(description))
    cls = W.IntSlider if integer else W.FloatSlider
    return cls(value=value, min=low, max=high, step=step, description=description,
               style={"description_width": "initial"}, **kwargs)


def dropdown(description, options, value, **kwargs):
    """A dropdown; options is a list of labels or of (label, value) pairs."""
    return W.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, **kwargs)


class Explorer:
    """Base class: subclasses set `title`, `presets`, `figsize`, create controls, build_figure, refresh.

    presets: {"label": {control_attribute: value, ...}}; choosing one sets those controls at once
    and refreshes once.
    throttle_seconds: slider changes coming from the browser faster than this are coalesced (the last
    value wins); changes made from Python (a notebook cell, a test) refresh immediately.
    """

    title = ""
    presets = {}
    figsize = (10, 4)
    dpi = 90
    throttle_seconds = 0.05
    freeze_layout = True

    def __init__(self):
        self.fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.image = W.Image(
            format="png", layout=W.Layout(width="100%", max_width=f"{int(self.figsize[0] * self.dpi)}px")
        )
        self.status = W.HTML(value="")
        self.progress = W.FloatProgress(
            value=0, min=0, max=1, description="", layout=W.Layout(width="60%", visibility="hidden")
        )
        self.stop_button = W.Button(description="Stop", icon="stop", button_style="warning",
                                    layout=W.Layout(visibility="hidden"))
        self.stop_button.on_click(lambda _: self.stop())
        self._stop_event = threading.Event()
        self._thread = None
        self._lock = threading.RLock()
        self._pending = None
        self._last_refresh = 0.0
        self._in_preset = False
        self.preset = None
        self.last_error = None
        self.refresh_count = 0
        self.animated = []
        self._background = self._background_key = None
        if self.presets:
            self.preset = W.Dropdown(options=["(choose a lecture case)"] + list(self.presets),
                                     description="Lecture case", style={"description_width": "initial"},
                                     layout=W.Layout(width="max-content"))
            self.preset.observe(self._on_preset, names="value")
        self.controls = []

    # ---- wiring -----------------------------------------------------------------------------
    def watch(self, *controls):
        """Refresh when any of these controls changes; they also become part of the layout."""
        for control in controls:
            control.observe(self._on_change, names="value")
        self.controls.extend(controls)

    def _on_change(self, change):
        if self._in_preset:
            return
        if self.preset is not None and self.preset.index:  # a hand-moved control leaves the lecture case
            self._in_preset = True
            try:
                self.preset.index = 0
            finally:
                self._in_preset = False
        owner = change.get("owner")
        from_browser = owner is not None and change.get("name") in getattr(owner, "_property_lock", {})
        if not from_browser or self.throttle_seconds <= 0:
            self.update()
            return
        self._throttled_update()

    def _throttled_update(self):
        """Run now if the last refresh is old enough, else once at the end of the interval."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.update()
            return
        wait = self.throttle_seconds - (time.perf_counter() - self._last_refresh)
        if wait <= 0 and self._pending is None:
            self.update()
        elif self._pending is None:
            self._pending = loop.call_later(max(wait, 0.0), self._run_pending)

    def _run_pending(self):
        self._pending = None
        self.update()

    def _on_preset(self, change):
        values = self.presets.get(change["new"])
        if values:
            self.apply(**values)

    def apply(self, **values):
        """Set several controls at once (by attribute name) and refresh once."""
        for name in values:
            if not hasattr(self, name):
                raise ValueError(f"{type(self).__name__} has no control named {name!r}")
        self._in_preset = True
        try:
            for name, value in values.items():
                getattr(self, name).value = value
        finally:
            self._in_preset = False
        self.update()

    # ---- refreshing ---------------------------------------------------------------------------
    def update(self):
        """Recompute and redraw; an error becomes a readable message in the widget, not a traceback."""
        with self._lock:
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"), one_blas_thread():
                    warnings.simplefilter("ignore")
                    self.refresh()
                self.last_error = None
            except Exception as error:  # shown to the person, and kept for tests
                self.last_error = error
                self.show_message(f"Could not update: {type(error).__name__}: {error}", kind="error")
            self.render()
            self._last_refresh = time.perf_counter()
            self.refresh_count += 1

    def refresh(self):
        """Subclasses: recompute with core/ and update the artists."""
        raise NotImplementedError

    def render(self):
        """Draw the figure and put it into the Image widget as PNG."""
        self.image.value = self.png()

    def animate(self, *artists):
        """Mark artists that a control change moves. png() then draws the rest of the figure once,
        keeps it as pixels, and later draws only these over it (blitting): the same picture as a
        full draw, several times faster. The cache is renewed when background_key() changes."""
        for artist in artists:
            artist.set_animated(True)
            self.animated.append(artist)

    def background_key(self):
        """What the still part of the figure depends on (axis limits and scales, legend texts)."""
        key = []
        for ax in self.fig.axes:
            key.append((ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(), ax.get_visible()))
            legend = ax.get_legend()
            if legend is not None:
                key.append(tuple(text.get_text() for text in legend.get_texts()))
        return tuple(key)

    def png(self, full=False):
        """The figure as PNG bytes; full=True draws everything (for comparisons with the blitted one)."""
        canvas = self.fig.canvas
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            key = self.background_key() if self.animated else None
            if full or not self.animated or self._background is None or key != self._background_key:
                canvas.draw()  # animated artists are left out of this draw
                if self.fig.get_layout_engine() is not None and self.freeze_layout:
                    self.fig.set_layout_engine("none")  # laid out once, then kept: 2-3x faster draws
                if self.animated:
                    self._background, self._background_key = canvas.copy_from_bbox(self.fig.bbox), key
            else:
                canvas.restore_region(self._background)
            for artist in self.animated:
                if artist.get_visible():
                    self.fig.draw_artist(artist)
        rgba = np.asarray(canvas.buffer_rgba())
        buffer = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def pixels(self, full=False):
        """The current figure as an (H, W, 3) uint8 array (what png() encodes)."""
        return np.asarray(Image.open(io.BytesIO(self.png(full=full))))

    def show_message(self, text, kind="info"):
        """One line under the figure: kind "info", "good", "diverged" or "error"."""
        color = {"info": "#333", "good": COLORS["good"], "diverged": COLORS["bad"], "error": COLORS["bad"]}[kind]
        weight = "bold" if kind in ("diverged", "error") else "normal"
        self.status.value = f'<div style="color:{color};font-weight:{weight};font-size:15px">{html.escape(text)}</div>'

    @property
    def message(self):
        """The status line as plain text (for tests)."""
        return html.unescape(re.sub("<[^>]+>", "", self.status.value))  # also &#x27; (an apostrophe), &quot;

    # ---- long work ----------------------------------------------------------------------------
    def run_in_background(self, work, total=1.0):
        """Run work(progress, stop_event) in a thread, with the progress bar and Stop button shown.

        work calls progress(fraction) to move the bar and should return when stop_event is set.
        Returns the thread; wait() joins it.
        """
        self.stop()
        self.wait()
        self._stop_event = threading.Event()
        self.progress.value, self.progress.max = 0, total
        self.progress.layout.visibility = "visible"
        self.stop_button.layout.visibility = "visible"

        def progress(value):
            self.progress.value = min(value, total)

        def target():
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"), one_blas_thread():
                    warnings.simplefilter("ignore")
                    work(progress, self._stop_event)
            except Exception as error:
                self.last_error = error
                self.show_message(f"Could not finish: {type(error).__name__}: {error}", kind="error")
                with self._lock:
                    self.render()
            finally:
                self.progress.layout.visibility = "hidden"
                self.stop_button.layout.visibility = "hidden"

        self._thread = threading.Thread(target=target, daemon=True)
        self._thread.start()
        return self._thread

    def stop(self):
        """Ask the background run to stop (the Stop button)."""
        self._stop_event.set()

    def wait(self, timeout=None):
        """Block until the background run (if any) has finished."""
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive()

    # ---- layout -------------------------------------------------------------------------------
    def extra_widgets(self):
        """Subclasses may add buttons or tables below the controls."""
        return []

    def layout(self):
        header = [W.HTML(f"<h3 style='margin:4px 0'>{self.title}</h3>")] if self.title else []
        top = [self.preset] if self.preset is not None else []
        rows = [W.HBox(self.controls[i:i + 3], layout=W.Layout(flex_flow="row wrap"))
                for i in range(0, len(self.controls), 3)]
        box = W.VBox(header + top + rows + self.extra_widgets()
                     + [self.image, self.status, W.HBox([self.progress, self.stop_button])])
        box.add_class("tnn-explorer")  # browser tests find explorers by this class
        self.image.add_class("tnn-figure")
        return box

    @property
    def widget(self):
        if not hasattr(self, "_widget"):
            self._widget = self.layout()
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus the current figure as PNG for viewers that cannot run widgets."""
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        bundle["text/plain"] = f"<{type(self).__name__}: interactive explorer (run the notebook to use it)>"
        return bundle
