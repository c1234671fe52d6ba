"""What preprocessing does to training speed: the same net trained on digits preprocessed with each method."""
import ipywidgets as W
import numpy as np
from matplotlib.ticker import MaxNLocator

import core
from core import preprocess

from .base import COLORS, LRU, Explorer, button, dropdown, log_slider, show_history, slider, verdict_text

SWEEP_STYLES = {"none": (COLORS["ref"], "o"), "center": (COLORS["extra"], "s"), "standardize": (COLORS["train"], "^"),
                "pca": (COLORS["val"], "v"), "whiten": (COLORS["good"], "D")}  # colour and marker per method
METHOD_LABELS = {"none": "none (raw pixels)", "center": "center", "standardize": "standardize",
                 "pca": "PCA", "whiten": "whiten"}


class PreprocessingSpeedExplorer(Explorer):
    """The same 64-50-10 net (same initial weights, same batches) trained on digits preprocessed with the
    chosen method, against raw pixels: cost per iteration, validation accuracy per epoch, and (after
    a sweep) the final cost of every method over a range of learning rates.

    data: a dict from core.data (raw, not preprocessed); every method is fitted on its X_train once.
    num_train: training examples used. seed: for the weights and the batches.
    """

    title = "What preprocessing does to training speed"
    figsize = (15, 4.3)
    start_case = "raw vs standardized (lr 0.3)"
    cases = {
        "raw vs standardized (lr 0.3)": {"method": "standardize", "learning_rate": 0.3},
        "raw vs standardized (lr 1)": {"method": "standardize", "learning_rate": 1.0},
        "raw vs zero-centred only (lr 1)": {"method": "center", "learning_rate": 1.0},
        "raw vs whitened (lr 1)": {"method": "whiten", "learning_rate": 1.0},
        "lr 3: raw pixels stall at chance, centred trains": {"method": "center", "learning_rate": 3.0},
    }
    SWEEP_RATES = tuple(float(v) for v in np.round(np.logspace(-1, 1, 9), 3))

    def __init__(self, data, num_train=1000, hidden_size=50, init_scale=1e-2, num_epochs=10, seed=0):
        self.num_train, self.hidden_size, self.init_scale, self.seed = num_train, hidden_size, init_scale, seed
        self.first_epochs = num_epochs
        self.datasets = {method: preprocess.preprocess(data, method) for method in preprocess.METHODS}
        self.cache = LRU(100, "(method, learning rate, epochs) -> core.train's TrainResult (a sweep: 45 of them)")
        self.sweeping = False  # the Sweep button was pressed and the sweep has not finished (Stop pauses it)
        self.sweep_button = button("Sweep all methods over learning rates", self.start_sweep, "play",
                                   layout=W.Layout(width="max-content"))
        super().__init__()

    def make_controls(self):
        return {"method": dropdown("preprocessing", [(METHOD_LABELS[m], m) for m in preprocess.METHODS
                                                     if m != "none"], "standardize"),
                "learning_rate": log_slider("learning rate", 0.3, -1, 1, step=0.05, readout_format=".2f"),
                "num_epochs": slider("epochs", self.first_epochs, 1, 30, 1, integer=True)}

    def colors(self):
        return [SWEEP_STYLES[m][0] for m in preprocess.METHODS] + [COLORS["bad"]]

    def extra_widgets(self):
        return [self.sweep_button]

    def build_figure(self):
        self.ax_cost, self.ax_acc, self.ax_sweep = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.3, 1, 1.1]})
        (self.raw_cost,) = self.ax_cost.plot([], [], "--", color=COLORS["ref"], lw=1.2, label="raw pixels")
        (self.cost,) = self.ax_cost.plot([], [], color=COLORS["train"], lw=1.6, label="preprocessed")
        self.ax_cost.axhline(core.layers.chance_loss(core.data.num_classes(self.datasets["none"])), color="#999",
                             ls=":", lw=1)
        self.ax_cost.set(xlabel="iteration", ylabel="cost", title="cost per iteration (same net, same batches)")
        self.cost_legend = self.ax_cost.legend(loc="upper right")
        (self.raw_acc,) = self.ax_acc.plot([], [], "o--", color=COLORS["ref"], ms=4, label="raw pixels")
        (self.acc,) = self.ax_acc.plot([], [], "o-", color=COLORS["train"], ms=4, label="preprocessed")
        self.ax_acc.set(xlabel="epoch", ylabel="validation accuracy", ylim=(0, 1.02), title="validation accuracy")
        self.ax_acc.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        self.acc_legend = self.ax_acc.legend(loc="lower right")  # below both curves from epoch 5 on
        self.verdict = verdict_text(self.ax_cost, 0.5, 0.5, ha="center", fontsize=12)
        self.sweep_lines, self.sweep_diverged = {}, {}
        for method in preprocess.METHODS:
            color, marker = SWEEP_STYLES[method]
            (self.sweep_lines[method],) = self.ax_sweep.plot([], [], marker + "-", ms=4, color=color,
                                                             label=METHOD_LABELS[method])
            (self.sweep_diverged[method],) = self.ax_sweep.plot([], [], "x", ms=8, mew=2, color=color)
        self.lr_marker = self.ax_sweep.axvline(np.nan, color="k", ls="--", lw=1)
        self.ax_sweep.set(xscale="log", yscale="log", xlim=(self.SWEEP_RATES[0] / 1.3, self.SWEEP_RATES[-1] * 1.3),
                          ylim=(2e-3, 4), xlabel="learning rate", ylabel="cost (mean of last 10 iterations)",
                          title="final cost vs learning rate\n(x at top: diverged)")
        # beside the sweep panel, not on it: every corner of it holds some method's curve after a sweep
        self.fig.legend(handles=list(self.sweep_lines.values()), loc="outside right center", fontsize=8)
        self.sweep_hint = self.ax_sweep.text(0.5, 0.55, "press 'Sweep all methods'", transform=self.ax_sweep.transAxes,
                                             ha="center", color="#777", fontsize=11)
        self.animate(self.raw_cost, self.cost, self.raw_acc, self.acc, self.verdict, *self.sweep_lines.values(),
                     *self.sweep_diverged.values(), self.lr_marker, self.sweep_hint)

    def key(self, method, learning_rate=None, num_epochs=None):
        """(method, learning rate, epochs) of a run: the current controls' where not given."""
        learning_rate = self.learning_rate.value if learning_rate is None else learning_rate
        return method, round(float(learning_rate), 6), int(self.num_epochs.value if num_epochs is None else num_epochs)

    def train(self, key, stop=None):
        """Train on the data preprocessed with method at (method, learning rate, epochs) = key; a core TrainResult."""
        method, learning_rate, num_epochs = key
        d = self.datasets[method]
        net = core.FullyConnectedNet.for_data(d, [self.hidden_size], init_scale=self.init_scale, rng=self.seed)
        return core.train(net, d["X_train"][: self.num_train], d["y_train"][: self.num_train], d["X_val"], d["y_val"],
                          num_epochs=num_epochs, learning_rate=learning_rate, rng=self.seed, track_ratios=False,
                          stop=stop)

    def run(self, method, learning_rate=None, num_epochs=None):
        """Train on the data preprocessed with `method` (cached); returns a core.trainer.TrainResult."""
        key = self.key(method, learning_rate, num_epochs)
        return self.cache.get(key, lambda: self.train(key))

    def sweep_jobs(self):
        """The sweep's runs as keyed jobs {key: key}: every method at every SWEEP_RATES value, current epochs."""
        return {key: key for key in (self.key(method, lr) for lr in self.SWEEP_RATES for method in preprocess.METHODS)}

    def sweep(self):
        """Train every method at every SWEEP_RATES value (current epochs) here, kept; returns sweep_table()."""
        for key in self.sweep_jobs():
            self.run(*key)
        return self.sweep_table()

    def start_sweep(self):
        """The Sweep button: sweep in the background, one frame per run (refresh starts it; after Stop, the next
        change carries on with the runs missing)."""
        self.sweeping = True
        self.update()

    def end_sweep(self, results):
        self.sweeping = False
        self._draw()

    def sweep_table(self):
        """{method: (L,) final cost at each SWEEP_RATES value}: inf where the run diverged, NaN where not run."""
        table = {}
        for method in preprocess.METHODS:
            row = []
            for learning_rate in self.SWEEP_RATES:
                key = self.key(method, learning_rate)
                result = self.cache[key] if key in self.cache else None
                row.append(np.nan if result is None else np.inf if result.diverged else result.final_cost(10))
            table[method] = np.array(row)
        return table

    def refresh(self):
        if self.sweeping:  # pressed, or paused by Stop: carry on; finished runs are kept
            self.run_jobs(self.sweep_jobs(), self.cache, self.train, lambda results: self._draw(), self.end_sweep)
        else:
            self._draw()

    def _draw(self):
        self.raw_result, self.result = self.run("none"), self.run(self.method.value)
        label = METHOD_LABELS[self.method.value]
        for line, legend in ((self.cost, self.cost_legend), (self.acc, self.acc_legend)):
            line.set_label(label)
            legend.get_texts()[1].set_text(label)
        top = 3.0
        for result, cost_line, acc_line in ((self.raw_result, self.raw_cost, self.raw_acc),
                                            (self.result, self.cost, self.acc)):
            shown = show_history(cost_line, result.loss_history)
            show_history(acc_line, result.val_acc_history)
            if np.isfinite(shown).any():
                top = max(top, min(np.nanmax(shown), 10.0))
        num_epochs = self.num_epochs.value
        self.set_limits(self.ax_cost, x=(0, num_epochs * self.raw_result.iterations_per_epoch + 1), y=(0, top * 1.05))
        self.set_limits(self.ax_acc, x=(0.5, num_epochs + 0.5))
        table = self.sweep_table()
        for k, (method, line) in enumerate(self.sweep_lines.items()):
            line.set_data(self.SWEEP_RATES, np.where(np.isinf(table[method]), np.nan, table[method]))
            self.sweep_diverged[method].set_data(np.array(self.SWEEP_RATES)[np.isinf(table[method])],
                                                 np.full(np.isinf(table[method]).sum(), 2.6 * 1.12 ** k))
            line.set_linewidth(2.5 if method in (self.method.value, "none") else 1.0)
        empty = not any(np.isfinite(row).any() for row in table.values())
        if self.sweep_hint.get_visible() != empty:
            self.sweep_hint.set_visible(empty)
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
