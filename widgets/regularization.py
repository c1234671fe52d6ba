"""Regularization explorer: L2, L1, L1 + L2 (elastic) and max-norm, retrained on every move.

Shows the first-layer weight histogram (and its sparsity), the incoming weight norm of every hidden
unit (with the max-norm bound c drawn in) and the train/val accuracy gap.
"""
import numpy as np
from matplotlib.ticker import FormatStrFormatter

from core.demos.gaps import REGULARIZER_UNDERFIT_MARGIN, against_reference
from core.demos.weights import HIST_EDGES, max_norm_check, regularized_learning_rate, train_regularized, weight_summary

from .base import COLORS, Explorer, dropdown, log_slider, nice_ceiling, one_blas_thread

KINDS = [("no regularization", "none"), ("L2: 1/2 λ w²", "l2"), ("L1: λ |w|", "l1"),
         ("L1 + L2 (elastic)", "elastic"), ("max-norm: ‖w‖ ≤ c", "max_norm")]  # core.demos.weights.REGULARIZERS


class RegularizationExplorer(Explorer):
    """The slide's "Regularization knobs", one dropdown and one slider away from each other.

    data: a dict from core.data, preprocessed. num_train: training examples (few, so the net
    overfits). seed: for weights and batches. learning_rate: None takes 0.104 x this net's cliff on
    data (core.demos.weights.regularized_learning_rate: 0.2 on standardized digits). The
    unregularized run is drawn in grey for comparison. It opens on "no regularization".
    """

    title = "Regularization knobs: L2, L1, L1 + L2, max-norm"
    cases = {
        "no regularization: big gap": {"kind": "none"},
        "strong L2 (λ = 0.1): smaller gap": {"kind": "l2", "strength": 0.1},
        "L1 (λ = 0.01): sparse weights": {"kind": "l1", "strength": 0.01},
        "max-norm c = 0.7: every unit's norm ≤ c": {"kind": "max_norm", "max_norm": 0.7},
    }
    start_case = "no regularization: big gap"
    figsize = (13, 4.2)
    ticks_below = True

    def __init__(self, data, num_train=200, hidden_size=100, seed=0, learning_rate=None):
        self.data, self.num_train, self.hidden_size, self.seed = data, num_train, hidden_size, seed
        self.learning_rate = regularized_learning_rate(data, learning_rate, num_train, hidden_size)
        base_net, self.base_result = self.train("none")
        self.base = weight_summary(base_net.params["W1"])
        super().__init__()

    def make_controls(self):
        return {"kind": dropdown("regularizer", KINDS, "l2"),
                "strength": log_slider("strength λ", 1e-3, -5, -1),
                "max_norm": log_slider("max-norm c", 1.0, -1, 1, readout_format=".2f")}

    def colors(self):
        return [COLORS["train"], COLORS["val"], COLORS["ref"], COLORS["bad"]]

    def train(self, kind, strength=0.0, max_norm=1.0):
        """core.demos.weights.train_regularized on this explorer's data and net: (net, TrainResult)."""
        with one_blas_thread():
            return train_regularized(self.data, kind, strength, max_norm, self.num_train, self.hidden_size,
                                     learning_rate=self.learning_rate, seed=self.seed)

    def build_figure(self):
        self.ax_hist, self.ax_norm, self.ax_acc = self.fig.subplots(1, 3)
        self.hist_bars = self.ax_hist.stairs(np.zeros(HIST_EDGES.size - 1), HIST_EDGES, fill=True,
                                             color=COLORS["train"], alpha=0.8, label="regularized")
        self.ax_hist.stairs(self.base["hist"], HIST_EDGES, color=COLORS["ref"], lw=1.2, label="no regularization")
        self.ax_hist.set(xlabel="weight value (W1)", ylabel="fraction of weights", xlim=(HIST_EDGES[0], HIST_EDGES[-1]))
        self.sparsity_text = self.ax_hist.text(0.02, 0.97, "", transform=self.ax_hist.transAxes, va="top", fontsize=11,
                                               bbox=dict(facecolor="white", edgecolor="none", alpha=0.8))
        unit_edges = np.arange(0.5, self.hidden_size + 1)
        self.norm_bars = self.ax_norm.stairs(np.zeros(self.hidden_size), unit_edges, fill=True,
                                             color=COLORS["train"], alpha=0.8, label="regularized")
        self.ax_norm.stairs(np.sort(self.base["unit_norms"])[::-1], unit_edges,
                            color=COLORS["ref"], lw=1.2, label="no regularization")
        self.bound_line = self.ax_norm.axhline(np.nan, color=COLORS["bad"], lw=2, ls="--")
        self.ax_norm.set(xlabel="hidden unit (sorted by norm)", ylabel="‖incoming weights‖₂",
                         xlim=(0.5, self.hidden_size + 0.5))
        epochs = np.arange(1, len(self.base_result.train_acc_history) + 1)
        self.ax_acc.plot(epochs, self.base_result.train_acc_history, color=COLORS["train"], ls=":", lw=1)
        self.ax_acc.plot(epochs, self.base_result.val_acc_history, color=COLORS["val"], ls=":", lw=1)
        (self.train_line,) = self.ax_acc.plot([], [], color=COLORS["train"], lw=2, label="train")
        (self.val_line,) = self.ax_acc.plot([], [], color=COLORS["val"], lw=2, ls="--", label="val")
        self.gap_span = self.ax_acc.fill_between([0, 1], [0, 0], [0, 0], color=COLORS["bad"], alpha=0.15)
        self.ax_acc.set(xlabel="epoch", ylabel="accuracy", xlim=(0.5, self.base_result.num_epochs + 0.5))
        self.ax_acc.legend(loc="lower right", fontsize=8)
        # fewer tick labels: faster redraws (text is most of the drawing time); fixed-width ones: the layout is
        # computed once, so labels must not grow later
        for ax, label in ((self.ax_hist, "%.2f"), (self.ax_norm, "%.1f"), (self.ax_acc, "%.2f")):
            ax.locator_params(nbins=4)
            ax.yaxis.set_major_formatter(FormatStrFormatter(label))
        self.animate(self.hist_bars, self.sparsity_text, self.norm_bars, self.bound_line, self.train_line,
                     self.val_line, self.gap_span, *(ax.title for ax in (self.ax_hist, self.ax_norm, self.ax_acc)))

    def refresh(self):
        kind = self.kind.value
        self.strength.disabled = kind in ("none", "max_norm")
        self.max_norm.disabled = kind != "max_norm"
        net, result = self.net, self.result = self.train(kind, self.strength.value, self.max_norm.value)
        summary = self.summary = weight_summary(net.params["W1"])
        self.hist_bars.set_data(summary["hist"])
        # nice limits change rarely while the slider moves: the axes stay in the cached picture
        self.set_limits(self.ax_hist, y=(0, nice_ceiling(max(summary["hist"].max(), self.base["hist"].max()) * 1.12)))
        label = {value: name for name, value in KINDS}[kind]
        self.ax_hist.title.set(text=f"W1 weights: {label}")
        self.sparsity_text.set_text(f"sparsity (|w| < 1e-3): {summary['sparsity']:.2f}\n"
                                    f"outline (no reg): {self.base['sparsity']:.2f}")
        norms = np.sort(summary["unit_norms"])[::-1]
        self.norm_bars.set_data(norms)
        top = nice_ceiling(max(norms.max(), self.base["unit_norms"].max()) * 1.15)
        c = self.max_norm.value
        check = max_norm_check(summary["unit_norms"], c)
        self.bound_line.set_ydata([c, c] if kind == "max_norm" else [np.nan, np.nan])
        # "(inactive)": no unit sits on the bound, so it changed nothing
        bound = (f"unit norms: max {check['largest']:.3f} ≤ c = {c:.3g}: {check['within']}"
                 + (" (inactive)" if check["at_bound"] == 0 else ""))
        self.ax_norm.title.set(text=bound if kind == "max_norm" else "incoming weight norm per unit",
                               color=COLORS["bad"] if kind == "max_norm" else "black")
        self.set_limits(self.ax_norm, y=(0, top))
        train, val = result.train_acc_history, result.val_acc_history
        epochs = np.arange(1, len(train) + 1)
        self.train_line.set_data(epochs, train)
        self.val_line.set_data(epochs, val)
        self.gap_span.set_verts([np.c_[np.r_[epochs, epochs[::-1]], np.r_[train, val[::-1]]]])
        shown = np.r_[train, val, self.base_result.val_acc_history[-5:]]  # empty if both diverged in epoch 1
        low = shown.min() if shown.size else 0.8
        self.set_limits(self.ax_acc, y=(max(0.0, min(0.8, np.floor((low - 0.05) * 20) / 20)), 1.01))  # 0.05 steps
        # regularization so strong that the net cannot fit its own training set: core.demos.gaps
        v = self.versus = against_reference(result, self.base_result, REGULARIZER_UNDERFIT_MARGIN)
        self.ax_acc.title.set(text=f"underfitting: train accuracy {v['train']:.2f}" if v["underfits"]
                              else f"train/val gap {v['gap']:.3f} (dotted: {v['reference_gap']:.3f})",
                              color=COLORS["bad"] if v["underfits"] else "black")
        self.show_status(result, lambda: f"{label}: train {v['train']:.3f}, val {v['val']:.3f}, gap {v['gap']:.3f} (no "
                         f"regularization: gap {v['reference_gap']:.3f}); sparsity {summary['sparsity']:.2f}; largest "
                         f"unit norm {check['largest']:.2f}"
                         + ("; too strong: the net underfits" if v["underfits"] else ""))
