"""Model ensembles: accuracy of each member and of their averaged softmax probabilities.

Members are trained once per ensemble kind by core.demos.ensemble.train_members and cached; the sliders
only select among them (core.demos.ensemble.accuracy_by_size does the averaging).
"""
import numpy as np

from core.demos import ensemble

from .base import COLORS, Explorer, dropdown, slider
from .updates import draw_from_thread, wait_for_first_frame

KIND_LABELS = [("different seeds", "seeds"), ("different hyperparameters", "hyperparameters"),
               ("checkpoints of one run", "checkpoints")]


def _rounded_limits(low, high, step=0.05):
    """Axis limits on a 0.05 grid within [0, 1]: most slider moves and kinds share the cached axes."""
    return max(0.0, np.floor(low / step) * step), min(1.0, np.ceil(high / step) * step) + 0.005


class EnsembleExplorer(Explorer):
    """Accuracy vs number of models averaged: members as dots, the ensemble of the first k as a line.

    data: preprocessed digits (X_train, y_train, X_val, y_val). kind: the first kind shown ("seeds",
    "hyperparameters" or "checkpoints"). max_models members per kind, trained
    with train_kwargs (passed to core.demos.ensemble.train_members). A kind is trained the first time it is
    chosen (in the background with a progress bar when background=True) and cached afterwards.
    """

    title = "Model ensembles: average the predictions of several models"
    presets = {
        "1 model: the ensemble is the member": {"num_models": 1},
        "10 models with different seeds": {"kind": "seeds", "num_models": 10},
        "10 checkpoints of one run": {"kind": "checkpoints", "num_models": 10},
        "10 models from a random search": {"kind": "hyperparameters", "num_models": 10},
    }
    figsize = (11, 4.2)
    TRAIN_DEFAULTS = {"num_epochs": 10, "batch_size": 50, "learning_rate": 0.1, "reg": 1e-2, "hidden_size": 50,
                      "update": "momentum"}

    def __init__(self, data, max_models=10, kind="seeds", seed=0, background=True, **train_kwargs):
        super().__init__()
        self.data, self.max_models, self.seed, self.background = data, max_models, seed, background
        self.train_kwargs = {**self.TRAIN_DEFAULTS, **train_kwargs}
        self.kind = dropdown("ensemble of", KIND_LABELS, kind)
        self.num_models = slider("number of models", max_models, 1, max_models, 1, integer=True)
        self.watch(self.kind, self.num_models)
        self.cache = {}      # kind -> dict of core.demos.ensemble.train_members (complete runs only)
        self.partial = None  # (kind, members so far) while a kind is training
        self.build_figure()
        self.update()

    def build_figure(self):
        self.ax_curve, self.ax_bars = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        (self.member_dots,) = self.ax_curve.plot([], [], "o", color=COLORS["ref"], alpha=0.7, ms=7,
                                                 label="member k alone")
        (self.ensemble_line,) = self.ax_curve.plot([], [], "-o", color=COLORS["good"], lw=2.2, ms=5,
                                                   label="ensemble of members 1..k")
        (self.mean_line,) = self.ax_curve.plot([], [], "--", color=COLORS["val"], lw=1.5,
                                               label="mean of members 1..k")
        self.chosen = self.ax_curve.axvline(np.nan, color=COLORS["train"], lw=1, ls=":")
        self.ax_curve.set(xlabel="number of models k", ylabel="validation accuracy",
                          title="accuracy vs number of models averaged")
        self.ax_curve.legend(loc="lower right", fontsize=9)
        self.ax_curve.grid(True, alpha=0.3)
        self.bars = self.ax_bars.bar([0, 1, 2], [0, 0, 0], color=[COLORS["val"], COLORS["ref"], COLORS["good"]])
        self.ax_bars.set_xticks([0, 1, 2], ["mean\nmember", "best\nmember", "ensemble"])
        self.ax_bars.set(ylabel="validation accuracy", title="the k chosen models")
        self.bar_labels = [self.ax_bars.text(i, 0, "", ha="center", va="bottom", fontsize=11) for i in range(3)]
        # the number-of-models slider moves only these; axes, ticks and legend are cached pixels (png())
        self.animate(self.member_dots, self.ensemble_line, self.mean_line, self.chosen, *self.bars, *self.bar_labels)

    def background_key(self):
        return None, self.ax_curve.get_ylim(), self.ax_bars.get_ylim()

    # ---- data ---------------------------------------------------------------------------------
    def members(self):
        """The cached (or partly trained) members of the chosen kind, or None."""
        kind = self.kind.value
        if kind in self.cache:
            return self.cache[kind]
        if self.partial is not None and self.partial[0] == kind:
            return self.partial[1]
        return None

    def train_kind(self, kind, progress=None, stop=None, on_member=None):
        """Train (once) the members of `kind`; returns core.demos.ensemble.train_members' dict."""
        return ensemble.train_members(self.data, kind, self.max_models, rng=self.seed, progress=progress,
                                      stop=stop, on_member=on_member, **self.train_kwargs)

    def numbers(self, members, k):
        """core.demos.ensemble.summary of the members' validation probabilities for the first k."""
        return ensemble.summary(members["val_probs"], self.data["y_val"], k)

    # ---- view ---------------------------------------------------------------------------------
    def refresh(self):
        kind = self.kind.value
        if self.members() is None:
            if not self.background:
                self.cache[kind] = self.train_kind(kind)
            else:
                self._start_training(kind)
        self._draw()

    def _start_training(self, kind):
        self.partial = (kind, None)
        self.show_message(f"training {self.max_models} models ({kind}) once; they are cached afterwards ...")

        def work(progress, stop):
            if not wait_for_first_frame(self, stop):
                return

            def on_member(so_far):
                def draw():
                    self.partial = (kind, so_far)
                    self._draw()
                draw_from_thread(self, stop, draw)

            members = self.train_kind(kind, progress=progress, stop=stop, on_member=on_member)
            if stop.is_set():
                return  # a newer choice owns self.partial now

            def finish():
                self.cache[kind] = members
                self.partial = None
                self._draw()
            draw_from_thread(self, stop, finish)

        self.run_in_background(work, total=1.0)

    def _draw(self):
        members = self.members()
        K = self.max_models
        self.ax_curve.set_xlim(0.5, K + 0.5)
        if members is None or members["val_probs"] is None:
            for line in (self.member_dots, self.ensemble_line, self.mean_line):
                line.set_data([], [])
            return
        numbers = self.numbers(members, self.num_models.value)
        accs, curve, chosen = numbers["member_accuracies"], numbers["accuracy_by_size"], numbers["chosen"]
        self.summary = chosen
        ks = np.arange(1, accs.size + 1)
        self.member_dots.set_data(ks, accs)
        self.ensemble_line.set_data(ks, curve)
        self.mean_line.set_data(ks, numbers["mean_by_size"])
        self.chosen.set_xdata([chosen["k"]] * 2)
        low, high = min(accs.min(), curve.min()), max(accs.max(), curve.max())
        self.ax_curve.set_ylim(*_rounded_limits(low - 0.01, high + 0.005))
        values = [chosen["mean_member"], chosen["best_member"], chosen["ensemble"]]
        for bar, label, value in zip(self.bars, self.bar_labels, values):
            bar.set_height(value)
            label.set_position((bar.get_x() + bar.get_width() / 2, value))
            label.set_text(f"{value:.3f}")
        self.ax_bars.set_ylim(*_rounded_limits(low - 0.03, high + 0.01))
        done = accs.size
        pending = "" if self.kind.value in self.cache else f" ({done} of {K} trained so far)"
        gain = chosen["ensemble"] - chosen["mean_member"]
        kind = "good" if gain > 0 else "info"
        self.show_message(f"ensemble of {chosen['k']}: val acc {chosen['ensemble']:.3f} vs mean member "
                          f"{chosen['mean_member']:.3f} ({gain:+.3f}), best member {chosen['best_member']:.3f}"
                          + pending, kind=kind)
