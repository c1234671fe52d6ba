"""Monitoring explorers (the slides' "Visualizations to play with"): loss-curve shapes with a diagnosis and
the train/val accuracy gap (here), update/weight ratios per layer and first-layer weights as images
(widgets.monitoring_layers, importable from here too). Every control change retrains a small net on the
data (a few tens of milliseconds) and redraws; the learning-rate cases come from the data's own cliff
(core.demos.lecture_cases.learning_rate_cliff)."""
import numpy as np

import core
from core.demos.gaps import epochs_for_budget, final_gap
from core.demos.lecture_cases import learning_rate_cliff

from .base import COLORS, choice_slider, log_slider, show_history, verdict_text
from .monitoring_layers import FirstLayerWeightsExplorer, UpdateRatioExplorer
from .trained import TrainingExplorer

__all__ = ["FirstLayerWeightsExplorer", "GapExplorer", "LossCurveExplorer", "UpdateRatioExplorer"]


class LossCurveExplorer(TrainingExplorer):
    """Loss-curve shapes and what they say: learning rate and init scale, with the diagnosis underneath.

    data: a dict from core.data, preprocessed (X_train (N, D), y_train, X_val, y_val).
    num_train: training examples used; hidden_size: H of the D-H-C net; seed: weights and batches.
    too_low, too_high, good: the cases' learning rates; None: 0.01, 1.3 and 0.2 x the data's cliff
    (core.demos.lecture_cases.learning_rate_cliff of this 64-50-10 run; 0.03, 3.4 and 0.5 on digits).
    """

    title = "Monitor and visualize the loss curve"

    def __init__(self, data, num_train=1000, hidden_size=50, num_epochs=10, seed=0, too_low=None, too_high=None,
                 good=None):
        self.data, self.num_train, self.hidden_size, self.seed = data, num_train, hidden_size, seed
        self.num_epochs = num_epochs
        cliff = learning_rate_cliff(data) if None in (too_low, too_high, good) else None
        too_low, too_high, good = (rate if rate is not None else cliff.rate(fraction)
                                   for rate, fraction in ((too_low, 0.01), (too_high, 1.3), (good, 0.2)))
        self.cases = {f"learning rate too low ({too_low:g})": {"learning_rate": too_low, "init_scale": 1e-2},
                      f"learning rate too high ({too_high:g})": {"learning_rate": too_high, "init_scale": 1e-2},
                      f"good ({good:g})": {"learning_rate": good, "init_scale": 1e-2},
                      "bad initialization (init scale 1e-4)": {"learning_rate": good, "init_scale": 1e-4}}
        self.start_case = f"good ({good:g})"
        super().__init__()

    def make_controls(self):
        return {"learning_rate": log_slider("learning rate", self.presets[self.start_case]["learning_rate"], -6, 6),
                "init_scale": log_slider("init scale (std of W)", 1e-2, -5, 1)}

    def colors(self):
        return [COLORS["train"], COLORS["val"], COLORS["ref"], COLORS["good"], COLORS["bad"]]

    def build_figure(self):
        grid = self.fig.add_gridspec(2, 2, height_ratios=(5, 1))
        self.ax_cost, self.ax_acc = self.fig.add_subplot(grid[0, 0]), self.fig.add_subplot(grid[0, 1])
        (self.cost_line,) = self.ax_cost.plot([], [], color=COLORS["train"], lw=1)
        C = core.data.num_classes(self.data)
        self.ax_cost.axhline(core.layers.chance_loss(C), color=COLORS["ref"], ls=":", lw=1, label=f"ln({C}) (chance)")
        self.ax_cost.set(xlabel="iteration", ylabel="cost", title="loss")
        self.ax_cost.legend(loc="upper right")
        self.verdict = verdict_text(self.ax_cost, 0.5, 0.5, ha="center", fontsize=13)
        (self.train_line,) = self.ax_acc.plot([], [], "o-", color=COLORS["train"], label="train")
        (self.val_line,) = self.ax_acc.plot([], [], "s--", color=COLORS["val"], label="val")
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02), xlim=(0.5, self.num_epochs + 0.5),
                        title="accuracy")
        self.ax_acc.legend(loc="lower right")
        self.diagnosis_strip(grid[1, :])
        self.animate(self.cost_line, self.verdict, self.train_line, self.val_line, self.diagnosis)

    def run(self):
        """Train with the current controls; returns the core.trainer.TrainResult."""
        net = core.FullyConnectedNet.for_data(self.data, [self.hidden_size], init_scale=self.init_scale.value,
                                              rng=self.seed)
        return self.train(net, self.num_train, num_epochs=self.num_epochs, learning_rate=self.learning_rate.value,
                          track_ratios=False)

    def refresh(self):
        self.result = result = self.run()
        self.show_cost(self.cost_line, self.ax_cost, result, result.num_epochs * result.iterations_per_epoch + 1)
        show_history(self.train_line, result.train_acc_history)
        show_history(self.val_line, result.val_acc_history)
        self.show_diagnosis(result)
        self.verdict.set_text(result.message if result.diverged else "")
        self.show_status(result, lambda: f"lr {self.learning_rate.value:.1e}, init scale {self.init_scale.value:.1e}: "
                         f"final cost {result.loss_history[-1]:.3f}, train {result.train_acc_history[-1]:.2f}, "
                         f"val {result.val_acc_history[-1]:.2f}")


class GapExplorer(TrainingExplorer):
    """Train/val accuracy gap: capacity (hidden units), L2 strength and the size of the training set.

    data: preprocessed dict from core.data. Every run makes about num_iterations updates of
    batch_size examples, whatever the training-set size (so the time per change stays the same).
    """

    title = "Monitor and visualize the accuracy: the train/val gap"
    cases = {
        "big gap: 100 examples, 20 hidden units, no regularization": {"num_train": 100, "hidden_size": 20,
                                                                      "reg": 1e-5},
        "stronger regularization (0.03): smaller gap": {"num_train": 100, "hidden_size": 20, "reg": 0.03},
        "no gap: 1000 examples, 1 hidden unit": {"num_train": 1000, "hidden_size": 1, "reg": 1e-5},
    }
    start_case = "big gap: 100 examples, 20 hidden units, no regularization"
    hidden_options = (1, 2, 3, 5, 10, 20, 50, 100, 200)
    train_options = (50, 100, 200, 500, 1000)

    def __init__(self, data, num_iterations=120, batch_size=50, learning_rate=0.3, seed=0):
        self.data, self.num_iterations, self.batch_size = data, num_iterations, batch_size
        self.learning_rate, self.seed = learning_rate, seed
        super().__init__()

    def make_controls(self):
        N = self.data["X_train"].shape[0]
        options = [n for n in self.train_options if n <= N] or [N]
        return {"num_train": choice_slider("training examples", options, 100 if 100 in options else options[0]),
                "hidden_size": choice_slider("hidden units", self.hidden_options, 20),
                "reg": log_slider("L2 reg", 1e-5, -5, 0)}

    def colors(self):
        return [COLORS["train"], COLORS["val"], COLORS["bad"], COLORS["good"]]

    def build_figure(self):
        grid = self.fig.add_gridspec(2, 2, height_ratios=(5, 1))
        self.ax_acc, self.ax_cost = self.fig.add_subplot(grid[0, 0]), self.fig.add_subplot(grid[0, 1])
        (self.train_line,) = self.ax_acc.plot([], [], color=COLORS["train"], lw=2, label="train")
        (self.val_line,) = self.ax_acc.plot([], [], "--", color=COLORS["val"], lw=2, label="val")
        self.gap_line = self.ax_acc.vlines([0], [0], [0], color=COLORS["bad"], lw=4)
        self.gap_text = self.ax_acc.text(0, 0.5, "", ha="right", va="bottom", color=COLORS["bad"], fontsize=12,
                                         weight="bold")
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.12), yticks=np.linspace(0, 1, 6),
                        title="accuracy")
        self.ax_acc.legend(loc="lower right")
        (self.cost_line,) = self.ax_cost.plot([], [], color=COLORS["train"], lw=1)
        self.ax_cost.set(xlabel="iteration", ylabel="cost (data + L2)", title="loss")
        self.diagnosis_strip(grid[1, :])
        self.animate(self.train_line, self.val_line, self.gap_line, self.gap_text, self.cost_line, self.diagnosis)

    def run(self):
        """Train with the current controls; returns the core.trainer.TrainResult."""
        n = int(self.num_train.value)
        num_epochs, batch_size = epochs_for_budget(self.num_iterations, self.batch_size, n)
        net = core.FullyConnectedNet.for_data(self.data, [int(self.hidden_size.value)], init="xavier",
                                              reg=self.reg.value, rng=self.seed)
        return self.train(net, n, num_epochs=num_epochs, batch_size=batch_size, learning_rate=self.learning_rate,
                          track_ratios=False)

    def refresh(self):
        self.result = result = self.run()
        show_history(self.train_line, result.train_acc_history)
        show_history(self.val_line, result.val_acc_history)
        self.set_limits(self.ax_acc, x=(0, result.num_epochs + 1))
        self.show_cost(self.cost_line, self.ax_cost, result, margin=1.05)
        self.show_diagnosis(result)
        train, val, self.gap = final_gap(result)
        last, finished = len(result.train_acc_history), bool(result.train_acc_history)
        self.gap_line.set_segments([[(last, min(train, val)), (last, max(train, val))]] if finished else [])
        if finished:
            self.gap_text.set_position((last - 0.02 * (result.num_epochs + 1), max(train, val) + 0.05))
        self.gap_text.set_text(f"gap {self.gap:+.2f}" if finished else "")
        self.show_status(result, lambda: f"{self.num_train.value} examples, {self.hidden_size.value} hidden units, "
                         f"reg {self.reg.value:.1e}: train {train:.2f}, val {val:.2f}, gap {self.gap:.2f}")
