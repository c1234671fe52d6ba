"""Learning-rate explorer: retrain on every slider move and redraw cost and train/val accuracy."""
import numpy as np

import core
from .base import COLORS, Explorer, log_slider, slider


class LearningRateExplorer(Explorer):
    """The slides' "Lets try to train now..." runs, one slider away from each other.

    data: a dict from core.data (X_train, y_train, X_val, y_val), preprocessed.
    num_train: training examples used (the retrain-on-every-move budget). seed: for weights and batches.
    """

    title = "Babysitting the learning rate"
    presets = {
        "too low (1e-6): loss not going down": {"learning_rate": 1e-6},
        "too high (1e6): cost NaN": {"learning_rate": 1e6},
        "slightly too high (3): explodes after a few iterations": {"learning_rate": 3.0},
        "about right (0.5)": {"learning_rate": 0.5},
    }

    def __init__(self, data, num_train=1000, hidden_size=50, init_scale=1e-2, seed=0):
        super().__init__()
        self.data, self.num_train, self.seed = data, num_train, seed
        self.hidden_size, self.init_scale = hidden_size, init_scale
        self.learning_rate = log_slider("learning rate", 0.5, -7, 7)
        self.num_epochs = slider("epochs", 10, 1, 30, 1, integer=True)
        self.reg = log_slider("reg", 1e-6, -6, 1)
        self.learning_rate_decay = slider("lr decay / epoch", 1.0, 0.8, 1.0, 0.01)
        self.watch(self.learning_rate, self.num_epochs, self.reg, self.learning_rate_decay)
        self.build_figure()
        self.update()

    def build_figure(self):
        self.ax_cost, self.ax_acc = self.fig.subplots(1, 2)
        (self.cost_line,) = self.ax_cost.plot([], [], color=COLORS["train"], lw=1)
        self.explode_line = self.ax_cost.axhline(np.nan, color=COLORS["bad"], ls="--", lw=1, label="3 x original cost")
        self.ax_cost.set(xlabel="iteration", ylabel="cost", title="cost")
        self.ax_cost.legend(loc="upper right")
        (self.train_line,) = self.ax_acc.plot([], [], "o-", color=COLORS["train"], label="train")
        (self.val_line,) = self.ax_acc.plot([], [], "o-", color=COLORS["val"], label="val")
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02), title="accuracy")
        self.ax_acc.legend(loc="lower right")
        self.verdict = self.ax_cost.text(0.5, 0.5, "", transform=self.ax_cost.transAxes, ha="center",
                                         color=COLORS["bad"], fontsize=14, weight="bold")

    def run(self):
        """Train with the current controls and return the core.trainer.TrainResult."""
        d = self.data
        net = core.FullyConnectedNet(d["X_train"].shape[1], [self.hidden_size], int(d["y_train"].max()) + 1,
                                     init_scale=self.init_scale, rng=self.seed)
        return core.train(net, d["X_train"][: self.num_train], d["y_train"][: self.num_train],
                          d["X_val"], d["y_val"], num_epochs=self.num_epochs.value,
                          learning_rate=self.learning_rate.value, reg=self.reg.value,
                          learning_rate_decay=self.learning_rate_decay.value, rng=self.seed)

    def refresh(self):
        self.result = result = self.run()
        cost = np.asarray(result.loss_history, dtype=float)
        shown = np.where(np.isfinite(cost), cost, np.nan)
        self.cost_line.set_data(np.arange(1, cost.size + 1), shown)
        self.explode_line.set_ydata([3 * result.original_cost] * 2)
        top = np.nanmax(shown) if np.isfinite(shown).any() else 1.0
        self.ax_cost.set_xlim(0, result.num_epochs * result.iterations_per_epoch + 1)
        self.ax_cost.set_ylim(0, max(top, 3 * result.original_cost if np.isfinite(result.original_cost) else 0) * 1.08)
        epochs = np.arange(1, len(result.train_acc_history) + 1)
        self.train_line.set_data(epochs, result.train_acc_history)
        self.val_line.set_data(epochs, result.val_acc_history)
        self.ax_acc.set_xlim(0.5, result.num_epochs + 0.5)
        self.verdict.set_text(result.message if result.diverged else "")
        if result.diverged:
            self.show_message(result.message, kind="diverged")
        else:
            self.show_message(f"lr {self.learning_rate.value:.1e}: final cost {cost[-1]:.3f}, "
                              f"train {result.train_acc_history[-1]:.2f}, val {result.val_acc_history[-1]:.2f}")
