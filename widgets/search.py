"""Search dashboard: coarse -> fine random search, live, with the edge-of-range warning."""
import html
import math
import time

import ipywidgets as W
import numpy as np
from matplotlib.ticker import NullLocator

from core import search

from .base import COLORS, Explorer, slider


def exponent_range(description, value, low, high):
    """A range slider over exponents: (-6, -3) means 10**-6 .. 10**-3."""
    return W.FloatRangeSlider(value=value, min=low, max=high, step=0.1, description=description,
                              readout_format=".1f", style={"description_width": "initial"},
                              layout=W.Layout(width="360px"))


class SearchDashboard(Explorer):
    """Random search over learning rate and regularization (log ranges), run in the background.

    data: a dict from core.data (X_train, y_train, X_val, y_val), preprocessed.
    fixed: the other hyperparameters (core.search.DEFAULTS otherwise: the slide's momentum 0.9,
    learning_rate_decay 0.9, batch 100, 50 hidden units). executor: None (one configuration after
    another in the background thread) or any concurrent.futures.Executor. results: an earlier
    core.search.SearchResults to show (its lr and reg ranges set the sliders). seed: every Run
    draws new configurations from one generator seeded once.
    """

    title = "Hyperparameter search: coarse -> fine"
    presets = {
        "slide's coarse range: lr 10^U(-6,-3), reg 10^U(-5,5)": {"lr_range": (-6, -3), "reg_range": (-5, 5)},
        "digits coarse range: lr 10^U(-3,1), reg 10^U(-5,5)": {"lr_range": (-3, 1), "reg_range": (-5, 5)},
        "worrying: lr 10^U(-2,-1) ends below the best region": {"lr_range": (-2, -1), "reg_range": (-5, -1)},
    }
    figsize = (11, 4.2)
    draw_interval = 0.3    # at least this many seconds between live redraws while a search runs,
    draw_share = 0.2       # and drawing takes at most this share of the time (training goes first)

    def __init__(self, data, fixed=None, executor=None, results=None, seed=0):
        super().__init__()
        self.data, self.fixed, self.executor = data, dict(fixed or {}), executor
        self.rng = np.random.default_rng(seed)
        self.results = results
        self.lr_range = exponent_range("lr: 10^", (-3, 1), -7, 2)
        self.reg_range = exponent_range("reg: 10^", (-5, 5), -7, 5)
        self.num_configs = slider("configurations", 50, 5, 200, 5, integer=True)
        self.num_epochs = slider("epochs", 5, 1, 20, 1, integer=True)
        self.top_k = slider("refine around top", 5, 1, 20, 1, integer=True)
        if results is not None:
            for name, control in (("learning_rate", self.lr_range), ("reg", self.reg_range)):
                spec = results.specs.get(name)
                if isinstance(spec, search.LogUniform):
                    control.value = self._exponents(spec, control)
        self.watch(self.lr_range, self.reg_range, self.num_configs, self.num_epochs, self.top_k)
        self.run_button = W.Button(description="Run", icon="play", button_style="success")
        self.run_button.on_click(lambda _: self.run())
        self.refine_button = W.Button(description="Refine ranges", icon="search-plus")
        self.refine_button.on_click(lambda _: self.refine())
        self.table = W.HTML(value="")
        self.warnings = []
        self._searching = False
        self._last_draw = self._draw_seconds = 0.0
        self.build_figure()
        self.update()

    # ---- figure -------------------------------------------------------------------------------
    def build_figure(self):
        self.ax_map, self.ax_lr = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
        ax = self.ax_map
        ax.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="regularization",
               title="validation accuracy per configuration")
        self.points = ax.scatter([], [], c=[], cmap="viridis", vmin=0, vmax=1, s=36, edgecolors="k", linewidths=0.3)
        self.crosses = ax.scatter([], [], marker="x", color=COLORS["bad"], s=36, label="diverged")
        (self.best_mark,) = ax.plot([], [], "*", color="#ff00ff", ms=16, mec="k", label="best")
        (self.box,) = ax.plot([], [], "--", color=COLORS["ref"], lw=1.2, label="search range")
        ax.legend(loc="upper left", fontsize=8, framealpha=0.8)
        self.fig.colorbar(self.points, ax=ax, label="val accuracy", pad=0.01)
        ax = self.ax_lr
        ax.set(xscale="log", xlabel="learning rate", ylabel="val accuracy", ylim=(-0.02, 1.02),
               title="val accuracy against learning rate")
        self.lr_points = ax.scatter([], [], c=[], cmap="viridis", vmin=0, vmax=1, s=28, edgecolors="k", linewidths=0.3)
        self.lr_crosses = ax.scatter([], [], marker="x", color=COLORS["bad"], s=28)
        (self.lr_best,) = ax.plot([], [], "*", color="#ff00ff", ms=16, mec="k")
        self.lr_edges = [ax.axvline(np.nan, color=COLORS["ref"], ls="--", lw=1.2) for _ in range(2)]
        for axis in (self.ax_map.xaxis, self.ax_map.yaxis, self.ax_lr.xaxis):
            axis.set_minor_locator(NullLocator())   # decades only: fewer ticks, faster redraws
        self.edge_text = ax.title   # the right panel's title turns into the edge warning

    @staticmethod
    def _exponents(spec, control):
        low = max(control.min, math.floor(math.log10(spec.low) * 10 + 1e-9) / 10)
        high = min(control.max, math.ceil(math.log10(spec.high) * 10 - 1e-9) / 10)
        return (low, max(high, low + control.step))

    def specs(self):
        """The search space the sliders describe."""
        (lr_low, lr_high), (reg_low, reg_high) = self.lr_range.value, self.reg_range.value
        return {"learning_rate": search.LogUniform.exponents(lr_low, lr_high),
                "reg": search.LogUniform.exponents(reg_low, reg_high)}

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
        if best is not None:
            self.best_mark.set_data([best.config["learning_rate"]], [best.config["reg"]])
            self.lr_best.set_data([best.config["learning_rate"]], [best.val_acc])
        else:
            self.best_mark.set_data([], [])
            self.lr_best.set_data([], [])
        if trials:
            points = np.log10(xy(trials))
            x_exps += [points[:, 0].min(), points[:, 0].max()]
            y_exps += [points[:, 1].min(), points[:, 1].max()]
        pad = lambda e: (10.0 ** (min(e) - 0.3), 10.0 ** (max(e) + 0.3))
        self.ax_map.set_xlim(*pad(x_exps))
        self.ax_map.set_ylim(*pad(y_exps))
        self.ax_lr.set_xlim(*pad(x_exps))
        self.warnings = self._edge_warnings(results)
        if self.warnings:
            self.edge_text.set_text("worrying: " + ", ".join(
                f"best {search.LABELS.get(w.name, w.name)} at the {w.edge} edge" for w in self.warnings))
            self.edge_text.set(color=COLORS["bad"], weight="bold")
        else:
            self.edge_text.set_text("val accuracy against learning rate")
            self.edge_text.set(color="black", weight="normal")
        self.table.value = self._table_html(results)
        self._show_status(results, best, bad)

    def _edge_warnings(self, results):
        if results is None or not results.trials or self._searching:
            return []
        specs = {k: v for k, v in results.specs.items() if not isinstance(v, search.Choice)}
        return search.edge_warnings(specs, results)

    def _show_status(self, results, best, bad):
        if results is None:
            self.show_message("Set the ranges and press Run: each dot will be one configuration trained "
                              f"for {self.num_epochs.value} epochs.")
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
        if self.warnings:
            self.show_message(text + ". WARNING " + " ".join(str(w) for w in self.warnings), kind="diverged")
        else:
            self.show_message(text, kind="good" if best is not None and not self._searching else "info")

    @staticmethod
    def _table_html(results, k=10):
        if results is None or not results.trials:
            return ""
        head = "".join(f"<th style='padding:2px 8px'>{h}</th>" for h in
                       ("rank", "val acc", "lr", "reg", "train acc", "final cost", "status", "seconds", "(i / n)"))
        rows = []
        for rank, t in enumerate(results.top(k), 1):
            color = COLORS["bad"] if t.status != "finished" else "#000"
            status = f"diverged at it. {t.diverged_at}" if t.status == "diverged" else t.status
            cells = (rank, f"{t.val_acc:.3f}", f"{t.config['learning_rate']:.2e}", f"{t.config['reg']:.2e}",
                     f"{t.train_acc:.3f}", f"{t.final_cost:.3g}", status, f"{t.seconds:.2f}",
                     f"({t.index + 1} / {results.num_configs})")
            rows.append(f"<tr style='color:{color}'>" + "".join(
                f"<td style='padding:2px 8px;text-align:right'>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
        return (f"<b>Top {min(k, len(results))} of {len(results)}</b><table style='font-family:monospace;"
                f"font-size:13px;border-collapse:collapse'><tr>{head}</tr>{''.join(rows)}</table>")

    # ---- actions ------------------------------------------------------------------------------
    def run(self, wait=False):
        """The Run button: a new random search over the slider ranges, streamed into the plots."""
        specs = self.specs()
        num_configs, num_epochs = self.num_configs.value, self.num_epochs.value
        rng = np.random.default_rng(self.rng.integers(2 ** 31))
        try:
            search.sample(specs, 1, rng=0, fixed=self.fixed)   # an empty range fails here, before any thread
        except ValueError as error:
            self.last_error = error
            self.show_message(f"Cannot run: {error}", kind="error")
            return None

        def work(progress, stop_event):
            def on_result(trial, results):
                self.results = results
                progress(len(results))
                now = time.perf_counter()
                if now - self._last_draw > max(self.draw_interval, self._draw_seconds / self.draw_share):
                    self.update()
                    self._last_draw = time.perf_counter()
                    self._draw_seconds = self._last_draw - now

            self.results = search.SearchResults(specs, num_configs, num_epochs)
            self._searching = True
            self.update()
            try:
                self.results = search.random_search(self.data, specs, num_configs, num_epochs=num_epochs,
                                                    fixed=self.fixed, rng=rng, executor=self.executor,
                                                    callback=on_result, stop=stop_event)
            finally:
                self._searching = False
                self.update()

        thread = self.run_in_background(work, total=num_configs)
        if wait:
            self.wait()
        return thread

    def refine(self):
        """The Refine button: narrow the lr and reg ranges around the top configurations."""
        if self.results is None or self.results.best is None:
            self.show_message("Nothing to refine yet: run a search first.", kind="info")
            return
        specs = {k: v for k, v in self.results.specs.items() if k in ("learning_rate", "reg")}
        new = search.refine(specs, self.results, top_k=self.top_k.value)
        self.apply(lr_range=self._exponents(new["learning_rate"], self.lr_range),
                   reg_range=self._exponents(new["reg"], self.reg_range))

    def extra_widgets(self):
        return [W.HBox([self.run_button, self.refine_button])]

    def layout(self):
        box = super().layout()
        box.children = tuple(box.children) + (self.table,)
        return box


class LRRangeExplorer(Explorer):
    """The learning-rate range test: one run whose learning rate grows exponentially per iteration,
    loss drawn against learning rate, stopped by the explosion rule (cost > 3 x original cost).

    data: a dict from core.data, preprocessed. The slide's rough range for CIFAR-10 (1e-5 .. 1e-3)
    is shaded for comparison.
    """

    title = "Learning-rate range test: where does the loss start falling, where does it explode?"
    presets = {
        "momentum 0.9 (the search's update)": {"update_rule": "momentum", "batch_size": 100},
        "plain SGD": {"update_rule": "sgd", "batch_size": 100},
        "Adam": {"update_rule": "adam", "batch_size": 100},
    }
    figsize = (9, 3.6)

    def __init__(self, data, lr_start=1e-6, lr_end=1e2, num_iterations=200, seed=0):
        super().__init__()
        self.data, self.seed = data, seed
        self.lr_start, self.lr_end, self.num_iterations = lr_start, lr_end, num_iterations
        self.update_rule = W.Dropdown(options=["sgd", "momentum", "nesterov", "adam", "rmsprop"], value="momentum",
                                      description="update", style={"description_width": "initial"})
        self.batch_size = slider("batch size", 100, 10, 500, 10, integer=True)
        self.reg = W.FloatLogSlider(value=1e-4, base=10, min=-6, max=1, step=0.1, description="reg",
                                    readout_format=".1e", style={"description_width": "initial"})
        self.watch(self.update_rule, self.batch_size, self.reg)
        self.build_figure()
        self.update()

    def build_figure(self):
        ax = self.ax = self.fig.subplots()
        ax.set(xscale="log", xlabel="learning rate (grows every iteration)", ylabel="mini-batch cost",
               xlim=(self.lr_start, self.lr_end))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.axvspan(1e-5, 1e-3, color="#dddddd", zorder=0, label="slide's rough range (CIFAR-10)")
        (self.line,) = ax.plot([], [], color=COLORS["train"], lw=1.2, label="cost")
        self.explode_line = ax.axhline(np.nan, color=COLORS["bad"], ls="--", lw=1, label="3 x original cost")
        (self.best_mark,) = ax.plot([], [], "v", color=COLORS["good"], ms=11, label="lowest (smoothed) cost")
        (self.end_mark,) = ax.plot([], [], "x", color=COLORS["bad"], ms=12, mew=2.5, label="explosion: stop")
        ax.legend(loc="upper left", fontsize=8)

    def refresh(self):
        config = {"update": self.update_rule.value, "batch_size": self.batch_size.value, "reg": self.reg.value}
        self.result = r = search.lr_range_test(self.data, config, lr_start=self.lr_start, lr_end=self.lr_end,
                                               num_iterations=self.num_iterations, seed=self.seed)
        losses = np.asarray(r.losses)
        self.line.set_data(r.learning_rates, losses)
        self.explode_line.set_ydata([3 * losses[0]] * 2)
        self.ax.set_ylim(0, 3.3 * losses[0])
        best = r.best_learning_rate
        self.best_mark.set_data([best], [np.interp(best, r.learning_rates, losses)])
        if r.status == "diverged":
            self.end_mark.set_data([r.learning_rates[-1]], [min(losses[-1], 3.2 * losses[0])])
            self.show_message(f"{self.update_rule.value}: lowest cost near lr {best:.1e}; the cost passed 3 x its "
                              f"start at lr {r.learning_rates[-1]:.1e} (iteration {r.diverged_at}): stop there",
                              kind="diverged")
        else:
            self.end_mark.set_data([], [])
            self.show_message(f"{self.update_rule.value}: lowest cost near lr {best:.1e}; no explosion up to lr "
                              f"{self.lr_end:.0e}")
