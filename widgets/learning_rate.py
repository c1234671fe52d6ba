"""Learning-rate explorer: retrain on every slider move and redraw cost and train/val accuracy.

Its lecture cases ("too low", "too high", "slightly too high", "about right") are measured on the data
it is given (core.demos.lecture_cases), so they show the slides' phenomena on any data set.
"""
import math

import ipywidgets as W
import numpy as np

import core
from core.demos import lecture_cases as lc

from .base import COLORS, Explorer, log_slider, one_blas_thread, show_history, slider, verdict_text


def rate_label(rate):
    """A learning rate as the menu writes it: 3e-3, 1e6, 2.7, 0.5."""
    if 1e-2 <= rate < 1e3:
        return f"{rate:g}"
    mantissa, exponent = f"{rate:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def babysitting_cases(cases):
    """{menu label: control values} for a core.demos.lecture_cases.LectureCases, and {case name: label}
    (names: too_low, huge, huge_rule, slightly_too_high, slightly_too_high_decay, about_right)."""
    rest = {"num_epochs": 10, "reg": cases.settings["reg"], "learning_rate_decay": 1.0, "explosion_rule": True}
    huge, high = rate_label(cases.huge), rate_label(cases.slightly_too_high)
    named = {
        "too_low": (f"too low ({rate_label(cases.too_low)}; the slide's 1e-6): loss barely changing",
                    cases.too_low, {}) if cases.too_low is not None else None,
        "huge": (f"too high ({huge}): cost NaN", cases.huge, {"explosion_rule": False}),
        "huge_rule": (f"too high ({huge}) with the 3x rule: diverged label", cases.huge, {}),
        "slightly_too_high": (f"slightly too high ({high}): cost falls, then explodes", cases.slightly_too_high, {}),
        "slightly_too_high_decay": (f"slightly too high ({high}) + decay 0.9 per epoch", cases.slightly_too_high,
                                    {"learning_rate_decay": 0.9}),
        "about_right": (f"about right ({rate_label(cases.about_right)})", cases.about_right, {}),
    }
    named = {name: case for name, case in named.items() if case is not None}
    return ({label: {"learning_rate": rate, **rest, **extra} for label, rate, extra in named.values()},
            {name: case[0] for name, case in named.items()})


class LearningRateExplorer(Explorer):
    """The slides' "Lets try to train now..." runs, one slider away from each other.

    data: a dict from core.data (X_train, y_train, X_val, y_val), preprocessed.
    num_train: training examples used (the retrain-on-every-move budget). seed: for weights and batches.
    lecture_cases: a core.demos.lecture_cases.LectureCases for this net and data (None: measured here,
    about 1.5 s of CPU once per data set, then cached). self.labels names its menu labels (too_low,
    huge, huge_rule, slightly_too_high, slightly_too_high_decay, about_right). It opens on "too low".
    """

    title = "Babysitting the learning rate"
    ticks_below = True

    def __init__(self, data, num_train=1000, hidden_size=50, init_scale=1e-2, seed=0, lecture_cases=None):
        self.data, self.num_train, self.seed = data, num_train, seed
        self.hidden_size, self.init_scale = hidden_size, init_scale
        settings = {"hidden_sizes": (hidden_size,), "init_scale": init_scale, "num_train": num_train}
        self.lecture = lc.lecture_cases(data, settings, seed=seed) if lecture_cases is None else lecture_cases
        self.cases, self.labels = babysitting_cases(self.lecture)
        self.start_case = self.labels.get("too_low", self.labels["about_right"])
        super().__init__()

    def make_controls(self):
        rates = [values["learning_rate"] for values in self.cases.values()]
        low, high = min(-7, math.floor(math.log10(min(rates)))), max(7, math.ceil(math.log10(max(rates))))
        return {"learning_rate": log_slider("learning rate", self.lecture.about_right, low, high),
                "num_epochs": slider("epochs", 10, 1, 30, 1, integer=True),
                "reg": log_slider("reg", 1e-6, -6, 1),
                "learning_rate_decay": slider("lr decay / epoch", 1.0, 0.8, 1.0, 0.01),
                "explosion_rule": W.Checkbox(value=True, description="stop when cost > 3 x original cost",
                                             style={"description_width": "initial"})}

    def colors(self):
        return [COLORS["train"], COLORS["val"], COLORS["bad"]]  # cost/train, val, the 3x line and verdicts

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
        (self.val_line,) = self.ax_acc.plot([], [], "s--", color=COLORS["val"], label="val")
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02), title="accuracy")
        self.ax_acc.legend(loc="lower right")
        self.verdict = verdict_text(self.ax_cost, 0.5, 0.78, ha="center", va="center", fontsize=13,
                                    bbox=dict(facecolor="white", alpha=0.85, edgecolor="none"))
        self.acc_note = self.ax_acc.text(0.5, 0.5, "", transform=self.ax_acc.transAxes, ha="center",
                                         color=COLORS["bad"], fontsize=12)
        self.animate(self.cost_line, self.explode_line, self.explode_marker, self.train_line, self.val_line,
                     self.verdict, self.acc_note, self.ax_cost.title)

    def make_net(self):
        """The D-H-C net a run trains, freshly initialized (exercises.explorers builds the student's instead)."""
        return core.FullyConnectedNet.for_data(self.data, [self.hidden_size], init_scale=self.init_scale,
                                               rng=self.seed)

    def run(self):
        """Train make_net() with the current controls and return the core.trainer.TrainResult (one BLAS
        thread, as every explorer trains: a net this small is no faster with more, and slower on a busy machine)."""
        d = self.data
        with one_blas_thread():
            return core.train(self.make_net(), d["X_train"][: self.num_train], d["y_train"][: self.num_train],
                              d["X_val"], d["y_val"], num_epochs=self.num_epochs.value,
                              learning_rate=self.learning_rate.value, reg=self.reg.value,
                              learning_rate_decay=self.learning_rate_decay.value,
                              explode_factor=3.0 if self.explosion_rule.value else None,
                              track_ratios=False, rng=self.seed)

    def refresh(self):
        self.result = result = self.run()
        shown = show_history(self.cost_line, result.loss_history)
        finite = np.isfinite(shown)
        original = result.original_cost
        self.explode_line.set_ydata([3 * original] * 2)
        top = np.nanmax(shown) if finite.any() else 1.0
        # show up to 5 x the original cost: an exploding cost leaves through the top, the start stays readable
        ceiling = 5 * original if math.isfinite(original) else 10.0
        y_top = min(max(top, 3 * original if math.isfinite(original) else 0) * 1.08, ceiling)
        self.set_limits(self.ax_cost, x=(0, result.num_epochs * result.iterations_per_epoch + 1), y=(0, y_top))
        self.explode_marker.set_data(*([shown.size], [min(shown[-1], y_top * 0.96)]) if result.diverged and finite[-1]
                                     else ([], []))
        lr, decay = self.learning_rate.value, self.learning_rate_decay.value
        last_lr = core.schedules.per_epoch_decay(lr, result.num_epochs - 1, decay)
        decayed = f"lr {lr:.2g} x {decay:g} per epoch -> {last_lr:.2g} in epoch {result.num_epochs}"
        self.ax_cost.title.set(text=f"cost (lr {lr:.1e} constant)" if decay == 1 else f"cost ({decayed})")
        train, val = result.train_acc_history, result.val_acc_history
        show_history(self.train_line, train)
        show_history(self.val_line, val)
        self.set_limits(self.ax_acc, x=(0.5, result.num_epochs + 0.5))
        self.acc_note.set_text("" if train else "no epoch finished: diverged in epoch 1")
        nan_at = core.monitor.first_nonfinite(result.loss_history)
        if result.diverged:  # the verdict on the figure (empty: none), and the status
            verdict, status = result.message.replace(": ", ":\n", 1), result.message
        elif nan_at is not None:
            verdict = f"cost NaN/inf from iteration {nan_at}"
            status = (f"lr {lr:.1e}: {verdict} (explosion rule off, so training went on); train {train[-1]:.2f}, "
                      f"val {val[-1]:.2f}")
        else:
            verdict, final = "", result.final_cost()  # the mean over the last epoch
            status = (f"lr {lr:.1e}: cost {original:.3f} -> {final:.3f} (mean of the last epoch, change "
                      f"{final - original:+.3f}); train accuracy {train[0]:.2f} -> {train[-1]:.2f}, val {val[-1]:.2f}")
        self.verdict.set_text(verdict)
        self.show_message(status, kind="diverged" if verdict else "info")
