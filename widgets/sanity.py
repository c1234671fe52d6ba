"""Sanity-check explorers: "Double check that the loss is reasonable" and "Make sure that you can
overfit very small portion of the data".

InitialLossExplorer: init scale and reg against the ln(C) line (the loss of a net that guesses 1/C).
OverfitExplorer: number of examples and reg against train accuracy reaching 1.00 (full-batch SGD).
"""
import numpy as np
from matplotlib.ticker import FormatStrFormatter

import core
from core.demos import sanity as demo

from .axes import log_axis
from .base import COLORS, Explorer, log_slider, show_history, slider


def reg_value(control):
    """A log slider's value, with its leftmost position meaning 0 (regularization off)."""
    return 0.0 if control.value <= 10 ** control.min * 1.0001 else float(control.value)


def reg_label(reg):
    return "0 (off)" if reg == 0 else f"{reg:.1e}"


class InitialLossExplorer(Explorer):
    """The loss before any training, for small random weights of std init_scale, against ln(C).

    data: a dict from core.data (X_train, y_train), preprocessed. num_seeds: weight draws per
    setting (the spread). Left: initial loss against init scale for the chosen reg; right: against
    reg for the chosen init scale. The loss is data loss + 0.5 reg sum(W^2), as net.loss returns it.
    """

    title = "Sanity check: the initial loss is about ln(C)"
    start_case = "small init 1e-2, reg off: loss ~ ln(10)"
    cases = {
        "small init 1e-2, reg off: loss ~ ln(10)": {"init_scale": 1e-2, "reg": 1e-6},
        "the slide's init 1e-4, reg off": {"init_scale": 1e-4, "reg": 1e-6},
        "crank up regularization (reg 4): loss went up": {"init_scale": 1e-2, "reg": 4.0},
        "too large init (1.0): loss far from ln(10)": {"init_scale": 1.0, "reg": 1e-6},
    }
    figsize = (10, 4)

    def __init__(self, data, hidden_size=50, num_seeds=5, num_examples=500, seed=0):
        self.X = data["X_train"][:num_examples]
        self.y = data["y_train"][:num_examples]
        self.hidden_size, self.seed = hidden_size, seed
        self.seeds = [seed + k for k in range(num_seeds)]
        self.num_classes = core.data.num_classes(data)
        self.chance_loss = core.layers.chance_loss(self.num_classes)
        self.scale_grid = np.logspace(-5, 1, 25)
        self.reg_grid = np.logspace(-6, 3, 28)
        # data loss and the L2 penalty at reg = 1, per seed and grid scale (the penalty is linear in reg)
        self.grid_data_loss, self.grid_penalty = self.loss_parts(self.scale_grid)
        super().__init__()

    def make_controls(self):
        return {"init_scale": log_slider("init scale (weight std)", 1e-2, -5, 1),
                "reg": log_slider("reg (leftmost = 0)", 1e-6, -6, 3)}

    def colors(self):
        return [COLORS["train"], COLORS["val"], COLORS["good"], COLORS["bad"]]  # each labelled; ln(C) dashed

    def loss_parts(self, scales):
        """(data loss, penalty at reg 1), each (num_seeds, len(scales)): core.demos.sanity.initial_loss_parts."""
        return demo.initial_loss_parts(self.X, self.y, self.hidden_size, self.num_classes, scales, self.seeds)

    def build_figure(self):
        self.ax_scale, self.ax_reg = self.fig.subplots(1, 2)
        for ax in (self.ax_scale, self.ax_reg):
            ax.axhline(self.chance_loss, color=COLORS["good"], ls="--", lw=1.5,
                       label=f"ln({self.num_classes}) = {self.chance_loss:.3f}")
            log_axis(ax.xaxis, every=2, labels="short exponent")  # every other decade: fewer labels, faster
            ax.set_ylabel("initial loss")
            ax.yaxis.set_major_formatter(FormatStrFormatter("%.3g"))
            ax.yaxis.set_label_coords(-0.13, 0.5)  # fixed: the y range follows the loss, the layout is frozen
            ax.grid(alpha=0.3, which="major")
        self.seed_lines = [self.ax_scale.plot(self.scale_grid, np.ones_like(self.scale_grid), color=COLORS["train"],
                                              lw=0.8, alpha=0.45)[0] for _ in self.seeds]
        (self.scale_mean,) = self.ax_scale.plot(self.scale_grid, np.ones_like(self.scale_grid), color=COLORS["train"],
                                                lw=2, label=f"mean of {len(self.seeds)} seeds")
        (self.scale_marker,) = self.ax_scale.plot([1e-2], [self.chance_loss], "o", color=COLORS["bad"], ms=9,
                                                  label="current setting")
        self.ax_scale.set(xlabel="init scale (std of W)", title="initial loss vs init scale")
        self.ax_scale.legend(loc="upper left", fontsize=9)
        (self.reg_mean,) = self.ax_reg.plot(self.reg_grid, np.ones_like(self.reg_grid), color=COLORS["val"], lw=2,
                                            label="data loss + 0.5 reg sum W^2")
        (self.reg_marker,) = self.ax_reg.plot([1e-6], [self.chance_loss], "o", color=COLORS["bad"], ms=9,
                                              label="current setting")
        self.ax_reg.set(xlabel="reg (L2 strength)", title="initial loss vs reg")
        self.ax_reg.text(0.03, 0.95, "data loss + 0.5 reg sum W^2", transform=self.ax_reg.transAxes, va="top",
                         fontsize=9, color=COLORS["val"])
        self.note = self.fig.suptitle("", fontsize=12)
        self.animate(*self.seed_lines, self.scale_mean, self.scale_marker, self.reg_mean, self.reg_marker,
                     self.note, self.ax_scale.title, self.ax_reg.title)

    def refresh(self):
        scale, reg = self.init_scale.value, reg_value(self.reg)
        curves, mean_curve = demo.initial_loss_curves(self.grid_data_loss, self.grid_penalty, reg)
        for line, curve in zip(self.seed_lines, curves):
            line.set_ydata(curve)
        self.scale_mean.set_ydata(mean_curve)
        data_now, penalty_now = self.loss_parts([scale])
        check = demo.initial_loss_at(data_now[:, 0], penalty_now[:, 0], reg, self.num_classes)
        self.losses = losses = check["losses"]
        mean, spread, close = check["mean"], check["spread"], check["close"]
        self.scale_marker.set_data([scale], [mean])
        self.reg_mean.set_ydata(demo.initial_loss_curves(data_now, penalty_now, self.reg_grid)[1])
        self.reg_marker.set_data([max(reg, self.reg_grid[0])], [mean])
        # the y range follows the current setting: near ln(C) it zooms in, far from it it zooms out
        top = max(3.5, float(np.nanmax(losses)) * 1.3 if np.isfinite(losses).any() else 3.5)
        top = 2.0 ** np.ceil(np.log2(top))  # a power of 2: the limits change rarely, the axes stay cached
        for ax in (self.ax_scale, self.ax_reg):
            self.set_limits(ax, y=(min(2.0, self.chance_loss - 0.3), top))
        self.ax_reg.title.set_text(f"initial loss vs reg (init scale {scale:.0e})")
        self.ax_scale.title.set_text(f"initial loss vs init scale (reg {reg_label(reg)})")
        self.note.set_text(f"initial loss {mean:.3f} (spread over seeds {spread:.3f}) vs ln({self.num_classes}) = "
                           f"{self.chance_loss:.3f}: within 0.02: {close}")
        text = (f"init scale {scale:.1e}, reg {reg_label(reg)}: initial loss {mean:.4f} over {len(self.seeds)} "
                f"seeds (spread {spread:.4f}); ln({self.num_classes}) = {self.chance_loss:.4f}")
        if reg > 0:
            text += f"; the penalty adds {check['penalty']:.3g}"
        self.show_message(text, kind="good" if close else "info")


class OverfitExplorer(Explorer):
    """Overfit a tiny training set with full-batch SGD (sample_batches=False), as on the slide.

    data: a dict from core.data, preprocessed. The first num_examples training examples are both
    the training and the "validation" set, as in the slide's train(X_tiny, y_tiny, X_tiny, y_tiny).
    learning_rate: plain SGD, constant (the slide's 1e-3 is for raw CIFAR-10 pixels; see notebook 04).
    """

    title = "Sanity check: can the net overfit a tiny training set?"
    start_case = "the slide: 20 examples, reg 0"
    cases = {
        "the slide: 20 examples, reg 0": {"num_examples": 20, "reg": 1e-6},
        "5 examples, reg 0": {"num_examples": 5, "reg": 1e-6},
        "200 examples, reg 0 (takes longer)": {"num_examples": 200, "reg": 1e-6},
        "20 examples, reg 1 (too strong to overfit)": {"num_examples": 20, "reg": 1.0},
    }
    figsize = (10, 4)

    def __init__(self, data, hidden_size=50, init_scale=1e-2, learning_rate=0.3, num_epochs=200, seed=0):
        self.data, self.hidden_size, self.init_scale = data, hidden_size, init_scale
        self.learning_rate, self.num_epochs, self.seed = learning_rate, num_epochs, seed
        super().__init__()

    def make_controls(self):
        return {"num_examples": slider("examples", 20, 5, 200, 1, integer=True),
                "reg": log_slider("reg (leftmost = 0)", 1e-6, -6, 1)}

    def colors(self):
        return [COLORS["train"], COLORS["ref"], COLORS["good"]]  # curves, ln(C) (dotted), 1.00 (dashed)

    def build_figure(self):
        self.ax_cost, self.ax_acc = self.fig.subplots(1, 2)
        epochs = np.arange(1, self.num_epochs + 1)
        (self.cost_line,) = self.ax_cost.plot(epochs, np.ones(self.num_epochs), color=COLORS["train"], lw=1.5)
        C = core.data.num_classes(self.data)
        self.ax_cost.axhline(core.layers.chance_loss(C), color=COLORS["ref"], ls=":", lw=1, label=f"ln({C}), the start")
        self.ax_cost.set(xlabel="epoch (= one full-batch update)", ylabel="cost", xlim=(0, self.num_epochs + 1),
                         title="cost (log scale)")
        log_axis(self.ax_cost.yaxis, labels="plain")
        self.ax_cost.yaxis.set_label_coords(-0.12, 0.5)  # fixed: tick labels change width, the layout is frozen
        self.ax_cost.legend(loc="lower left", fontsize=9)
        self.cost_text = self.ax_cost.text(0.97, 0.65, "", transform=self.ax_cost.transAxes, ha="right", fontsize=11)
        (self.acc_line,) = self.ax_acc.plot(epochs, np.zeros(self.num_epochs), color=COLORS["train"], lw=1.5,
                                            label="train accuracy")
        self.ax_acc.axhline(1.0, color=COLORS["good"], ls="--", lw=1, label="1.00")
        self.reached_line = self.ax_acc.axvline(np.nan, color=COLORS["good"], lw=1)
        self.ax_acc.set(xlabel="epoch", ylabel="train accuracy", ylim=(0, 1.05), xlim=(0, self.num_epochs + 1),
                        title="train accuracy")
        self.acc_text = self.ax_acc.text(0.5, 0.3, "", transform=self.ax_acc.transAxes, ha="center", fontsize=12,
                                         bbox=dict(facecolor="white", alpha=0.85, edgecolor="none"))
        self.animate(self.cost_line, self.cost_text, self.acc_line, self.reached_line, self.acc_text,
                     self.ax_cost.title)

    def refresh(self):
        n, reg = self.num_examples.value, reg_value(self.reg)
        self.result = result = demo.overfit_tiny_subset(self.data, n, reg, self.hidden_size, self.init_scale,
                                                        self.learning_rate, self.num_epochs, self.seed)
        cost = show_history(self.cost_line, result.loss_history)
        finite = cost[np.isfinite(cost)]
        low = max(min(finite.min() if finite.size else 1e-3, 1.0) / 2, 1e-5)
        high = max(finite.max() if finite.size else 10, 3.0) * 1.5
        self.set_limits(self.ax_cost, y=(10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(high))))  # decades
        acc = show_history(self.acc_line, result.train_acc_history)
        self.reached_at = demo.first_epoch_reaching(result.train_acc_history, 1.0)
        self.reached_line.set_xdata([self.reached_at or np.nan] * 2)
        final = result.loss_history[-1] if result.loss_history else float("nan")
        self.cost_text.set_text(f"final cost {final:.4f}")
        self.ax_cost.title.set_text(f"cost (log scale): {n} examples, reg {reg_label(reg)}")
        if result.diverged:
            self.acc_text.set_text("diverged")
            self.show_message(result.message, kind="diverged")
        elif self.reached_at is not None:
            self.acc_text.set_text(f"1.00 reached at epoch {self.reached_at}")
            self.show_message(f"{n} examples, reg {reg_label(reg)}: train accuracy 1.00 reached at epoch "
                              f"{self.reached_at}; final cost {final:.4f}", kind="good")
        else:
            self.acc_text.set_text(f"1.00 not reached ({acc[np.isfinite(acc)][-1]:.2f})")
            self.show_message(f"{n} examples, reg {reg_label(reg)}: train accuracy 1.00 not reached in "
                              f"{self.num_epochs} epochs (final {result.train_acc_history[-1]:.2f}); "
                              f"final cost {final:.4f}")
