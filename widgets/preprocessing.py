"""Explorers for "Step 1: Preprocess the data": what centring, normalizing, PCA and whitening do to a
2-D cloud (here), and what they do to the training speed of a net on digits (widgets/preprocessing_speed.py)."""
import numpy as np

import core
from core import preprocess
from core.demos.clouds import cloud_stats, covariance_ellipse, principal_axes

from .base import COLORS, Explorer, log_slider, slider
from .preprocessing_speed import PreprocessingSpeedExplorer  # the training-speed explorer, in its own file

__all__ = ["PreprocessingExplorer", "PreprocessingSpeedExplorer"]

STEPS = (("none", "original data"), ("center", "zero-centred\nX -= mean"),
         ("standardize", "normalized\nX /= std"), ("pca", "decorrelated (PCA)\nX = X @ U"),
         ("whiten", "whitened\nX /= sqrt(eigenvalues)"))
NICE_LIMITS = (3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40)


class PreprocessingExplorer(Explorer):
    """A correlated 2-D gaussian cloud and the same cloud after each preprocessing step, side by side
    with the same axis limits, each with its 2-sigma covariance ellipse and its covariance printed.

    Every step is core.preprocess.fit + transform on the original cloud. seed: for the cloud.
    """

    title = "Step 1: preprocess the data (zero-centre, normalize, PCA, whiten)"
    figsize = property(lambda self: (15, 5.4) if self.presenting else (15, 4.1))  # projector: numbers under panels
    ticks_below = True
    start_case = "the slide's cloud (correlated, offset, stretched)"
    cases = {
        "the slide's cloud (correlated, offset, stretched)": {"correlation": 0.7, "scale": 2.5, "offset": 4.0,
                                                              "num_points": 500},
        "uncorrelated, different scales": {"correlation": 0.0, "scale": 4.0, "offset": 2.0, "num_points": 500},
        "strongly correlated": {"correlation": 0.95, "scale": 1.0, "offset": 3.0, "num_points": 500},
        "few points (20)": {"correlation": 0.7, "scale": 2.5, "offset": 4.0, "num_points": 20},
    }

    def __init__(self, seed=0):
        self.seed = seed
        super().__init__()

    def make_controls(self):
        return {"correlation": slider("correlation", 0.7, -0.95, 0.95, 0.05),
                "scale": log_slider("stretch of x1", 2.5, -0.7, 0.7, step=0.05, readout_format=".2f"),
                "offset": slider("offset (mean)", 4.0, -8.0, 8.0, 0.5),
                "num_points": slider("points", 500, 5, 2000, 5, integer=True)}

    def colors(self):
        return [COLORS["train"], COLORS["bad"]]  # points (dots) and their 2-sigma ellipse (a line)

    def build_figure(self):
        self.axes = self.fig.subplots(1, len(STEPS), sharex=True, sharey=True)
        self.scatters, self.ellipses, self.cov_texts = [], [], []
        for ax, (_method, label) in zip(self.axes, STEPS):
            ax.axhline(0, color="#bbb", lw=0.8, zorder=0)
            ax.axvline(0, color="#bbb", lw=0.8, zorder=0)
            self.scatters.append(ax.scatter(np.zeros(1), np.zeros(1), s=6, color=COLORS["train"], alpha=0.45,
                                            linewidths=0))
            (ellipse,) = ax.plot([], [], color=COLORS["bad"], lw=2)
            self.ellipses.append(ellipse)
            if self.presenting:  # 18 px text is wider than a fifth of the projector: the numbers go under the panel
                text = ax.annotate("\n\n", (0, 0), xycoords="axes fraction", xytext=(0, -48),  # 3 lines: the layout
                                   textcoords="offset points", family="monospace", va="top")
            else:
                text = ax.text(0.03, 0.03, "", transform=ax.transAxes, fontsize=10, family="monospace", va="bottom",
                               bbox=dict(fc="white", ec="#ccc", alpha=0.85))
            self.cov_texts.append(text)
            ax.set_title(label, fontsize=12, pad=10)  # clear of the top spine: the title stays in the cached picture
            ax.set_aspect("equal", adjustable="box")
            ax.set_xlabel("x1")
        self.axes[0].set_ylabel("x2")
        self.axis_lines = [self.axes[0].plot([], [], color="k", lw=2)[0] for _ in range(2)]
        self.animate(*self.scatters, *self.ellipses, *self.cov_texts, *self.axis_lines)

    def refresh(self):
        offset = self.offset.value
        X = core.data.correlated_gaussian(self.num_points.value, self.correlation.value, self.scale.value,
                                          (offset, offset), rng=self.seed)
        self.data = {}
        for method, _ in STEPS:
            self.data[method] = preprocess.transform(X, preprocess.fit(X, method))
        limit = 3.0
        for i, (method, _) in enumerate(STEPS):
            Z = self.data[method]
            mean, cov = cloud_stats(Z)
            self.scatters[i].set_offsets(Z)
            self.scatters[i].set_sizes([6 if Z.shape[0] > 200 else 16])
            ellipse = covariance_ellipse(mean, cov)
            self.ellipses[i].set_data(ellipse[:, 0], ellipse[:, 1])
            m, c = np.round(mean, 2) + 0.0, np.round(cov, 2) + 0.0  # + 0.0: no "-0.00"
            self.cov_texts[i].set_text(f"mean {m[0]:.2f}, {m[1]:.2f}\ncov  {c[0, 0]:.2f} {c[0, 1]:.2f}\n     "
                                       f"{c[1, 0]:.2f} {c[1, 1]:.2f}" if self.presenting else
                                       f"mean ({m[0]:5.2f}, {m[1]:5.2f})\n"
                                       f"cov  [{c[0, 0]:5.2f} {c[0, 1]:5.2f}]\n"
                                       f"     [{c[1, 0]:5.2f} {c[1, 1]:5.2f}]")
            limit = max(limit, np.abs(ellipse).max() * 1.3)  # ~2.6 standard deviations: a few points may fall outside
        # the principal axes (PCA's eigenvectors, length sqrt(eigenvalue) x 2) on the original cloud
        for line, ends in zip(self.axis_lines, principal_axes(X)):
            line.set_data(ends[:, 0], ends[:, 1])
        limit = next(v for v in NICE_LIMITS if v >= limit) if limit <= NICE_LIMITS[-1] else limit
        limit *= 1.1  # no tick label on the panel edges, where neighbouring panels meet
        # shared by all panels; a few fixed values, so the cached background can be reused
        self.set_limits(self.axes[0], x=(-limit, limit), y=(-limit, limit))
        white = np.round(cloud_stats(self.data["whiten"])[1], 2) + 0.0
        self.show_message(f"{X.shape[0]} points, correlation {self.correlation.value:.2f}: after whitening "
                          f"the covariance is [[{white[0, 0]:.2f}, {white[0, 1]:.2f}], "
                          f"[{white[1, 0]:.2f}, {white[1, 1]:.2f}]] (the identity: a round cloud)")
