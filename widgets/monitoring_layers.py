"""Monitoring explorers per layer (notebook 07): the update/weight ratio of every layer over training, and
the first-layer weights as images under an L2 slider."""
import html

import ipywidgets as W
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

import core
from core import monitor
from core.demos.ratios import ratio_cases, ratio_run
from core.demos.weights import weight_mosaic, weight_roughness

from .base import COLORS, log_slider, one_blas_thread, show_history, verdict_text
from .trained import TrainingExplorer

# one style per layer: colour, line style and marker each tell the layers apart
LAYER_STYLES = [(COLORS["train"], "-", "o"), (COLORS["val"], "--", "s"), (COLORS["extra"], "-.", "^"),
                (COLORS["light"], ":", "v"), (COLORS["ref"], "-", "D")]


class UpdateRatioExplorer(TrainingExplorer):
    """Update/weight ratio ||dW|| / ||W|| per layer over training, with the slide's healthy band.

    data: preprocessed dict. hidden_sizes: hidden layers of the net (Xavier init, so the ratio
    reflects the learning rate rather than tiny starting weights). learning_rate: where it opens;
    too_low, healthy, too_high: the cases' rates; None: measured on data for this run by
    core.demos.ratios.ratio_cases (the run is core.demos.ratios.ratio_run).
    """

    title = "Track the ratio of weight updates / weight magnitudes"
    figsize = (10, 4.6)

    def __init__(self, data, num_train=1000, hidden_sizes=(50, 50), num_epochs=10, seed=0, learning_rate=None,
                 too_low=None, healthy=None, too_high=None):
        self.data, self.num_train, self.num_epochs, self.seed = data, num_train, num_epochs, seed
        self.hidden_sizes = list(hidden_sizes)
        self.table = W.HTML(value="")
        measured = ratio_cases(data, hidden_sizes, num_train, num_epochs, seed) if None in (too_low, healthy,
                                                                                           too_high) else {}
        too_low, healthy, too_high = (measured[case] if rate is None else rate for case, rate in
                                      (("too low", too_low), ("healthy", healthy), ("too high", too_high)))
        self.cases = {f"too low ({too_low:g}): ratio ~1e-4": {"learning_rate": too_low},
                      f"healthy ({healthy:g}): ratio ~1e-3 .. 1e-2": {"learning_rate": healthy},
                      f"too high ({too_high:g}): ratio ~1e-1": {"learning_rate": too_high}}
        self.first_rate = healthy if learning_rate is None else learning_rate  # a rate given is a choice
        self.start_case = f"healthy ({healthy:g}): ratio ~1e-3 .. 1e-2" if learning_rate is None else None
        super().__init__()

    def make_controls(self):
        return {"learning_rate": log_slider("learning rate", self.first_rate, -4, 1)}

    def colors(self):
        return [style[0] for style in LAYER_STYLES[:len(self.hidden_sizes) + 1]] + [COLORS["good"], COLORS["bad"]]

    def build_figure(self):
        grid = self.fig.add_gridspec(2, 1, height_ratios=(5, 1))
        self.ax_ratio = self.fig.add_subplot(grid[0, 0])
        low, high = monitor.HEALTHY_RATIO
        self.ax_ratio.axhspan(low, high, color=COLORS["good"], alpha=0.15, label="slide: 0.01 - 0.001")
        self.ax_ratio.axhline(1e-3, color=COLORS["good"], ls="--", lw=1)
        styles = [LAYER_STYLES[i % len(LAYER_STYLES)] for i in range(len(self.hidden_sizes) + 1)]
        self.ratio_lines = [self.ax_ratio.plot([], [], color=c, ls=ls, marker=m, markevery=0.1, ms=4, lw=1,
                                               label=f"W{i + 1}")[0] for i, (c, ls, m) in enumerate(styles)]
        self.ax_ratio.set(xlabel="iteration", ylabel="||update|| / ||W||", yscale="log", ylim=(1e-6, 10),
                          title="update / weight ratio per layer")
        # plain "1e-03" labels and no minor ticks: mathtext labels are slow to draw on every change
        self.ax_ratio.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(-6, 2)))
        self.ax_ratio.yaxis.set_minor_locator(NullLocator())
        self.ax_ratio.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))
        self.ax_ratio.legend(loc="upper right", ncol=2, fontsize=9)
        self.verdict = verdict_text(self.ax_ratio, 0.5, 0.1, ha="center", fontsize=12)
        self.diagnosis_strip(grid[1, 0])
        self.animate(*self.ratio_lines, self.verdict, self.diagnosis)

    def extra_widgets(self):
        return [self.table]

    def run(self):
        """Train; returns (TrainResult, last updates {"W1": array like W1, ...}, final weights)."""
        with one_blas_thread():
            result, net = ratio_run(self.data, self.learning_rate.value, self.hidden_sizes, self.num_train,
                                    self.num_epochs, self.seed)
        return result, result.last_updates, {k: v for k, v in net.params.items() if k.startswith("W")}

    def refresh(self):
        result, updates, weights = self.run()
        self.result = result
        self.median_ratios = monitor.median_update_ratios(result.update_ratio_history)
        for line, ratios in zip(self.ratio_lines, result.update_ratio_history.values()):
            show_history(line, np.where(np.asarray(ratios, dtype=float) > 0, ratios, np.nan))  # log axis: no 0
        self.set_limits(self.ax_ratio, x=(0, result.num_epochs * result.iterations_per_epoch + 1))
        self.stats = {name: {"values": monitor.value_stats(weights[name]),
                             "updates": monitor.value_stats(updates[name]) if name in updates else None}
                      for name in weights}
        self.table_text = self.stats_table()
        self.table.value = "<pre style='font-size:13px;line-height:1.3'>" + html.escape(self.table_text) + "</pre>"
        self.show_diagnosis(result, result.update_ratio_history)
        self.verdict.set_text(result.message if result.diverged else "")
        medians = ", ".join(f"{k} {v:.1e}" for k, v in self.median_ratios.items())
        self.show_status(result, lambda: f"lr {self.learning_rate.value:.1e}: median ratio over the last half "
                         f"{medians}; val {result.val_acc_history[-1]:.2f}")

    def stats_table(self):
        """min, max and std of each layer's weights and of its last update, and the median ratio, as text."""
        rows = ["values and updates after the last iteration (min, max, std); ratio: median over the last half",
                f"{'':4s}{'':9s}{'min':>10s}{'max':>10s}{'std':>10s}"]
        for name, stats in self.stats.items():
            for kind in ("values", "updates"):
                s = stats[kind]
                cells = "".join(f"{s[key]:10.2e}" for key in ("min", "max", "std")) if s else f"{'-':>10s}" * 3
                rows.append(f"{name if kind == 'values' else '':4s}{kind:9s}{cells}")
            ratio = self.median_ratios.get(name, float("nan"))
            verdict = monitor.ratio_verdict(ratio) if np.isfinite(ratio) else "-"
            rows.append(f"{'':4s}{'ratio':9s}{ratio:10.2e}  {verdict}")
        return "\n".join(rows)


class FirstLayerWeightsExplorer(TrainingExplorer):
    """First-layer weights of a D-H-C net as images, one per hidden unit, under an L2 slider.

    data: preprocessed dict whose rows are 8x8 digits (D = 64) or CIFAR-10 images (D = 3072).
    Xavier init: without regularization, pixels the data never pushes on keep their random start.
    """

    title = "Visualizing first-layer weights"
    cases = {"weak regularization (1e-5): noisy": {"reg": 1e-5}, "strong regularization (0.1): smooth": {"reg": 0.1}}
    start_case = "weak regularization (1e-5): noisy"
    figsize = (11, 5.2)

    def __init__(self, data, hidden_size=32, num_epochs=20, learning_rate=0.3, num_train=None, seed=0):
        self.data, self.hidden_size, self.num_epochs, self.seed = data, hidden_size, num_epochs, seed
        self.learning_rate, self.num_train = learning_rate, num_train
        D = data["X_train"].shape[1]
        self.image_shape = core.data.image_shape(D)
        if self.image_shape is None:
            raise ValueError(f"data rows have {D} values; expected 64 (digits) or 3072 (CIFAR-10)")
        self.columns = min(8, hidden_size)
        super().__init__()

    def make_controls(self):
        return {"reg": log_slider("L2 reg", 1e-5, -5, 0)}

    def colors(self):
        return [COLORS["train"], COLORS["ref"]]

    def build_figure(self):
        self.ax_weights, self.ax_rough = self.fig.subplots(1, 2, width_ratios=(3, 1))
        empty = weight_mosaic(np.zeros((self.data["X_train"].shape[1], self.hidden_size)), self.image_shape,
                              self.columns)
        self.weights_image = self.ax_weights.imshow(empty, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        self.ax_weights.set(xticks=[], yticks=[], title=f"W1: one image per hidden unit ({self.hidden_size} units)")
        self.rough_bar = self.ax_rough.bar([0], [0], color=COLORS["train"], width=0.6)[0]
        self.ax_rough.axhline(2.0, color=COLORS["ref"], ls=":", lw=1)
        self.ax_rough.text(0, 2.03, "white noise", ha="center", va="bottom", fontsize=9, color=COLORS["ref"])
        self.rough_text = self.ax_rough.text(0, 0.05, "", ha="center", va="bottom", fontsize=13, weight="bold",
                                             color="white")
        self.ax_rough.set(xlim=(-0.6, 0.6), ylim=(0, 2.3), xticks=[], ylabel="roughness",
                          title="mean sq. difference\nof neighbouring pixels")
        self.animate(self.weights_image, self.rough_bar, self.rough_text)

    def run(self):
        """Train; returns (the net, the TrainResult)."""
        n = self.data["X_train"].shape[0] if self.num_train is None else self.num_train
        net = core.FullyConnectedNet.for_data(self.data, [self.hidden_size], init="xavier", reg=self.reg.value,
                                              rng=self.seed)
        return net, self.train(net, n, num_epochs=self.num_epochs, learning_rate=self.learning_rate,
                               track_ratios=False)

    def refresh(self):
        net, self.result = self.run()
        W1 = net.params["W1"].astype(np.float64)
        finite = bool(np.isfinite(W1).all())
        self.roughness = weight_roughness(W1, self.image_shape) if finite else float("nan")
        self.weights_image.set_data(weight_mosaic(W1 if finite else np.zeros_like(W1), self.image_shape,
                                                  self.columns))
        self.rough_bar.set_height(self.roughness if finite else 0)
        self.rough_text.set_text(f"{self.roughness:.2f}" if finite else "")
        self.show_status(self.result, lambda: f"reg {self.reg.value:.1e}: roughness {self.roughness:.2f} (white "
                         f"noise: 2), val accuracy {self.result.val_acc_history[-1]:.2f}")
