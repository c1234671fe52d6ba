"""Monitoring explorers (the slides' "Visualizations to play with"): loss-curve shapes with a diagnosis,
the train/val accuracy gap, update/weight ratios per layer, and first-layer weights as images.
Every control change retrains a small net on digits (a few tens of milliseconds) and redraws."""
import html

import ipywidgets as W
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

import core
from core import monitor
from core.demos import diagnosis
from core.demos.weights import weight_mosaic, weight_roughness

from .base import COLORS, Explorer, log_slider, one_blas_thread

LAYER_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b")


def _train(*args, **kwargs):
    """core.train with one BLAS thread: a small net is no faster with more, and much slower on a busy machine."""
    with one_blas_thread():
        return core.train(*args, **kwargs)


def _diagnosis_text(messages):
    """The diagnosis as lines of text and a color: green when every finding is fine."""
    fine = {diagnosis.DIAGNOSES["good"], diagnosis.DIAGNOSES["balanced"]}
    ok = all(m in fine for m in messages)
    return "diagnosis: " + "\n           ".join(messages), COLORS["good"] if ok else COLORS["bad"]


def _add_diagnosis_axes(fig, gridspec_row):
    """A text-only strip under the curves that holds the diagnosis."""
    ax = fig.add_subplot(gridspec_row)
    ax.axis("off")
    return ax.text(0.0, 0.95, "", transform=ax.transAxes, va="top", ha="left", fontsize=12,
                   family="monospace", weight="bold")


class LossCurveExplorer(Explorer):
    """Loss-curve shapes and what they say: learning rate and init scale, with the diagnosis underneath.

    data: a dict from core.data, preprocessed (X_train (N, D), y_train, X_val, y_val).
    num_train: training examples used; hidden_size: H of the D-H-C net; seed: weights and batches.
    """

    title = "Monitor and visualize the loss curve"
    presets = {
        "learning rate too low (0.03)": {"learning_rate": 0.03, "init_scale": 1e-2},
        "learning rate too high (3)": {"learning_rate": 3.0, "init_scale": 1e-2},
        "good (0.5)": {"learning_rate": 0.5, "init_scale": 1e-2},
        "bad initialization (init scale 1e-4)": {"learning_rate": 0.5, "init_scale": 1e-4},
    }
    figsize = (11, 4.6)

    def __init__(self, data, num_train=1000, hidden_size=50, num_epochs=10, seed=0):
        super().__init__()
        self.data, self.num_train, self.hidden_size, self.seed = data, num_train, hidden_size, seed
        self.num_epochs = num_epochs
        self.learning_rate = log_slider("learning rate", 0.5, -6, 6)
        self.init_scale = log_slider("init scale (std of W)", 1e-2, -5, 1)
        self.watch(self.learning_rate, self.init_scale)
        self.build_figure()
        self.update()

    def build_figure(self):
        grid = self.fig.add_gridspec(2, 2, height_ratios=(5, 1))
        self.ax_cost = self.fig.add_subplot(grid[0, 0])
        self.ax_acc = self.fig.add_subplot(grid[0, 1])
        (self.cost_line,) = self.ax_cost.plot([], [], color=COLORS["train"], lw=1)
        C = core.data.num_classes(self.data)
        self.ax_cost.axhline(core.layers.chance_loss(C), color=COLORS["ref"], ls=":", lw=1, label=f"ln({C}) (chance)")
        self.ax_cost.set(xlabel="iteration", ylabel="cost", title="loss")
        self.ax_cost.legend(loc="upper right")
        self.verdict = self.ax_cost.text(0.5, 0.5, "", transform=self.ax_cost.transAxes, ha="center",
                                         color=COLORS["bad"], fontsize=13, weight="bold")
        (self.train_line,) = self.ax_acc.plot([], [], "o-", color=COLORS["train"], label="train")
        (self.val_line,) = self.ax_acc.plot([], [], "o-", color=COLORS["val"], label="val")
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02), xlim=(0.5, self.num_epochs + 0.5),
                        title="accuracy")
        self.ax_acc.legend(loc="lower right")
        self.diagnosis = _add_diagnosis_axes(self.fig, grid[1, :])

    def run(self):
        """Train with the current controls; returns the core.trainer.TrainResult."""
        d, n = self.data, self.num_train
        net = core.FullyConnectedNet.for_data(d, [self.hidden_size], init_scale=self.init_scale.value, rng=self.seed)
        return _train(net, d["X_train"][:n], d["y_train"][:n], d["X_val"], d["y_val"],
                      num_epochs=self.num_epochs, learning_rate=self.learning_rate.value,
                      batch_size=min(100, len(d["X_train"][:n])), track_ratios=False, rng=self.seed)

    def refresh(self):
        self.result = result = self.run()
        cost = np.asarray(result.loss_history, dtype=float)
        shown = np.where(np.isfinite(cost), cost, np.nan)
        self.cost_line.set_data(np.arange(1, cost.size + 1), shown)
        top = np.nanmax(shown) if np.isfinite(shown).any() else 3.0
        self.ax_cost.set_xlim(0, result.num_epochs * result.iterations_per_epoch + 1)
        self.ax_cost.set_ylim(0, top * 1.08)
        epochs = np.arange(1, len(result.train_acc_history) + 1)
        self.train_line.set_data(epochs, result.train_acc_history)
        self.val_line.set_data(epochs, result.val_acc_history)
        self.messages = diagnosis.diagnose(result.loss_history, result.train_acc_history, result.val_acc_history)
        text, color = _diagnosis_text(self.messages)
        self.diagnosis.set_text(text)
        self.diagnosis.set_color(color)
        self.verdict.set_text(result.message if result.diverged else "")
        if result.diverged:
            self.show_message(result.message, kind="diverged")
        else:
            self.show_message(f"lr {self.learning_rate.value:.1e}, init scale {self.init_scale.value:.1e}: "
                              f"final cost {cost[-1]:.3f}, train {result.train_acc_history[-1]:.2f}, "
                              f"val {result.val_acc_history[-1]:.2f}")


class GapExplorer(Explorer):
    """Train/val accuracy gap: capacity (hidden units), L2 strength and the size of the training set.

    data: preprocessed dict from core.data. Every run makes about num_iterations updates of
    batch_size examples, whatever the training-set size (so the time per change stays the same).
    """

    title = "Monitor and visualize the accuracy: the train/val gap"
    presets = {
        "big gap: 100 examples, 20 hidden units, no regularization": {"num_train": 100, "hidden_size": 20,
                                                                      "reg": 1e-5},
        "stronger regularization (0.03): smaller gap": {"num_train": 100, "hidden_size": 20, "reg": 0.03},
        "no gap: 1000 examples, 1 hidden unit": {"num_train": 1000, "hidden_size": 1, "reg": 1e-5},
    }
    figsize = (11, 4.6)
    hidden_options = (1, 2, 3, 5, 10, 20, 50, 100, 200)
    train_options = (50, 100, 200, 500, 1000)

    def __init__(self, data, num_iterations=120, batch_size=50, learning_rate=0.3, seed=0):
        super().__init__()
        self.data, self.num_iterations, self.batch_size = data, num_iterations, batch_size
        self.learning_rate, self.seed = learning_rate, seed
        options = [n for n in self.train_options if n <= data["X_train"].shape[0]] or [data["X_train"].shape[0]]
        self.num_train = W.SelectionSlider(options=options, value=100 if 100 in options else options[0],
                                           description="training examples", style={"description_width": "initial"})
        self.hidden_size = W.SelectionSlider(options=self.hidden_options, value=20, description="hidden units",
                                             style={"description_width": "initial"})
        self.reg = log_slider("L2 reg", 1e-5, -5, 0)
        self.watch(self.num_train, self.hidden_size, self.reg)
        self.build_figure()
        self.update()

    def build_figure(self):
        grid = self.fig.add_gridspec(2, 2, height_ratios=(5, 1))
        self.ax_acc = self.fig.add_subplot(grid[0, 0])
        self.ax_cost = self.fig.add_subplot(grid[0, 1])
        (self.train_line,) = self.ax_acc.plot([], [], color=COLORS["train"], lw=2, label="train")
        (self.val_line,) = self.ax_acc.plot([], [], color=COLORS["val"], lw=2, label="val")
        self.gap_line = self.ax_acc.vlines([0], [0], [0], color=COLORS["bad"], lw=4)
        self.gap_text = self.ax_acc.text(0, 0.5, "", ha="right", va="bottom", color=COLORS["bad"], fontsize=12,
                                         weight="bold")
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.12), yticks=np.linspace(0, 1, 6),
                        title="accuracy")
        self.ax_acc.legend(loc="lower right")
        (self.cost_line,) = self.ax_cost.plot([], [], color=COLORS["train"], lw=1)
        self.ax_cost.set(xlabel="iteration", ylabel="cost (data + L2)", title="loss")
        self.diagnosis = _add_diagnosis_axes(self.fig, grid[1, :])

    def run(self):
        """Train with the current controls; returns the core.trainer.TrainResult."""
        d, n = self.data, int(self.num_train.value)
        batch_size = min(self.batch_size, n)
        num_epochs = max(1, round(self.num_iterations * batch_size / n))
        net = core.FullyConnectedNet.for_data(d, [int(self.hidden_size.value)], init="xavier", reg=self.reg.value,
                                              rng=self.seed)
        return _train(net, d["X_train"][:n], d["y_train"][:n], d["X_val"], d["y_val"],
                      num_epochs=num_epochs, batch_size=batch_size, learning_rate=self.learning_rate,
                      track_ratios=False, rng=self.seed)

    def refresh(self):
        self.result = result = self.run()
        epochs = np.arange(1, len(result.train_acc_history) + 1)
        self.train_line.set_data(epochs, result.train_acc_history)
        self.val_line.set_data(epochs, result.val_acc_history)
        self.ax_acc.set_xlim(0, result.num_epochs + 1)
        cost = np.asarray(result.loss_history, dtype=float)
        shown = np.where(np.isfinite(cost), cost, np.nan)
        self.cost_line.set_data(np.arange(1, cost.size + 1), shown)
        self.ax_cost.set_xlim(0, max(cost.size, 1) + 1)
        self.ax_cost.set_ylim(0, (np.nanmax(shown) if np.isfinite(shown).any() else 3.0) * 1.05)
        self.messages = diagnosis.diagnose(result.loss_history, result.train_acc_history, result.val_acc_history)
        text, color = _diagnosis_text(self.messages)
        self.diagnosis.set_text(text)
        self.diagnosis.set_color(color)
        if result.train_acc_history:
            train, val = result.train_acc_history[-1], result.val_acc_history[-1]
            self.gap = train - val
            last = len(result.train_acc_history)
            self.gap_line.set_segments([[(last, min(train, val)), (last, max(train, val))]])
            self.gap_text.set_position((last - 0.02 * (result.num_epochs + 1), max(train, val) + 0.05))
            self.gap_text.set_text(f"gap {self.gap:+.2f}")
        else:
            self.gap = float("nan")
            self.gap_line.set_segments([])
            self.gap_text.set_text("")
        if result.diverged:
            self.show_message(result.message, kind="diverged")
        else:
            self.show_message(f"{self.num_train.value} examples, {self.hidden_size.value} hidden units, reg "
                              f"{self.reg.value:.1e}: train {result.train_acc_history[-1]:.2f}, val "
                              f"{result.val_acc_history[-1]:.2f}, gap {self.gap:.2f}")


class UpdateRatioExplorer(Explorer):
    """Update/weight ratio ||dW|| / ||W|| per layer over training, with the slide's healthy band.

    data: preprocessed dict. hidden_sizes: hidden layers of the net (Xavier init, so the ratio
    reflects the learning rate rather than tiny starting weights).
    """

    title = "Track the ratio of weight updates / weight magnitudes"
    presets = {
        "too low (1e-3): ratio ~1e-4": {"learning_rate": 1e-3},
        "healthy (0.3): ratio ~1e-3 .. 1e-2": {"learning_rate": 0.3},
        "too high (2): ratio ~1e-1": {"learning_rate": 2.0},
    }
    figsize = (10, 4.6)

    def __init__(self, data, num_train=1000, hidden_sizes=(50, 50), num_epochs=10, seed=0):
        super().__init__()
        self.table = W.HTML(value="")
        self.data, self.num_train, self.num_epochs, self.seed = data, num_train, num_epochs, seed
        self.hidden_sizes = list(hidden_sizes)
        self.learning_rate = log_slider("learning rate", 0.3, -4, 1)
        self.watch(self.learning_rate)
        self.build_figure()
        self.update()

    def build_figure(self):
        grid = self.fig.add_gridspec(2, 1, height_ratios=(5, 1))
        self.ax_ratio = self.fig.add_subplot(grid[0, 0])
        low, high = monitor.HEALTHY_RATIO
        self.ax_ratio.axhspan(low, high, color=COLORS["good"], alpha=0.15, label="slide: 0.01 - 0.001")
        self.ax_ratio.axhline(1e-3, color=COLORS["good"], ls="--", lw=1)
        num_layers = len(self.hidden_sizes) + 1
        self.ratio_lines = [self.ax_ratio.plot([], [], color=LAYER_COLORS[i % len(LAYER_COLORS)], lw=1,
                                               label=f"W{i + 1}")[0] for i in range(num_layers)]
        self.ax_ratio.set(xlabel="iteration", ylabel="||update|| / ||W||", yscale="log", ylim=(1e-6, 10),
                          title="update / weight ratio per layer")
        # plain "1e-03" labels and no minor ticks: mathtext labels are slow to draw on every change
        self.ax_ratio.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(-6, 2)))
        self.ax_ratio.yaxis.set_minor_locator(NullLocator())
        self.ax_ratio.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))
        self.ax_ratio.legend(loc="upper right", ncol=2, fontsize=9)
        self.verdict = self.ax_ratio.text(0.5, 0.1, "", transform=self.ax_ratio.transAxes, ha="center",
                                          color=COLORS["bad"], fontsize=12, weight="bold")
        self.diagnosis = _add_diagnosis_axes(self.fig, grid[1, 0])

    def extra_widgets(self):
        return [self.table]

    def run(self):
        """Train; returns (TrainResult, last updates {"W1": array like W1, ...}, final weights)."""
        d, n = self.data, self.num_train
        net = core.FullyConnectedNet.for_data(d, self.hidden_sizes, init="xavier", rng=self.seed)
        result = _train(net, d["X_train"][:n], d["y_train"][:n], d["X_val"], d["y_val"],
                        num_epochs=self.num_epochs, learning_rate=self.learning_rate.value,
                        batch_size=min(100, len(d["X_train"][:n])), track_ratios=True, rng=self.seed)
        return result, result.last_updates, {k: v for k, v in net.params.items() if k.startswith("W")}

    def refresh(self):
        result, updates, weights = self.run()
        self.result = result
        self.median_ratios = monitor.median_update_ratios(result.update_ratio_history)
        for line, ratios in zip(self.ratio_lines, result.update_ratio_history.values()):
            r = np.asarray(ratios, dtype=float)
            line.set_data(np.arange(1, r.size + 1), np.where(np.isfinite(r) & (r > 0), r, np.nan))
        self.ax_ratio.set_xlim(0, result.num_epochs * result.iterations_per_epoch + 1)
        self.stats = {}
        for name in weights:
            self.stats[name] = {"values": monitor.value_stats(weights[name]),
                                "updates": monitor.value_stats(updates[name]) if name in updates else None}
        self.table_text = self.stats_table()
        self.table.value = "<pre style='font-size:13px;line-height:1.3'>" + html.escape(self.table_text) + "</pre>"
        self.messages = diagnosis.diagnose(result.loss_history, result.train_acc_history, result.val_acc_history,
                                         result.update_ratio_history)
        text, color = _diagnosis_text(self.messages)
        self.diagnosis.set_text(text)
        self.diagnosis.set_color(color)
        self.verdict.set_text(result.message if result.diverged else "")
        if result.diverged:
            self.show_message(result.message, kind="diverged")
        else:
            medians = ", ".join(f"{k} {v:.1e}" for k, v in self.median_ratios.items())
            self.show_message(f"lr {self.learning_rate.value:.1e}: median ratio over the last half {medians}; "
                              f"val {result.val_acc_history[-1]:.2f}")


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


class FirstLayerWeightsExplorer(Explorer):
    """First-layer weights of a D-H-C net as images, one per hidden unit, under an L2 slider.

    data: preprocessed dict whose rows are 8x8 digits (D = 64) or CIFAR-10 images (D = 3072).
    Xavier init: without regularization, pixels the data never pushes on keep their random start.
    """

    title = "Visualizing first-layer weights"
    presets = {
        "weak regularization (1e-5): noisy": {"reg": 1e-5},
        "strong regularization (0.1): smooth": {"reg": 0.1},
    }
    figsize = (11, 5.2)

    def __init__(self, data, hidden_size=32, num_epochs=20, learning_rate=0.3, num_train=None, seed=0):
        super().__init__()
        self.data, self.hidden_size, self.num_epochs, self.seed = data, hidden_size, num_epochs, seed
        self.learning_rate, self.num_train = learning_rate, num_train
        D = data["X_train"].shape[1]
        self.image_shape = core.data.image_shape(D)
        if self.image_shape is None:
            raise ValueError(f"data rows have {D} values; expected 64 (digits) or 3072 (CIFAR-10)")
        self.columns = min(8, hidden_size)
        self.reg = log_slider("L2 reg", 1e-5, -5, 0)
        self.watch(self.reg)
        self.build_figure()
        self.update()

    def build_figure(self):
        grid = self.fig.add_gridspec(1, 2, width_ratios=(3, 1))
        self.ax_weights = self.fig.add_subplot(grid[0, 0])
        D = self.data["X_train"].shape[1]
        empty = weight_mosaic(np.zeros((D, self.hidden_size)), self.image_shape, self.columns)
        self.weights_image = self.ax_weights.imshow(empty, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        self.ax_weights.set_xticks([])
        self.ax_weights.set_yticks([])
        self.ax_weights.set_title(f"W1: one image per hidden unit ({self.hidden_size} units)")
        self.ax_rough = self.fig.add_subplot(grid[0, 1])
        self.rough_bar = self.ax_rough.bar([0], [0], color=COLORS["train"], width=0.6)[0]
        self.ax_rough.axhline(2.0, color=COLORS["ref"], ls=":", lw=1)
        self.ax_rough.text(0, 2.03, "white noise", ha="center", va="bottom", fontsize=9, color=COLORS["ref"])
        self.rough_text = self.ax_rough.text(0, 0.05, "", ha="center", va="bottom", fontsize=13, weight="bold",
                                             color="white")
        self.ax_rough.set(xlim=(-0.6, 0.6), ylim=(0, 2.3), xticks=[], ylabel="roughness",
                          title="mean sq. difference\nof neighbouring pixels")

    def run(self):
        """Train; returns (the net, the TrainResult)."""
        d = self.data
        n = d["X_train"].shape[0] if self.num_train is None else self.num_train
        net = core.FullyConnectedNet.for_data(d, [self.hidden_size], init="xavier", reg=self.reg.value, rng=self.seed)
        result = _train(net, d["X_train"][:n], d["y_train"][:n], d["X_val"], d["y_val"],
                        num_epochs=self.num_epochs, learning_rate=self.learning_rate, track_ratios=False,
                        batch_size=min(100, n), rng=self.seed)
        return net, result

    def refresh(self):
        net, result = self.run()
        self.result = result
        W1 = net.params["W1"].astype(np.float64)
        if not np.isfinite(W1).all():
            self.roughness = float("nan")
            self.weights_image.set_data(weight_mosaic(np.zeros_like(W1), self.image_shape, self.columns))
            self.rough_bar.set_height(0)
            self.rough_text.set_text("")
            self.show_message(result.message, kind="diverged")
            return
        self.roughness = weight_roughness(W1, self.image_shape)
        self.weights_image.set_data(weight_mosaic(W1, self.image_shape, self.columns))
        self.rough_bar.set_height(self.roughness)
        self.rough_text.set_text(f"{self.roughness:.2f}")
        if result.diverged:
            self.show_message(result.message, kind="diverged")
        else:
            self.show_message(f"reg {self.reg.value:.1e}: roughness {self.roughness:.2f} (white noise: 2), "
                              f"val accuracy {result.val_acc_history[-1]:.2f}")
