"""Search dashboard: coarse -> fine random search, live, with the edge-of-range warning."""
import math

import ipywidgets as W
import numpy as np

from core import search
from core.demos.lecture_cases import learning_rate_cliff

from .axes import log_axis
from .base import COLORS, Explorer, button, slider
from .lr_range import LRRangeExplorer  # noqa: F401  (notebook 06 imports both explorers from here)
from .search_text import table_html, warning_sentence

LR_BOUNDS, REG_BOUNDS = (-7, 2), (-7, 5)  # the range sliders' ends, as exponents of 10
BOUNDS = {"learning_rate": LR_BOUNDS, "reg": REG_BOUNDS}


def exponent_range(description, value, bounds):
    """A range slider over exponents: (-6, -3) means 10**-6 .. 10**-3; both ends equal: a fixed value."""
    return W.FloatRangeSlider(value=value, min=bounds[0], max=bounds[1], step=0.1, description=description,
                              readout_format=".1f", style={"description_width": "initial"},
                              layout=W.Layout(width="360px"))


def exponents(spec, bounds):
    """A LogUniform's range as slider exponents, rounded outwards to the slider's 0.1 steps."""
    low = max(bounds[0], math.floor(math.log10(spec.low) * 10 + 1e-9) / 10)
    high = min(bounds[1], math.ceil(math.log10(spec.high) * 10 - 1e-9) / 10)
    return (low, max(high, low + 0.1))


def search_cases(data):
    """The dashboard's lecture cases: the slide's coarse range, and the coarse and the worrying range placed on
    the search net's cliff on data (momentum 0.9: core.demos.lecture_cases.learning_rate_cliff), as notebook 06
    places them: cliff/600 .. 16 cliff in half decades, and cliff/60 .. cliff/6."""
    cliff = learning_rate_cliff(data, {"update": "momentum"}).cliff
    coarse = tuple(round(2 * math.log10(v)) / 2 for v in (cliff / 600, 16 * cliff))
    worry = exponents(search.LogUniform(cliff / 60, cliff / 6), LR_BOUNDS)
    return {"slide's coarse range: lr 10^U(-6,-3), reg 10^U(-5,5)":
                {"lr_range": (-6.0, -3.0), "reg_range": (-5.0, 5.0)},
            f"coarse range for this data: lr 10^U({coarse[0]:g},{coarse[1]:g}), reg 10^U(-5,5)":
                {"lr_range": coarse, "reg_range": (-5.0, 5.0)},
            f"worrying: lr 10^U({worry[0]:g},{worry[1]:g}) ends below the best region":
                {"lr_range": worry, "reg_range": (-4.0, 0.0)}}


class SearchDashboard(Explorer):
    """Random search over learning rate and regularization (log ranges), run in the background.

    data: a dict from core.data (X_train, y_train, X_val, y_val), preprocessed.
    fixed: the other hyperparameters (core.search.DEFAULTS otherwise: the slide's momentum 0.9,
    learning_rate_decay 0.9, batch 100, 50 hidden units). executor: None (one configuration after
    another in the background thread) or any concurrent.futures.Executor. results: an earlier
    core.search.SearchResults to show (its lr and reg ranges set the sliders; the menu names the case
    they equal). seed: every Run draws new configurations from one generator seeded once. A range
    slider collapsed to one point fixes that hyperparameter. Without results it opens on the coarse range
    for this data (placed on the cliff, core.demos.lecture_cases).
    """

    title = "Hyperparameter search: coarse -> fine"
    figsize = (11, 4.2)
    ticks_below = True
    draw_interval = 0.3    # at least this many seconds between live redraws while a search runs,
    draw_share = 0.2       # and drawing takes at most this share of the time (training goes first)
    after_stop = "Stopped: the finished configurations are kept; Run starts a new search."

    def __init__(self, data, fixed=None, executor=None, results=None, seed=0):
        self.data, self.fixed, self.executor = data, dict(fixed or {}), executor
        self.rng, self.results = np.random.default_rng(seed), results
        self.cases = search_cases(data)
        self.start_case = None if results is not None else list(self.cases)[1]
        self.run_button = button("Run", self.run, "play", button_style="success")
        self.refine_button = button("Refine ranges", self.refine, "search-plus")
        self.table, self.warnings = W.HTML(value=""), []
        self._searching = False
        super().__init__()

    def make_controls(self):
        ranges = {"learning_rate": list(self.cases.values())[1]["lr_range"], "reg": (-5.0, 5.0)}
        for name, bounds in (("learning_rate", LR_BOUNDS), ("reg", REG_BOUNDS)):
            spec = self.results.specs.get(name) if self.results is not None else None
            if isinstance(spec, search.LogUniform):
                ranges[name] = exponents(spec, bounds)
        return {"lr_range": exponent_range("lr: 10^", ranges["learning_rate"], LR_BOUNDS),
                "reg_range": exponent_range("reg: 10^", ranges["reg"], REG_BOUNDS),
                "num_configs": slider("configurations", 50, 5, 200, 5, integer=True),
                "num_epochs": slider("epochs", 5, 1, 20, 1, integer=True),
                "top_k": slider("refine around top", 5, 1, 20, 1, integer=True)}

    def colors(self):
        return [COLORS["bad"], COLORS["extra"], COLORS["ref"]]  # diverged (x), best (star), search range (dashed)

    def build_figure(self):
        self.ax_map, self.ax_lr = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
        ax = self.ax_map
        log_axis(ax.xaxis)
        log_axis(ax.yaxis)
        ax.set(xlabel="learning rate", ylabel="regularization", title="validation accuracy per configuration")
        self.points = ax.scatter([], [], c=[], cmap="viridis", vmin=0, vmax=1, s=36, edgecolors="k", linewidths=0.3)
        self.crosses = ax.scatter([], [], marker="x", color=COLORS["bad"], s=36, label="diverged")
        (self.best_mark,) = ax.plot([], [], "*", color=COLORS["extra"], ms=16, mec="k", label="best")
        (self.box,) = ax.plot([], [], "--", color=COLORS["ref"], lw=1.2, label="search range")
        ax.legend(loc="upper left", fontsize=8, framealpha=0.8)
        self.fig.colorbar(self.points, ax=ax, label="val accuracy", pad=0.01)
        ax = self.ax_lr
        log_axis(ax.xaxis)  # decades only, on all three log axes: fewer ticks, faster redraws
        ax.set(xlabel="learning rate", ylabel="val accuracy", ylim=(-0.02, 1.02),
               title="val accuracy against learning rate")
        self.lr_points = ax.scatter([], [], c=[], cmap="viridis", vmin=0, vmax=1, s=28, edgecolors="k", linewidths=0.3)
        self.lr_crosses = ax.scatter([], [], marker="x", color=COLORS["bad"], s=28)
        (self.lr_best,) = ax.plot([], [], "*", color=COLORS["extra"], ms=16, mec="k")
        self.lr_edges = [ax.axvline(np.nan, color=COLORS["ref"], ls="--", lw=1.2) for _ in range(2)]
        self.edge_text = ax.title   # the right panel's title turns into the edge warning
        self.animate(self.points, self.crosses, self.best_mark, self.box, self.lr_points, self.lr_crosses, self.lr_best,
                     *self.lr_edges, self.edge_text)

    def ranges(self):
        return {"learning_rate": self.lr_range.value, "reg": self.reg_range.value}

    def specs(self):
        """The search space the sliders describe (a range collapsed to one point is fixed, not searched)."""
        return {name: search.LogUniform.exponents(low, high) for name, (low, high) in self.ranges().items()
                if low < high}

    def fixed_values(self):
        """The hyperparameters not searched: the constructor's fixed, and every range collapsed to one point."""
        return {**self.fixed, **{name: 10.0 ** low for name, (low, high) in self.ranges().items() if low == high}}

    def refresh(self):
        (lr_low, lr_high), (reg_low, reg_high) = self.lr_range.value, self.reg_range.value
        corners_x = 10.0 ** np.array([lr_low, lr_high, lr_high, lr_low, lr_low])
        corners_y = 10.0 ** np.array([reg_low, reg_low, reg_high, reg_high, reg_low])
        self.box.set_data(corners_x, corners_y)
        for line, x in zip(self.lr_edges, (lr_low, lr_high)):
            line.set_xdata([10.0 ** x] * 2)
        x_exps, y_exps = [lr_low, lr_high], [reg_low, reg_high]
        results = self.results
        trials = list(results.trials) if results is not None else []
        ok = [t for t in trials if t.status == "finished"]
        bad = [t for t in trials if t.status != "finished"]
        xy = lambda ts: np.array([[t.config["learning_rate"], t.config["reg"]] for t in ts]).reshape(-1, 2)
        acc = np.array([t.val_acc for t in ok])
        self.points.set_offsets(xy(ok))
        self.points.set_array(acc)
        self.crosses.set_offsets(xy(bad))
        self.lr_points.set_offsets(np.c_[xy(ok)[:, 0], acc])
        self.lr_points.set_array(acc)
        bad_acc = np.array([t.val_acc if math.isfinite(t.val_acc) else 0.0 for t in bad])
        self.lr_crosses.set_offsets(np.c_[xy(bad)[:, 0], bad_acc])
        best = results.best if results is not None else None
        lr_best = [best.config["learning_rate"]] if best is not None else []
        self.best_mark.set_data(lr_best, [best.config["reg"]] if best is not None else [])
        self.lr_best.set_data(lr_best, [best.val_acc] if best is not None else [])
        if trials:
            points = np.log10(xy(trials))
            x_exps += [points[:, 0].min(), points[:, 0].max()]
            y_exps += [points[:, 1].min(), points[:, 1].max()]
        pad = lambda e: (10.0 ** (min(e) - 0.3), 10.0 ** (max(e) + 0.3))
        self.set_limits(self.ax_map, x=pad(x_exps), y=pad(y_exps))
        self.set_limits(self.ax_lr, x=pad(x_exps))
        self.warnings = self._edge_warnings(results)
        worrying = ", ".join(f"best {search.LABELS.get(w.name, w.name)} at the {w.edge} edge" for w in self.warnings)
        self.edge_text.set_text(f"worrying: {worrying}" if worrying else "val accuracy against learning rate")
        self.edge_text.set(color=COLORS["bad"] if worrying else "black", weight="bold" if worrying else "normal")
        self.table.value = table_html(results)
        self._show_status(results, best, bad)

    def _edge_warnings(self, results):
        if results is None or not results.trials or self._searching:
            return []
        specs = {k: v for k, v in results.specs.items() if not isinstance(v, search.Choice)}
        return search.edge_warnings(specs, results)

    def _show_status(self, results, best, bad):
        fixed = "".join(f" {search.LABELS.get(name, name)} fixed at {10.0 ** low:.2g} (its range is one point)."
                        for name, (low, high) in self.ranges().items() if low == high)
        if results is None:
            self.show_message("Set the ranges and press Run: each dot will be one configuration trained "
                              f"for {self.num_epochs.value} epochs." + fixed)
            return
        done = f"{len(results)} / {results.num_configs} configurations"
        if self._searching:
            done = "running: " + done
        elif results.stopped:
            done = f"stopped: kept the {len(results)} finished of {results.num_configs} configurations"
        text = done + f", {len(bad)} diverged (cost > 3 x original)"
        if best is not None:
            text += (f"; best val acc {best.val_acc:.3f} at lr {best.config['learning_rate']:.2e}, "
                     f"reg {best.config['reg']:.2e}")
        kind = "diverged" if self.warnings else "good" if best is not None and not self._searching else "info"
        warnings = "".join(warning_sentence(w, BOUNDS.get(w.name)) for w in self.warnings)
        self.show_message(text + "." + warnings + fixed, kind=kind)

    def run(self, wait=False):
        """The Run button: a new random search over the slider ranges, streamed into the plots."""
        specs, fixed = self.specs(), self.fixed_values()
        num_configs, num_epochs = self.num_configs.value, self.num_epochs.value
        rng = np.random.default_rng(self.rng.integers(2 ** 31))

        def work(progress, stop):
            frame = self.paced_frames(stop, self.refresh, self.draw_share, self.draw_interval)

            def on_result(trial, results):
                self.results = results
                progress(len(results))
                frame()

            self.results, self._searching = search.SearchResults(specs, num_configs, num_epochs), True
            self.show_frame(stop, self.refresh)
            try:
                self.results = search.random_search(self.data, specs, num_configs, num_epochs=num_epochs, fixed=fixed,
                                                    rng=rng, executor=self.executor, callback=on_result, stop=stop)
            finally:
                self._searching = False
                self.update()  # also after Stop: the finished configurations are kept and shown

        thread = self.run_in_background(work, total=num_configs)
        if wait:
            self.wait()
        return thread

    def refine(self):
        """The Refine button: narrow the lr and reg ranges searched around the top configurations."""
        if self.results is None or self.results.best is None:
            self.show_message("Nothing to refine yet: run a search first.", kind="info")
            return
        specs = {k: v for k, v in self.results.specs.items() if k in ("learning_rate", "reg")}
        new = search.refine(specs, self.results, top_k=self.top_k.value) if specs else {}
        bounds = {"learning_rate": ("lr_range", LR_BOUNDS), "reg": ("reg_range", REG_BOUNDS)}
        self.apply(**{bounds[name][0]: exponents(spec, bounds[name][1]) for name, spec in new.items()})

    def extra_widgets(self):
        return [W.HBox([self.run_button, self.refine_button])]

    def layout(self):
        box = super().layout()
        box.children = tuple(box.children) + (self.table,)
        return box

