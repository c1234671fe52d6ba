"""Dropout explorers: the test-time scale (vanilla vs inverted), dropout as an ensemble of masks,
and dropout against overfitting (with the DropConnect and Gaussian variants; in dropout_overfit.py,
importable from here too).

p_keep is the probability of keeping a unit: the slide's `p`. The two explorers that train take their
learning rate from their net's cliff on the data given (core.demos.masks.dropout_learning_rate).
"""
import numpy as np
from matplotlib.ticker import FormatStrFormatter

from core.demos import masks

from .axes import log_axis
from .base import COLORS, LRU, Explorer, dropdown, log_slider, one_blas_thread, slider
from .dropout_overfit import VARIANT_LABELS, VARIANTS, DropoutOverfitExplorer

__all__ = ["VARIANTS", "DropoutEnsembleExplorer", "DropoutOverfitExplorer", "DropoutScalingExplorer"]


class DropoutScalingExplorer(Explorer):
    """The slide's "output at test time = expected output at training time", sampled.

    Three panels share the same random masks: vanilla dropout (test scaled by p), inverted dropout
    (train scaled by 1/p, test unchanged) and vanilla dropout that forgot the test-time scale.
    """

    title = "Dropout at test time: scale by p (vanilla) or by 1/p at train time (inverted)"
    cases = {
        "the slide's p = 0.5": {"p_keep": 0.5, "num_samples": 1000},
        "heavy dropout p = 0.2: forgetting the scale is 5x off": {"p_keep": 0.2, "num_samples": 10000},
        "few masks (10): the mean is noisy": {"p_keep": 0.5, "num_samples": 10},
        "p = 1: no dropout, all three agree": {"p_keep": 1.0},
    }
    start_case = "the slide's p = 0.5"
    figsize = (13, 4.2)
    PANELS = (("vanilla", "vanilla: test × p"),          # titles stay short: text is most of the drawing time
              ("inverted", "inverted: train / p"),
              ("forgot", "vanilla, scale forgotten"))

    def __init__(self, x=1.0, seed=0):
        self.x0, self.seed = x, seed
        super().__init__()

    def make_controls(self):
        return {"p_keep": slider("p_keep (slide's p)", 0.5, 0.05, 1.0, 0.05),
                "num_samples": log_slider("Monte Carlo masks", 1000, 1, 5, step=0.25, readout_format=".0f"),
                "x": slider("unit output x", self.x0, 0.1, 3.0, 0.1)}

    def colors(self):
        return [COLORS["ref"], COLORS["train"], COLORS["val"], COLORS["good"], COLORS["bad"]]

    def build_figure(self):
        self.axes = self.fig.subplots(1, 3)
        self.artists = {}
        for ax, (kind, _label) in zip(self.axes, self.PANELS):
            (dots,) = ax.plot([], [], ".", color=COLORS["ref"], ms=3, alpha=0.5)
            (mean,) = ax.plot([], [], color=COLORS["train"], lw=2.5, label="running mean (train)")
            (expected,) = ax.plot([], [], color=COLORS["train"], lw=1, ls=":")
            (test,) = ax.plot([], [], color=COLORS["val"], lw=2.5, ls="--", label="test-time output")
            band = ax.fill_between([0, 1], [0, 0], [0, 0], color=COLORS["bad"], alpha=0.15)
            ax.set(xlabel="number of masks sampled" if kind == "inverted" else None,
                   ylabel="output of the unit" if kind == "vanilla" else None)
            log_axis(ax.xaxis, labels="thousands")
            ax.title.set_fontsize(10)  # once, here: the presentation theme enlarges it after this
            ax.locator_params(axis="y", nbins=4)
            ax.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))  # fixed width: the layout is computed once
            self.artists[kind] = dict(dots=dots, mean=mean, expected=expected, test=test, band=band)
        self.axes[0].legend(loc="upper center", fontsize=8, ncol=2)
        # nothing animated: every control moves the axes' limits (p and x the y range, the masks the x range),
        # so every frame is a full draw anyway, and a plain one is the cheapest

    def refresh(self):
        p, x, n = self.p_keep.value, self.x.value, int(round(self.num_samples.value))
        self.outputs = outputs = masks.monte_carlo_outputs(x, p, n, self.seed)
        idx = np.unique(np.geomspace(1, n, 300).astype(int)) - 1  # at most 300 points drawn per line
        expected, ratio, ends = outputs["expected"], masks.forgot_scale_ratio(outputs), [1, max(n, 2)]
        one_over_p = outputs["forgot_ratio"]
        self.means = {}
        for ax, (kind, label) in zip(self.axes, self.PANELS):
            a, samples, running = self.artists[kind], outputs["train"][kind], outputs["running"][kind]
            mean, test, e = float(running[-1]), outputs["test"][kind], expected[kind]
            self.means[kind] = mean
            a["dots"].set_data(idx + 1, samples[idx])
            a["mean"].set_data(idx + 1, running[idx])
            a["expected"].set_data(ends, [e] * 2)
            a["test"].set_data(ends, [test] * 2)
            a["band"].set_verts([[(1, e), (ends[1], e), (ends[1], test), (1, test)]] if kind == "forgot" else [])
            top = max(samples.max() if samples.size else x, x)
            self.set_limits(ax, x=(0.8, ends[1] * 1.25), y=(-0.06 * top, top * 1.35))
            ok = outputs["rule_holds"][kind]  # the rule itself: test output = expected training output
            if kind == "forgot":
                sub = (f"test {test:.2f} = {ratio:.2f} × mean (1/p {one_over_p:.2f})" if ratio is not None
                       else f"no unit kept in {n} masks (1/p {one_over_p:.2f})")
            else:
                sub = f"mean {mean:.3f}, {'p·x' if kind == 'vanilla' else 'x'} {e:.2f}, test {test:.2f}"
            ax.title.set(text=f"{label}: {'test = expected' if ok else 'test ≠ expected'}\n{sub}",
                         color=COLORS["good"] if ok else COLORS["bad"])
        forgot = (f"forgetting the scale makes the test output {ratio:.2f}x the train-time mean" if ratio is not None
                  else f"no unit was kept in {n} masks: too few to estimate the train-time mean, draw more masks")
        self.show_message(f"p_keep {p:.2f}, {n} masks: vanilla train mean {self.means['vanilla']:.3f} (p·x = "
                          f"{expected['vanilla']:.3f}), inverted {self.means['inverted']:.3f} (x = {x:.2f}); {forgot} "
                          f"(1/p = {one_over_p:.2f})")


class DropoutEnsembleExplorer(Explorer):
    """"(this has the interpretation as an ensemble of all subnetworks)": average K random masks.

    A net trained with dropout; each random mask picks a thinned subnetwork. The accuracy of
    averaging the predictions of K of them is drawn against K, next to the single scaled pass.
    learning_rate: None takes 0.039 x its net's cliff on data (0.1 on standardized digits).
    """

    title = "Dropout as an ensemble: averaging K random masks vs the single scaled pass"
    cases = {
        "one mask: a single thinned network": {"num_masks": 1, "p_keep": 0.5, "kind": "inverted"},
        "10 masks": {"num_masks": 10, "p_keep": 0.5, "kind": "inverted"},
        "200 masks: the ensemble ~ the scaled pass": {"num_masks": 200, "p_keep": 0.5, "kind": "inverted"},
        "heavy dropout (p = 0.2), vanilla": {"p_keep": 0.2, "kind": "vanilla", "num_masks": 200},
    }
    start_case = "one mask: a single thinned network"
    figsize = (12, 4.4)
    ticks_below = True
    max_masks = 200

    def __init__(self, data, num_train=1000, seed=0, learning_rate=None):
        self.data, self.num_train, self.seed = data, num_train, seed
        self.learning_rate = masks.dropout_learning_rate(data, learning_rate, 0.039, num_train=num_train, num_epochs=20)
        self.cache = LRU(4, "(p_keep, variant) -> the trained net, its TrainResult and mask_ensemble's arrays "
                            "(about 4.6 MiB each on digits)")
        super().__init__()

    def make_controls(self):
        return {"num_masks": slider("K masks averaged", 20, 1, self.max_masks, 1, integer=True),
                "p_keep": slider("p_keep", 0.5, 0.1, 1.0, 0.1),
                "kind": dropdown("dropout", VARIANTS, "inverted")}

    def colors(self):
        return [COLORS["train"], COLORS["ref"], COLORS["val"]]

    def trained(self):
        """The net for the current p_keep and kind, its (K_max, N, C) mask probabilities and more (cached)."""
        key = (round(self.p_keep.value, 3), self.kind.value)

        def train():
            with one_blas_thread():
                net, result = masks.train_with_dropout(self.data, key[0], key[1], self.num_train,
                                                       learning_rate=self.learning_rate, seed=self.seed)
                numbers = masks.mask_ensemble(net, self.data["X_val"], self.data["y_val"], self.max_masks,
                                              rng=self.seed)
            return {"net": net, "result": result, **numbers}
        return self.cache.get(key, train)

    def build_figure(self):
        self.ax_acc, self.ax_prob = self.fig.subplots(1, 2)
        (self.acc_line,) = self.ax_acc.plot([], [], color=COLORS["train"], lw=2, label="average of K masks")
        (self.acc_dot,) = self.ax_acc.plot([], [], "o", color=COLORS["train"], ms=9)
        (self.single_line,) = self.ax_acc.plot([], [], ":", color=COLORS["ref"], lw=2, label="one mask alone (mean)")
        (self.scaled_line,) = self.ax_acc.plot([], [], color=COLORS["val"], ls="--", lw=2, label="single scaled pass")
        self.ax_acc.set(xlim=(0.8, self.max_masks * 1.2), xlabel="K: masks averaged", ylabel="validation accuracy")
        log_axis(self.ax_acc.xaxis, labels="thousands")
        self.ax_acc.locator_params(axis="y", nbins=5)
        self.ax_acc.yaxis.set_major_formatter(FormatStrFormatter("%.2f"))  # fixed width: the layout is computed once
        self.ax_prob.locator_params(nbins=5)
        self.ax_acc.legend(loc="lower right", fontsize=9)
        self.ax_prob.plot([0, 1], [0, 1], color=COLORS["ref"], lw=1)
        self.scatter = self.ax_prob.scatter(np.zeros(1), np.zeros(1), s=10, color=COLORS["train"], alpha=0.6)
        self.ax_prob.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), aspect="equal",
                         xlabel="P(true class), single scaled pass", ylabel="P(true class), average of K masks")
        self.animate(self.acc_line, self.acc_dot, self.single_line, self.scaled_line, self.scatter,
                     self.ax_acc.title, self.ax_prob.title)

    def refresh(self):
        t, k = self.trained(), self.num_masks.value
        ks, acc, ends = np.arange(1, self.max_masks + 1), t["accuracy_by_k"], [0.8, self.max_masks * 1.2]
        averaged = self.averaged = masks.k_masks_averaged(t, k, self.data["y_val"])
        self.acc_line.set_data(ks[:k], acc[:k])
        self.acc_dot.set_data([k], [averaged["accuracy"]])
        self.single_line.set_data(ends, [t["single_mean"]] * 2)
        self.scaled_line.set_data(ends, [t["scaled_accuracy"]] * 2)
        low = min(t["single_mean"], acc.min(), t["scaled_accuracy"])
        self.set_limits(self.ax_acc, y=(max(0.0, low - 0.03), min(1.0, max(acc.max(), t["scaled_accuracy"]) + 0.02)))
        self.ax_acc.title.set(text=f"K = {k}: accuracy {averaged['accuracy']:.3f}; scaled pass "
                                   f"{t['scaled_accuracy']:.3f}")
        self.scatter.set_offsets(np.c_[averaged["p_true_scaled"], averaged["p_true"]])
        self.agreement = averaged["agreement"]
        self.ax_prob.title.set(text=f"same predicted class on {self.agreement:.1%} of validation images")
        self.show_message(f"{VARIANT_LABELS[self.kind.value]}, p_keep {self.p_keep.value:.1f}: "
                          f"one mask {t['single_mean']:.3f} on average, {k} masks averaged {averaged['accuracy']:.3f}, "
                          f"scaled pass {t['scaled_accuracy']:.3f}")

