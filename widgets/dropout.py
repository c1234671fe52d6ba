"""Dropout explorers: the test-time scale (vanilla vs inverted), dropout as an ensemble of masks,
and dropout against overfitting (with the DropConnect and Gaussian variants).

p_keep is the probability of keeping a unit: the slide's `p`.
"""
import numpy as np
from matplotlib.ticker import FormatStrFormatter, FuncFormatter, NullLocator

from core.demos.masks import agreement, forgot_scale_ratio, mask_ensemble, monte_carlo_outputs, train_with_dropout

from .base import COLORS, Explorer, dropdown, log_slider, one_blas_thread, slider


def _plain_count(value, _):
    """Tick label 1, 10, 100, 1k, 10k, 100k: plain text draws much faster than mathtext 10^k."""
    return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"


def _fast_log_axis(axis):
    axis.set_minor_locator(NullLocator())  # fewer tick artists: faster redraws
    axis.set_major_formatter(FuncFormatter(_plain_count))


VARIANTS = [("inverted dropout", "inverted"), ("vanilla dropout (scale at test)", "vanilla"),
            ("Gaussian dropout", "gaussian"), ("DropConnect", "dropconnect")]
VARIANT_LABELS = {value: label for label, value in VARIANTS}


class DropoutScalingExplorer(Explorer):
    """The slide's "output at test time = expected output at training time", sampled.

    Three panels share the same random masks: vanilla dropout (test scaled by p), inverted dropout
    (train scaled by 1/p, test unchanged) and vanilla dropout that forgot the test-time scale.
    """

    title = "Dropout at test time: scale by p (vanilla) or by 1/p at train time (inverted)"
    presets = {
        "the slide's p = 0.5": {"p_keep": 0.5, "num_samples": 1000},
        "heavy dropout p = 0.2: forgetting the scale is 5x off": {"p_keep": 0.2, "num_samples": 10000},
        "few masks (10): the mean is noisy": {"p_keep": 0.5, "num_samples": 10},
        "p = 1: no dropout, all three agree": {"p_keep": 1.0},
    }
    figsize = (13, 4.2)
    PANELS = (("vanilla", "vanilla: test × p"),          # titles stay short: text is most of the drawing time
              ("inverted", "inverted: train / p"),
              ("forgot", "vanilla, scale forgotten"))

    def __init__(self, x=1.0, seed=0):
        super().__init__()
        self.seed = seed
        self.p_keep = slider("p_keep (slide's p)", 0.5, 0.05, 1.0, 0.05)
        self.num_samples = log_slider("Monte Carlo masks", 1000, 1, 5, step=0.25, readout_format=".0f")
        self.x = slider("unit output x", x, 0.1, 3.0, 0.1)
        self.watch(self.p_keep, self.num_samples, self.x)
        self.build_figure()
        self.update()

    def build_figure(self):
        self.axes = self.fig.subplots(1, 3)
        self.artists = {}
        for ax, (kind, _label) in zip(self.axes, self.PANELS):
            (dots,) = ax.plot([], [], ".", color=COLORS["ref"], ms=3, alpha=0.5)
            (mean,) = ax.plot([], [], color=COLORS["train"], lw=2.5, label="running mean (train)")
            (expected,) = ax.plot([], [], color=COLORS["train"], lw=1, ls=":")
            (test,) = ax.plot([], [], color=COLORS["val"], lw=2.5, ls="--", label="test-time output")
            band = ax.fill_between([0, 1], [0, 0], [0, 0], color=COLORS["bad"], alpha=0.15)
            ax.set(xscale="log", xlabel="number of masks sampled" if kind == "inverted" else None,
                   ylabel="output of the unit" if kind == "vanilla" else None)
            _fast_log_axis(ax.xaxis)
            ax.locator_params(axis="y", nbins=4)
            ax.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))  # fixed width: the layout is computed once
            self.artists[kind] = dict(dots=dots, mean=mean, expected=expected, test=test, band=band)
        self.axes[0].legend(loc="upper center", fontsize=8, ncol=2)

    def refresh(self):
        p, x, n = self.p_keep.value, self.x.value, int(round(self.num_samples.value))
        self.outputs = outputs = monte_carlo_outputs(x, p, n, self.seed)
        idx = np.unique(np.geomspace(1, n, 300).astype(int)) - 1
        expected = outputs["expected"]
        self.means = {}
        for ax, (kind, label) in zip(self.axes, self.PANELS):
            a, samples, running = self.artists[kind], outputs["train"][kind], outputs["running"][kind]
            mean, test = float(running[-1]), outputs["test"][kind]
            self.means[kind] = mean
            a["dots"].set_data(idx + 1, samples[idx])
            a["mean"].set_data(idx + 1, running[idx])
            a["expected"].set_data([1, max(n, 2)], [expected[kind]] * 2)
            a["test"].set_data([1, max(n, 2)], [test] * 2)
            e = expected[kind]
            a["band"].set_verts([[(1, e), (max(n, 2), e), (max(n, 2), test), (1, test)]] if kind == "forgot" else [])
            top = samples.max() if samples.size else x
            ax.set_xlim(0.8, max(n, 2) * 1.25)
            ax.set_ylim(-0.06 * max(top, x), max(top, x) * 1.35)
            ok = np.isclose(test, expected[kind])  # the rule itself: test output = expected training output
            if kind == "forgot":
                ratio = forgot_scale_ratio(outputs)
                sub = (f"test {test:.2f} = {ratio:.2f} × mean (1/p {1 / p:.2f})" if ratio is not None
                       else f"no unit kept in {n} masks (1/p {1 / p:.2f})")
            else:
                name = "p·x" if kind == "vanilla" else "x"
                sub = f"mean {mean:.3f}, {name} {expected[kind]:.2f}, test {test:.2f}"
            ax.set_title(f"{label}\n{sub}", fontsize=10,
                         color=COLORS["good"] if ok else COLORS["bad"])
        forgot_ratio = forgot_scale_ratio(outputs)
        forgot = (f"forgetting the scale makes the test output {forgot_ratio:.2f}x the train-time mean"
                  if forgot_ratio is not None else
                  f"no unit was kept in {n} masks: too few to estimate the train-time mean, draw more masks")
        self.show_message(
            f"p_keep {p:.2f}, {n} masks: vanilla train mean {self.means['vanilla']:.3f} (p·x = {p * x:.3f}), "
            f"inverted {self.means['inverted']:.3f} (x = {x:.2f}); {forgot} (1/p = {1 / p:.2f})",
            kind="info",
        )


class DropoutEnsembleExplorer(Explorer):
    """"(this has the interpretation as an ensemble of all subnetworks)": average K random masks.

    A net trained with dropout; each random mask picks a thinned subnetwork. The accuracy of
    averaging the predictions of K of them is drawn against K, next to the single scaled pass.
    """

    title = "Dropout as an ensemble: averaging K random masks vs the single scaled pass"
    presets = {
        "one mask: a single thinned network": {"num_masks": 1},
        "10 masks": {"num_masks": 10},
        "200 masks: the ensemble ~ the scaled pass": {"num_masks": 200},
        "heavy dropout (p = 0.2), vanilla": {"p_keep": 0.2, "kind": "vanilla", "num_masks": 200},
    }
    figsize = (12, 4.4)
    max_masks = 200

    def __init__(self, data, num_train=1000, seed=0):
        super().__init__()
        self.data, self.num_train, self.seed = data, num_train, seed
        self._cache = {}
        self.num_masks = slider("K masks averaged", 20, 1, self.max_masks, 1, integer=True)
        self.p_keep = slider("p_keep", 0.5, 0.1, 1.0, 0.1)
        self.kind = dropdown("dropout", VARIANTS, "inverted")
        self.watch(self.num_masks, self.p_keep, self.kind)
        self.build_figure()
        self.update()

    def trained(self):
        """The net for the current p_keep and kind, its (K_max, N, C) mask probabilities and more (cached)."""
        key = (round(self.p_keep.value, 3), self.kind.value)
        if key not in self._cache:
            with one_blas_thread():
                net, result = train_with_dropout(self.data, key[0], key[1], self.num_train, seed=self.seed)
                numbers = mask_ensemble(net, self.data["X_val"], self.data["y_val"], self.max_masks, rng=self.seed)
            self._cache[key] = {"net": net, "result": result, **numbers}
        return self._cache[key]

    def build_figure(self):
        self.ax_acc, self.ax_prob = self.fig.subplots(1, 2)
        (self.acc_line,) = self.ax_acc.plot([], [], color=COLORS["train"], lw=2, label="average of K masks")
        (self.acc_dot,) = self.ax_acc.plot([], [], "o", color=COLORS["train"], ms=9)
        (self.single_line,) = self.ax_acc.plot([], [], ":", color=COLORS["ref"], lw=2, label="one mask alone (mean)")
        (self.scaled_line,) = self.ax_acc.plot([], [], color=COLORS["val"], ls="--", lw=2, label="single scaled pass")
        self.ax_acc.set(
            xscale="log", xlim=(0.8, self.max_masks * 1.2), xlabel="K: masks averaged", ylabel="validation accuracy"
        )
        _fast_log_axis(self.ax_acc.xaxis)
        self.ax_acc.locator_params(axis="y", nbins=5)
        self.ax_acc.yaxis.set_major_formatter(FormatStrFormatter("%.2f"))  # fixed width: the layout is computed once
        self.ax_prob.locator_params(nbins=5)
        self.ax_acc.legend(loc="lower right", fontsize=9)
        self.ax_prob.plot([0, 1], [0, 1], color=COLORS["ref"], lw=1)
        self.scatter = self.ax_prob.scatter(np.zeros(1), np.zeros(1), s=10, color=COLORS["train"], alpha=0.6)
        self.ax_prob.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), aspect="equal",
                         xlabel="P(true class), single scaled pass", ylabel="P(true class), average of K masks")

    def refresh(self):
        t, k = self.trained(), self.num_masks.value
        ks = np.arange(1, self.max_masks + 1)
        acc = t["accuracy_by_k"]
        self.acc_line.set_data(ks[:k], acc[:k])
        self.acc_dot.set_data([k], [acc[k - 1]])
        self.single_line.set_data([0.8, self.max_masks * 1.2], [t["single_mean"]] * 2)
        self.scaled_line.set_data([0.8, self.max_masks * 1.2], [t["scaled_accuracy"]] * 2)
        low = min(t["single_mean"], acc.min(), t["scaled_accuracy"])
        self.ax_acc.set_ylim(max(0.0, low - 0.03), min(1.0, max(acc.max(), t["scaled_accuracy"]) + 0.02))
        self.ax_acc.set_title(f"K = {k}: accuracy {acc[k - 1]:.3f}; scaled pass {t['scaled_accuracy']:.3f}")
        y = self.data["y_val"]
        rows = np.arange(y.size)
        averaged = t["running"][k - 1] / k
        self.scatter.set_offsets(np.c_[t["scaled_probs"][rows, y], averaged[rows, y]])
        agree = agreement(averaged, t["scaled_probs"])
        self.ax_prob.set_title(f"same predicted class on {agree:.1%} of validation images")
        self.agreement = agree
        variant = VARIANT_LABELS[self.kind.value]
        self.show_message(f"{variant}, p_keep {self.p_keep.value:.1f}: "
                          f"one mask {t['single_mean']:.3f} on average, {k} masks averaged {acc[k - 1]:.3f}, "
                          f"scaled pass {t['scaled_accuracy']:.3f}")


class DropoutOverfitExplorer(Explorer):
    """Dropout against overfitting a small training set: the same net with and without dropout.

    The run without dropout depends only on the training-set size and is cached.
    """

    title = "Dropout against overfitting a small training set"
    presets = {
        "200 examples, p_keep 0.5 (inverted)": {"num_train": 200, "p_keep": 0.5, "kind": "inverted"},
        "50 examples: a big gap either way": {"num_train": 50, "p_keep": 0.5},
        "DropConnect p_keep 0.5": {"kind": "dropconnect", "p_keep": 0.5, "num_train": 200},
        "Gaussian dropout p_keep 0.5": {"kind": "gaussian", "p_keep": 0.5, "num_train": 200},
        "p_keep 0.1: too much dropout": {"p_keep": 0.1, "kind": "inverted", "num_train": 200},
    }
    figsize = (12, 4.4)
    num_epochs = 40

    def __init__(self, data, seed=0):
        super().__init__()
        self.data, self.seed = data, seed
        self._baseline = {}
        self.p_keep = slider("p_keep", 0.5, 0.05, 1.0, 0.05)
        self.num_train = slider("training examples", 200, 50, 1000, 50, integer=True)
        self.kind = dropdown("variant", VARIANTS, "inverted")
        self.watch(self.p_keep, self.num_train, self.kind)
        self.build_figure()
        self.update()

    def run(self, p_keep):
        """Train with p_keep (None: no dropout) on the current number of examples: (net, TrainResult)."""
        with one_blas_thread():
            return train_with_dropout(self.data, p_keep, self.kind.value, self.num_train.value,
                                      num_epochs=self.num_epochs, batch_size=50, seed=self.seed)

    def build_figure(self):
        self.ax_curve, self.ax_bar = self.fig.subplots(1, 2, width_ratios=[1.6, 1])
        epochs = np.arange(1, self.num_epochs + 1)
        self.lines = {}
        for name, ls, label in (("without", ":", "no dropout"), ("with", "-", "dropout")):
            for split in ("train", "val"):
                (self.lines[name, split],) = self.ax_curve.plot(epochs, np.full(epochs.size, np.nan), ls=ls,
                                                                lw=2 if name == "with" else 1.5, color=COLORS[split],
                                                                label=f"{split}, {label}")
        self.ax_curve.set(xlabel="epoch", ylabel="accuracy", xlim=(0.5, self.num_epochs + 0.5))
        self.ax_curve.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))  # fixed width: the layout is computed once
        self.ax_curve.legend(loc="lower right", fontsize=9, ncol=2)
        self.bars = self.ax_bar.bar([0, 1, 3, 4], [0, 0, 0, 0], color=[COLORS["train"], COLORS["val"]] * 2,
                                    alpha=0.85, width=0.9)
        self.bar_text = [self.ax_bar.text(x, 0, "", ha="center", va="bottom", fontsize=10) for x in (0, 1, 3, 4)]
        self.gap_text = [
            self.ax_bar.text(x, 0, "", ha="center", va="top", fontsize=11, color=COLORS["bad"], weight="bold")
            for x in (0.5, 3.5)
        ]
        self.ax_bar.set_xticks([0.5, 3.5], ["without dropout", "with dropout"])
        self.ax_bar.set(ylabel="final accuracy (train | val)", xlim=(-0.7, 4.7))
        self.ax_bar.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))

    def refresh(self):
        n = self.num_train.value
        if n not in self._baseline:
            self._baseline[n] = self.run(None)[1]
        base = self._baseline[n]
        net, result = self.run(self.p_keep.value)
        self.result, self.base_result = result, base
        finals = []
        for name, r in (("without", base), ("with", result)):
            for split, history in (("train", r.train_acc_history), ("val", r.val_acc_history)):
                y = np.full(self.num_epochs, np.nan)
                y[: len(history)] = history
                self.lines[name, split].set_ydata(y)
                finals.append(history[-1] if history else np.nan)
        low = np.nanmin([np.nanmin(line.get_ydata()) for line in self.lines.values()])
        self.ax_curve.set_ylim(max(0.0, min(0.8, low - 0.05)), 1.01)
        variant = VARIANT_LABELS[self.kind.value]
        self.ax_curve.set_title(f"{n} training examples; {variant}, p_keep {self.p_keep.value:.2f}")
        bottom = max(0.0, min(0.7, np.nanmin(finals) - 0.1))
        for bar, text, value in zip(self.bars, self.bar_text, finals):
            bar.set_y(bottom)
            bar.set_height(value - bottom)
            text.set_position((text.get_position()[0], value))
            text.set_text(f"{value:.3f}")
        self.gaps = (finals[0] - finals[1], finals[2] - finals[3])
        for text, gap in zip(self.gap_text, self.gaps):
            text.set_position((text.get_position()[0], bottom + 0.98 * (1.08 - bottom)))
            text.set_text(f"gap {gap:.3f}")
        self.ax_bar.set_ylim(bottom, 1.08)
        self.ax_bar.set_yticks(np.arange(np.ceil(bottom * 10) / 10, 1.001, 0.1))
        self.ax_bar.set_title(f"val: {finals[1]:.3f} without, {finals[3]:.3f} with dropout")
        if result.diverged:
            self.show_message(result.message, kind="diverged")
        else:
            underfit = finals[2] < finals[0] - 0.05  # so much dropout that the net cannot fit its training set
            self.show_message(
                f"{n} examples: without dropout train {finals[0]:.3f} / val {finals[1]:.3f} (gap {self.gaps[0]:.3f}); "
                f"with {variant} p_keep {self.p_keep.value:.2f}: train {finals[2]:.3f} / val {finals[3]:.3f} "
                f"(gap {self.gaps[1]:.3f})" + ("; too much dropout: the net underfits" if underfit else "")
            )
