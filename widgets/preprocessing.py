"""Explorers for "Step 1: Preprocess the data": what centring, normalizing, PCA and whitening do to a
2-D cloud, and what they do to the training speed of a net on digits."""
import ipywidgets as W
import numpy as np

import core
from core import preprocess
from core.demos.clouds import cloud_stats, covariance_ellipse, principal_axes

from .base import COLORS, Explorer, dropdown, log_slider, slider

STEPS = (("none", "original data"), ("center", "zero-centred\nX -= mean"),
         ("standardize", "normalized\nX /= std"), ("pca", "decorrelated (PCA)\nX = X @ U"),
         ("whiten", "whitened\nX /= sqrt(eigenvalues)"))
NICE_LIMITS = (3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40)
METHOD_LABELS = {"none": "none (raw pixels)", "center": "center", "standardize": "standardize",
                 "pca": "PCA", "whiten": "whiten"}


class PreprocessingExplorer(Explorer):
    """A correlated 2-D gaussian cloud and the same cloud after each preprocessing step, side by side
    with the same axis limits, each with its 2-sigma covariance ellipse and its covariance printed.

    Every step is core.preprocess.fit + transform on the original cloud. seed: for the cloud.
    """

    title = "Step 1: preprocess the data (zero-centre, normalize, PCA, whiten)"
    figsize = (15, 4.1)
    presets = {
        "the slide's cloud (correlated, offset, stretched)": {"correlation": 0.7, "scale": 2.5, "offset": 4.0,
                                                              "num_points": 500},
        "uncorrelated, different scales": {"correlation": 0.0, "scale": 4.0, "offset": 2.0, "num_points": 500},
        "strongly correlated": {"correlation": 0.95, "scale": 1.0, "offset": 3.0, "num_points": 500},
        "few points (20)": {"correlation": 0.7, "scale": 2.5, "offset": 4.0, "num_points": 20},
    }

    def __init__(self, seed=0):
        super().__init__()
        self.seed = seed
        self.correlation = slider("correlation", 0.7, -0.95, 0.95, 0.05)
        self.scale = log_slider("stretch of x1", 2.5, -0.7, 0.7, step=0.05, readout_format=".2f")
        self.offset = slider("offset (mean)", 4.0, -8.0, 8.0, 0.5)
        self.num_points = slider("points", 500, 5, 2000, 5, integer=True)
        self.watch(self.correlation, self.scale, self.offset, self.num_points)
        self.build_figure()
        self.update()

    def build_figure(self):
        self.axes = self.fig.subplots(1, len(STEPS), sharex=True, sharey=True)
        self.scatters, self.ellipses, self.cov_texts = [], [], []
        for ax, (_method, label) in zip(self.axes, STEPS):
            ax.axhline(0, color="#bbb", lw=0.8, zorder=0)
            ax.axvline(0, color="#bbb", lw=0.8, zorder=0)
            self.scatters.append(ax.scatter(np.zeros(1), np.zeros(1), s=6, color=COLORS["train"], alpha=0.45,
                                            linewidths=0))
            (ellipse,) = ax.plot([], [], color=COLORS["bad"], lw=2)
            self.ellipses.append(ellipse)
            self.cov_texts.append(ax.text(0.03, 0.03, "", transform=ax.transAxes, fontsize=10, family="monospace",
                                          va="bottom", bbox=dict(fc="white", ec="#ccc", alpha=0.85)))
            ax.set_title(label, fontsize=12)
            ax.set_aspect("equal", adjustable="box")
            ax.set_xlabel("x1")
        self.axes[0].set_ylabel("x2")
        self.axis_lines = [self.axes[0].plot([], [], color="k", lw=2)[0] for _ in range(2)]
        self.animate(*self.scatters, *self.ellipses, *self.cov_texts, *self.axis_lines)

    def refresh(self):
        offset = self.offset.value
        X = core.data.correlated_gaussian(self.num_points.value, self.correlation.value, self.scale.value,
                                          (offset, offset), rng=self.seed)
        self.data = {}
        for method, _ in STEPS:
            self.data[method] = preprocess.transform(X, preprocess.fit(X, method))
        limit = 3.0
        for i, (method, _) in enumerate(STEPS):
            Z = self.data[method]
            mean, cov = cloud_stats(Z)
            self.scatters[i].set_offsets(Z)
            self.scatters[i].set_sizes([6 if Z.shape[0] > 200 else 16])
            ellipse = covariance_ellipse(mean, cov)
            self.ellipses[i].set_data(ellipse[:, 0], ellipse[:, 1])
            m, c = np.round(mean, 2) + 0.0, np.round(cov, 2) + 0.0  # + 0.0: no "-0.00"
            self.cov_texts[i].set_text(f"mean ({m[0]:5.2f}, {m[1]:5.2f})\n"
                                       f"cov  [{c[0, 0]:5.2f} {c[0, 1]:5.2f}]\n"
                                       f"     [{c[1, 0]:5.2f} {c[1, 1]:5.2f}]")
            limit = max(limit, np.abs(ellipse).max() * 1.3)  # ~2.6 standard deviations: a few points may fall outside
        # the principal axes (PCA's eigenvectors, length sqrt(eigenvalue) x 2) on the original cloud
        for line, ends in zip(self.axis_lines, principal_axes(X)):
            line.set_data(ends[:, 0], ends[:, 1])
        limit = next(v for v in NICE_LIMITS if v >= limit) if limit <= NICE_LIMITS[-1] else limit
        limit *= 1.1  # no tick label on the panel edges, where neighbouring panels meet
        self.axes[0].set_xlim(-limit, limit)  # shared by all panels; a few fixed values, so the
        self.axes[0].set_ylim(-limit, limit)  # cached background can be reused
        white = np.round(cloud_stats(self.data["whiten"])[1], 2) + 0.0
        self.show_message(f"{X.shape[0]} points, correlation {self.correlation.value:.2f}: after whitening "
                          f"the covariance is [[{white[0, 0]:.2f}, {white[0, 1]:.2f}], "
                          f"[{white[1, 0]:.2f}, {white[1, 1]:.2f}]] (the identity: a round cloud)")


class PreprocessingSpeedExplorer(Explorer):
    """The same 64-50-10 net (same initial weights, same batches) trained on digits preprocessed with the
    chosen method, against raw pixels: cost per iteration, validation accuracy per epoch, and (after
    a sweep) the final cost of every method over a range of learning rates.

    data: a dict from core.data (raw, not preprocessed); every method is fitted on its X_train once.
    num_train: training examples used. seed: for the weights and the batches.
    """

    title = "What preprocessing does to training speed"
    figsize = (15, 4.3)
    presets = {
        "raw vs standardized (lr 0.3)": {"method": "standardize", "learning_rate": 0.3},
        "raw vs standardized (lr 1)": {"method": "standardize", "learning_rate": 1.0},
        "raw vs zero-centred only (lr 1)": {"method": "center", "learning_rate": 1.0},
        "raw vs whitened (lr 1)": {"method": "whiten", "learning_rate": 1.0},
        "lr 3: raw pixels stall at chance, centred trains": {"method": "center", "learning_rate": 3.0},
    }
    SWEEP_RATES = tuple(float(v) for v in np.round(np.logspace(-1, 1, 9), 3))

    def __init__(self, data, num_train=1000, hidden_size=50, init_scale=1e-2, num_epochs=10, seed=0):
        super().__init__()
        self.num_train, self.hidden_size, self.init_scale, self.seed = num_train, hidden_size, init_scale, seed
        self.datasets = {method: preprocess.preprocess(data, method) for method in preprocess.METHODS}
        self.cache = {}
        self.method = dropdown("preprocessing", [(METHOD_LABELS[m], m) for m in preprocess.METHODS if m != "none"],
                               "standardize")
        self.learning_rate = log_slider("learning rate", 0.3, -1, 1, step=0.05, readout_format=".2f")
        self.num_epochs = slider("epochs", num_epochs, 1, 30, 1, integer=True)
        self.sweep_button = W.Button(description="Sweep all methods over learning rates", icon="play",
                                     layout=W.Layout(width="max-content"))
        self.sweep_button.on_click(lambda _: self.run_in_background(self._sweep_work, total=1.0))
        self.watch(self.method, self.learning_rate, self.num_epochs)
        self.build_figure()
        self.update()

    def extra_widgets(self):
        return [self.sweep_button]

    def build_figure(self):
        self.ax_cost, self.ax_acc, self.ax_sweep = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.3, 1, 1.1]})
        (self.raw_cost,) = self.ax_cost.plot([], [], color=COLORS["ref"], lw=1.2, label="raw pixels")
        (self.cost,) = self.ax_cost.plot([], [], color=COLORS["train"], lw=1.6, label="preprocessed")
        self.ax_cost.axhline(core.layers.chance_loss(core.data.num_classes(self.datasets["none"])), color="#999",
                             ls=":", lw=1)
        self.ax_cost.set(xlabel="iteration", ylabel="cost", title="cost per iteration (same net, same batches)")
        self.cost_legend = self.ax_cost.legend(loc="upper right")
        (self.raw_acc,) = self.ax_acc.plot([], [], "o-", color=COLORS["ref"], ms=4, label="raw pixels")
        (self.acc,) = self.ax_acc.plot([], [], "o-", color=COLORS["train"], ms=4, label="preprocessed")
        self.ax_acc.set(xlabel="epoch", ylabel="validation accuracy", ylim=(0, 1.02), title="validation accuracy")
        self.acc_legend = self.ax_acc.legend(loc="center right")
        self.verdict = self.ax_cost.text(0.5, 0.5, "", transform=self.ax_cost.transAxes, ha="center",
                                         color=COLORS["bad"], fontsize=12, weight="bold")
        self.sweep_lines, self.sweep_diverged = {}, {}
        colors = {"none": COLORS["ref"], "center": "#9467bd", "standardize": COLORS["train"],
                  "pca": COLORS["val"], "whiten": COLORS["good"]}
        for method in preprocess.METHODS:
            (self.sweep_lines[method],) = self.ax_sweep.plot([], [], "o-", ms=4, color=colors[method],
                                                             label=METHOD_LABELS[method])
            (self.sweep_diverged[method],) = self.ax_sweep.plot([], [], "x", ms=8, mew=2, color=colors[method])
        self.lr_marker = self.ax_sweep.axvline(np.nan, color="k", ls="--", lw=1)
        self.ax_sweep.set(xscale="log", yscale="log", xlim=(self.SWEEP_RATES[0] / 1.3, self.SWEEP_RATES[-1] * 1.3),
                          ylim=(2e-3, 4), xlabel="learning rate", ylabel="cost, mean of last 10 iterations",
                          title="final cost vs learning rate (x at top: diverged)")
        self.ax_sweep.legend(loc="lower left", fontsize=8)
        self.sweep_hint = self.ax_sweep.text(0.5, 0.55, "press 'Sweep all methods'", transform=self.ax_sweep.transAxes,
                                             ha="center", color="#777", fontsize=11)
        self.animate(self.raw_cost, self.cost, self.raw_acc, self.acc, self.verdict, *self.sweep_lines.values(),
                     *self.sweep_diverged.values(), self.lr_marker, self.sweep_hint)

    def run(self, method, learning_rate=None, num_epochs=None):
        """Train on the data preprocessed with `method` (cached); returns a core.trainer.TrainResult."""
        learning_rate = self.learning_rate.value if learning_rate is None else learning_rate
        num_epochs = self.num_epochs.value if num_epochs is None else num_epochs
        key = (method, round(float(learning_rate), 6), int(num_epochs))
        if key not in self.cache:
            d = self.datasets[method]
            net = core.FullyConnectedNet.for_data(d, [self.hidden_size], init_scale=self.init_scale, rng=self.seed)
            self.cache[key] = core.train(net, d["X_train"][: self.num_train], d["y_train"][: self.num_train],
                                         d["X_val"], d["y_val"], num_epochs=num_epochs,
                                         learning_rate=learning_rate, rng=self.seed, track_ratios=False)
            if len(self.cache) > 300:
                self.cache.pop(next(iter(self.cache)))
        return self.cache[key]

    def sweep(self, progress=None, stop_event=None):
        """Train every method at every SWEEP_RATES value (current epochs); returns {method: (L,) final costs}.

        A diverged run's cost is NaN. Results are cached, so the sweep panel fills in as it goes.
        """
        total = len(preprocess.METHODS) * len(self.SWEEP_RATES)
        done = 0
        for learning_rate in self.SWEEP_RATES:
            for method in preprocess.METHODS:
                if stop_event is not None and stop_event.is_set():
                    return self.sweep_table()
                self.run(method, learning_rate)
                done += 1
                if progress is not None:
                    progress(done / total)
        return self.sweep_table()

    def _sweep_work(self, progress, stop_event):
        """The Sweep button: redraw after every learning rate, so the sweep panel fills in as it runs."""
        per_rate = len(preprocess.METHODS)

        def progress_and_redraw(fraction):
            progress(fraction)
            if round(fraction * len(self.SWEEP_RATES) * per_rate) % per_rate == 0:
                self.update()

        self.sweep(progress_and_redraw, stop_event)
        self.update()

    def sweep_table(self):
        """{method: (L,) final cost at each SWEEP_RATES value}: inf where the run diverged, NaN where not run."""
        epochs = int(self.num_epochs.value)
        table = {}
        for method in preprocess.METHODS:
            row = []
            for learning_rate in self.SWEEP_RATES:
                result = self.cache.get((method, round(learning_rate, 6), epochs))
                row.append(np.nan if result is None else np.inf if result.diverged else result.final_cost(10))
            table[method] = np.array(row)
        return table

    def refresh(self):
        self.raw_result, self.result = self.run("none"), self.run(self.method.value)
        label = METHOD_LABELS[self.method.value]
        self.cost.set_label(label)
        self.acc.set_label(label)
        self.cost_legend.get_texts()[1].set_text(label)
        self.acc_legend.get_texts()[1].set_text(label)
        top = 3.0
        for result, cost_line, acc_line in ((self.raw_result, self.raw_cost, self.raw_acc),
                                            (self.result, self.cost, self.acc)):
            cost = np.asarray(result.loss_history, dtype=float)
            shown = np.where(np.isfinite(cost), cost, np.nan)
            cost_line.set_data(np.arange(1, cost.size + 1), shown)
            acc_line.set_data(np.arange(1, len(result.val_acc_history) + 1), result.val_acc_history)
            if np.isfinite(shown).any():
                top = max(top, min(np.nanmax(shown), 10.0))
        num_epochs = self.num_epochs.value
        self.ax_cost.set_xlim(0, num_epochs * self.raw_result.iterations_per_epoch + 1)
        self.ax_cost.set_ylim(0, top * 1.05)
        self.ax_acc.set_xlim(0.5, num_epochs + 0.5)
        table = self.sweep_table()
        for k, (method, line) in enumerate(self.sweep_lines.items()):
            line.set_data(self.SWEEP_RATES, np.where(np.isinf(table[method]), np.nan, table[method]))
            self.sweep_diverged[method].set_data(np.array(self.SWEEP_RATES)[np.isinf(table[method])],
                                                 np.full(np.isinf(table[method]).sum(), 2.6 * 1.12 ** k))
            line.set_linewidth(2.5 if method in (self.method.value, "none") else 1.0)
        self.sweep_hint.set_visible(not any(np.isfinite(row).any() for row in table.values()))
        self.lr_marker.set_xdata([self.learning_rate.value] * 2)
        notes = [f"{name}: {r.message}" for name, r in (("raw", self.raw_result), (label, self.result)) if r.diverged]
        self.verdict.set_text("\n".join(notes))
        if notes:
            self.show_message("; ".join(notes), kind="diverged")
            return
        raw_end, end = self.raw_result.final_cost(10), self.result.final_cost(10)  # mean of the last 10 costs
        self.show_message(f"lr {self.learning_rate.value:.2f}, {num_epochs} epochs: cost over the last 10 iterations "
                          f"{raw_end:.3f} (raw) vs {end:.3f} ({label}); validation accuracy "
                          f"{self.raw_result.val_acc_history[-1]:.2f} vs {self.result.val_acc_history[-1]:.2f}")
