"""Learning-rate explorer: retrain on every slider move and redraw cost and train/val accuracy."""
import math

import ipywidgets as W
import numpy as np

import core

from .base import COLORS, Explorer, log_slider, slider


class LearningRateExplorer(Explorer):
    """The slides' "Lets try to train now..." runs, one slider away from each other.

    data: a dict from core.data (X_train, y_train, X_val, y_val), preprocessed.
    num_train: training examples used (the retrain-on-every-move budget). seed: for weights and batches.
    The presets are the slides' cases with learning rates measured on standardized digits
    (64-50-10 net, init 1e-2, batch 100, 10 epochs of 1000 examples; see notebook 05).
    """

    title = "Babysitting the learning rate"
    _rest = {"num_epochs": 10, "reg": 1e-6, "learning_rate_decay": 1.0, "explosion_rule": True}
    presets = {
        "too low (3e-3; the slide's 1e-6): loss barely changing": {"learning_rate": 3e-3, **_rest},
        "too high (1e6): cost NaN": {"learning_rate": 1e6, **{**_rest, "explosion_rule": False}},
        "too high (1e6) with the 3x rule: diverged label": {"learning_rate": 1e6, **_rest},
        "slightly too high (2.8): cost falls, then explodes": {"learning_rate": 2.8, **_rest},
        "slightly too high (2.8) + decay 0.9 per epoch": {
            "learning_rate": 2.8,
            **{**_rest, "learning_rate_decay": 0.9},
        },
        "about right (0.5)": {"learning_rate": 0.5, **_rest},
    }

    def __init__(self, data, num_train=1000, hidden_size=50, init_scale=1e-2, seed=0):
        super().__init__()
        self.data, self.num_train, self.seed = data, num_train, seed
        self.hidden_size, self.init_scale = hidden_size, init_scale
        self.learning_rate = log_slider("learning rate", 0.5, -7, 7)
        self.num_epochs = slider("epochs", 10, 1, 30, 1, integer=True)
        self.reg = log_slider("reg", 1e-6, -6, 1)
        self.learning_rate_decay = slider("lr decay / epoch", 1.0, 0.8, 1.0, 0.01)
        self.explosion_rule = W.Checkbox(value=True, description="stop when cost > 3 x original cost",
                                         style={"description_width": "initial"})
        self.watch(self.learning_rate, self.num_epochs, self.reg, self.learning_rate_decay, self.explosion_rule)
        self.build_figure()
        self.update()

    def build_figure(self):
        self.ax_cost, self.ax_acc = self.fig.subplots(1, 2)
        (self.cost_line,) = self.ax_cost.plot([], [], color=COLORS["train"], lw=1, label="cost (per iteration)")
        self.explode_line = self.ax_cost.axhline(np.nan, color=COLORS["bad"], ls="--", lw=1, label="3 x original cost")
        (self.explode_marker,) = self.ax_cost.plot([], [], "X", color=COLORS["bad"], ms=11)
        self.ax_cost.set(xlabel="iteration", title="cost")
        self.ax_cost.set_ylabel("cost")
        self.ax_cost.yaxis.set_label_coords(-0.09, 0.5)  # fixed: wider tick labels must not push it out (layout frozen)
        self.ax_cost.legend(loc="upper right", fontsize=9)
        (self.train_line,) = self.ax_acc.plot([], [], "o-", color=COLORS["train"], label="train")
        (self.val_line,) = self.ax_acc.plot([], [], "o-", color=COLORS["val"], label="val")
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02), title="accuracy")
        self.ax_acc.legend(loc="lower right")
        self.verdict = self.ax_cost.text(0.5, 0.78, "", transform=self.ax_cost.transAxes, ha="center", va="center",
                                         color=COLORS["bad"], fontsize=13, weight="bold",
                                         bbox=dict(facecolor="white", alpha=0.85, edgecolor="none"))
        self.acc_note = self.ax_acc.text(0.5, 0.5, "", transform=self.ax_acc.transAxes, ha="center",
                                         color=COLORS["bad"], fontsize=12)

    def run(self):
        """Train with the current controls and return the core.trainer.TrainResult."""
        d = self.data
        net = core.FullyConnectedNet.for_data(d, [self.hidden_size], init_scale=self.init_scale, rng=self.seed)
        return core.train(net, d["X_train"][: self.num_train], d["y_train"][: self.num_train],
                          d["X_val"], d["y_val"], num_epochs=self.num_epochs.value,
                          learning_rate=self.learning_rate.value, reg=self.reg.value,
                          learning_rate_decay=self.learning_rate_decay.value,
                          explode_factor=3.0 if self.explosion_rule.value else None,
                          track_ratios=False, rng=self.seed)

    def refresh(self):
        self.result = result = self.run()
        cost = np.asarray(result.loss_history, dtype=float)
        finite = np.isfinite(cost)
        shown = np.where(finite, cost, np.nan)
        iterations = np.arange(1, cost.size + 1)
        self.cost_line.set_data(iterations, shown)
        original = result.original_cost
        self.explode_line.set_ydata([3 * original] * 2)
        top = np.nanmax(shown) if finite.any() else 1.0
        self.ax_cost.set_xlim(0, result.num_epochs * result.iterations_per_epoch + 1)
        # show up to 5 x the original cost: an exploding cost leaves through the top, the start stays readable
        ceiling = 5 * original if math.isfinite(original) else 10.0
        self.ax_cost.set_ylim(0, min(max(top, 3 * original if math.isfinite(original) else 0) * 1.08, ceiling))
        if result.diverged and finite[-1]:
            self.explode_marker.set_data([cost.size], [min(cost[-1], self.ax_cost.get_ylim()[1] * 0.96)])
        else:
            self.explode_marker.set_data([], [])
        lr, decay = self.learning_rate.value, self.learning_rate_decay.value
        schedule = (
            f"lr {lr:.1e} constant"
            if decay == 1
            else f"lr {lr:.2g} x {decay:g} per epoch -> "
            f"{core.schedules.per_epoch_decay(lr, result.num_epochs - 1, decay):.2g} "
            f"in epoch {result.num_epochs}"
        )
        self.ax_cost.set_title(f"cost ({schedule})")
        epochs = np.arange(1, len(result.train_acc_history) + 1)
        self.train_line.set_data(epochs, result.train_acc_history)
        self.val_line.set_data(epochs, result.val_acc_history)
        self.ax_acc.set_xlim(0.5, result.num_epochs + 0.5)
        self.acc_note.set_text("" if result.train_acc_history else "no epoch finished: diverged in epoch 1")
        nan_at = core.monitor.first_nonfinite(result.loss_history)
        if result.diverged:
            self.verdict.set_text(result.message.replace(": ", ":\n", 1))
            self.show_message(result.message, kind="diverged")
        elif nan_at is not None:
            self.verdict.set_text(f"cost NaN/inf from iteration {nan_at}")
            self.show_message(
                f"lr {lr:.1e}: cost NaN/inf from iteration {nan_at} (explosion rule off, so training "
                f"went on); train {result.train_acc_history[-1]:.2f}, val {result.val_acc_history[-1]:.2f}",
                kind="diverged",
            )
        else:
            self.verdict.set_text("")
            final = result.final_cost()  # the mean over the last epoch
            self.show_message(f"lr {lr:.1e}: cost {original:.3f} -> {final:.3f} "
                              f"(mean of the last epoch, change {final - original:+.3f}); train accuracy "
                              f"{result.train_acc_history[0]:.2f} -> {result.train_acc_history[-1]:.2f}, "
                              f"val {result.val_acc_history[-1]:.2f}")
