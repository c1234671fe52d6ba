"""Dropout against overfitting a small training set (notebook 10), with the DropConnect and Gaussian variants."""
import numpy as np
from matplotlib.ticker import FormatStrFormatter

from core.demos.gaps import DROPOUT_UNDERFIT_MARGIN, against_reference
from core.demos.masks import dropout_learning_rate, train_with_dropout

from .base import COLORS, LRU, Explorer, dropdown, one_blas_thread, show_history, slider

VARIANTS = [("inverted dropout", "inverted"), ("vanilla dropout (scale at test)", "vanilla"),
            ("Gaussian dropout", "gaussian"), ("DropConnect", "dropconnect")]  # also widgets.dropout's
VARIANT_LABELS = {value: label for label, value in VARIANTS}


class DropoutOverfitExplorer(Explorer):
    """Dropout against overfitting a small training set: the same net with and without dropout.

    The run without dropout depends only on the training-set size and is cached. learning_rate: None
    takes 0.052 x its net's cliff on 200 examples of data (0.1 on standardized digits).
    """

    title = "Dropout against overfitting a small training set"
    cases = {
        "200 examples, p_keep 0.5 (inverted)": {"num_train": 200, "p_keep": 0.5, "kind": "inverted"},
        "50 examples: a big gap either way": {"num_train": 50, "p_keep": 0.5},
        "DropConnect p_keep 0.5": {"kind": "dropconnect", "p_keep": 0.5, "num_train": 200},
        "Gaussian dropout p_keep 0.5": {"kind": "gaussian", "p_keep": 0.5, "num_train": 200},
        "p_keep 0.1: too much dropout": {"p_keep": 0.1, "kind": "inverted", "num_train": 200},
    }
    start_case = "200 examples, p_keep 0.5 (inverted)"
    figsize = (12, 4.4)
    ticks_below = True
    num_epochs = 40

    def __init__(self, data, seed=0, learning_rate=None):
        self.data, self.seed = data, seed
        self.learning_rate = dropout_learning_rate(data, learning_rate, 0.052, num_train=200,
                                                   num_epochs=self.num_epochs, batch_size=50)
        self.baselines = LRU(8, "training-set size -> the TrainResult of the run without dropout")
        super().__init__()

    def make_controls(self):
        return {"p_keep": slider("p_keep", 0.5, 0.05, 1.0, 0.05),
                "num_train": slider("training examples", 200, 50, 1000, 50, integer=True),
                "kind": dropdown("variant", VARIANTS, "inverted")}

    def colors(self):
        return [COLORS["train"], COLORS["val"], COLORS["bad"]]

    def run(self, p_keep):
        """Train with p_keep (None: no dropout) on the current number of examples: (net, TrainResult)."""
        with one_blas_thread():
            return train_with_dropout(self.data, p_keep, self.kind.value, self.num_train.value,
                                      num_epochs=self.num_epochs, batch_size=50, learning_rate=self.learning_rate,
                                      seed=self.seed)

    def build_figure(self):
        self.ax_curve, self.ax_bar = self.fig.subplots(1, 2, width_ratios=[1.6, 1])
        epochs = np.arange(1, self.num_epochs + 1)
        self.lines = {}
        for name, ls, label in (("without", ":", "no dropout"), ("with", "-", "dropout")):
            for split, marker in (("train", None), ("val", "s")):
                (self.lines[name, split],) = self.ax_curve.plot(
                    epochs, np.full(epochs.size, np.nan), ls=ls, marker=marker, markevery=5, ms=4,
                    lw=2 if name == "with" else 1.5, color=COLORS[split], label=f"{split}, {label}")
        self.ax_curve.set(xlabel="epoch", ylabel="accuracy", xlim=(0.5, self.num_epochs + 0.5))
        self.ax_curve.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))  # fixed width: the layout is computed once
        self.ax_curve.legend(loc="lower right", fontsize=9, ncol=2)
        self.bars = self.ax_bar.bar([0, 1, 3, 4], [0, 0, 0, 0], color=[COLORS["train"], COLORS["val"]] * 2,
                                    alpha=0.85, width=0.9)
        self.bar_text = [self.ax_bar.text(x, 0, "", ha="center", va="bottom", fontsize=10) for x in (0, 1, 3, 4)]
        self.gap_text = [self.ax_bar.text(x, 0, "", ha="center", va="top", fontsize=11, color=COLORS["bad"],
                                          weight="bold") for x in (0.5, 3.5)]
        self.ax_bar.set_xticks([0, 1, 3, 4], ["train", "val"] * 2)  # the bars' colours, in words
        self.ax_bar.set(xlabel="without dropout (left), with dropout (right)", ylabel="final accuracy",
                        xlim=(-0.7, 4.7))
        self.ax_bar.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))
        self.animate(*self.lines.values(), *self.bars, *self.bar_text, *self.gap_text, self.ax_curve.title,
                     self.ax_bar.title)

    def refresh(self):
        n = self.num_train.value
        base = self.baselines.get(n, lambda: self.run(None)[1])
        net, result = self.run(self.p_keep.value)
        self.result, self.base_result = result, base
        # so much dropout that the net cannot fit its own training set: core.demos.gaps
        v = self.versus = against_reference(result, base, DROPOUT_UNDERFIT_MARGIN)
        finals = [v["reference_train"], v["reference_val"], v["train"], v["val"]]  # the bars, left to right
        for name, r in (("without", base), ("with", result)):
            for split in ("train", "val"):
                show_history(self.lines[name, split], getattr(r, f"{split}_acc_history"))
        shown = np.concatenate([line.get_ydata() for line in self.lines.values()])
        low = np.nanmin(shown) if np.isfinite(shown).any() else 1.0  # none: both runs diverged in epoch 1
        self.set_limits(self.ax_curve, y=(max(0.0, min(0.8, np.floor((low - 0.05) * 10) / 10)), 1.01))  # 0.1 grid
        variant = VARIANT_LABELS[self.kind.value]
        self.ax_curve.title.set(text=f"{n} training examples; {variant}, p_keep {self.p_keep.value:.2f}")
        low = min((f for f in finals if np.isfinite(f)), default=1.0)
        bottom = max(0.0, min(0.7, np.floor((low - 0.1) * 10) / 10))  # 0.1 grid: fewer new axes
        for bar, text, value in zip(self.bars, self.bar_text, finals):
            bar.set_y(bottom)
            bar.set_height(value - bottom)
            text.set_position((text.get_position()[0], value))
            text.set_text(f"{value:.3f}")
        self.gaps = (v["reference_gap"], v["gap"])
        for text, gap in zip(self.gap_text, self.gaps):
            text.set_position((text.get_position()[0], bottom + 0.98 * (1.08 - bottom)))
            text.set_text(f"gap {gap:.3f}")
        if self.ax_bar.get_ylim()[0] != bottom:
            self.set_limits(self.ax_bar, y=(bottom, 1.08))
            self.ax_bar.set_yticks(np.arange(np.ceil(bottom * 10) / 10, 1.001, 0.1))
        self.ax_bar.title.set(text=f"val: {finals[1]:.3f} without, {finals[3]:.3f} with dropout")
        self.show_status(result, lambda: f"{n} examples: without dropout train {finals[0]:.3f} / val {finals[1]:.3f} "
                         f"(gap {self.gaps[0]:.3f}); with {variant} p_keep {self.p_keep.value:.2f}: train "
                         f"{finals[2]:.3f} / val {finals[3]:.3f} (gap {self.gaps[1]:.3f})"
                         + ("; too much dropout: the net underfits" if v["underfits"] else ""))
