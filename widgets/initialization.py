"""Initialization explorer: a deep net on unit-gaussian inputs, one activation histogram per layer,
mean and std per layer, and the gradient that reaches each layer's weights."""
import numpy as np
from matplotlib.ticker import MaxNLocator

import core
from core import monitor
from core.demos.activations import layer_histograms, scale_draws

from .axes import log_axis
from .base import COLORS, LRU, Explorer, choice_slider, dropdown, log_slider, one_blas_thread, slider

INIT_OPTIONS = [("gaussian N(0, scale^2)", "gaussian"), ("Xavier: 1/sqrt(fan in)", "xavier"),
                ("He: sqrt(2/fan in)", "he")]


class InitializationExplorer(Explorer):
    """A deep fully connected net (default 10 layers of 500 units) fed N unit-gaussian inputs.

    The standard-normal weight matrices, the input batch and the random labels are drawn once
    (per width) and cached; a change only rescales the weights (core.demos.activations.scale_draws)
    and runs one forward and backward pass (core.monitor.activations_and_gradients).
    num_examples: N, the batch size. max_depth: most hidden layers (one histogram panel each).
    """

    title = "Initialization: activations and gradients layer by layer"
    start_case = "Xavier tanh"
    cases = {
        "N(0, 0.01) tanh: activations collapse": {"activation": "tanh", "init": "gaussian", "init_scale": 0.01},
        "N(0, 1) tanh: saturate": {"activation": "tanh", "init": "gaussian", "init_scale": 1.0},
        "N(0, 1) ReLU: explodes": {"activation": "relu", "init": "gaussian", "init_scale": 1.0},
        "Xavier tanh": {"activation": "tanh", "init": "xavier"},
        "Xavier ReLU: collapses slowly": {"activation": "relu", "init": "xavier"},
        "He ReLU": {"activation": "relu", "init": "he"},
    }
    figsize = (11, 6.6)
    width_options = (10, 50, 100, 200, 500)
    num_bins = 40
    histogram_rows = 100  # examples per layer that go into the histograms (stats use all N)

    def __init__(self, num_examples=100, max_depth=10, num_classes=10, seed=0):
        self.num_examples, self.max_depth, self.num_classes, self.seed = num_examples, max_depth, num_classes, seed
        self.bases = LRU(2, "width -> standard-normal weights of every layer, inputs X (N, width), labels y")
        self.nets = LRU(2, "(depth, width) -> a FullyConnectedNet whose weights compute() overwrites")
        super().__init__()

    def make_controls(self):
        return {"init": dropdown("init", INIT_OPTIONS, "xavier"),
                "init_scale": log_slider("gaussian scale (std)", 0.01, -3, 1, step=0.05, readout_format=".3f"),
                "activation": dropdown("activation", [("tanh", "tanh"), ("ReLU", "relu")], "tanh"),
                "depth": slider("hidden layers", min(10, self.max_depth), 1, self.max_depth, 1, integer=True),
                "width": choice_slider("units per layer", self.width_options, 500)}

    def colors(self):
        return [COLORS["train"], COLORS["val"]]  # mean and std share a panel (the gradient has its own)

    # ---- cached random numbers ------------------------------------------------------------------
    def _base(self, width):
        """Standard-normal weights for every layer, inputs X (N, width) and labels y, drawn once per width."""
        def draw():
            rng = np.random.default_rng(self.seed)
            weights = [rng.standard_normal((width, width), dtype=np.float32) for _ in range(self.max_depth)]
            out = rng.standard_normal((width, self.num_classes), dtype=np.float32)
            X = rng.standard_normal((self.num_examples, width), dtype=np.float32)
            return weights, out, X, rng.integers(0, self.num_classes, self.num_examples)
        return self.bases.get(width, draw)

    def _net(self, depth, width):
        # init=None: zero weights, nothing drawn (compute() sets every weight): a depth change costs no 2.5M draws
        return self.nets.get((depth, width), lambda: core.FullyConnectedNet(width, [width] * depth, self.num_classes,
                                                                            init=None, rng=self.seed))

    def compute(self):
        """Activations (list of L arrays (N, H)) and weight gradients for the current controls; self.weight_stds:
        each layer's weight std (core.demos.activations.scale_draws)."""
        depth, width = int(self.depth.value), int(self.width.value)
        weights, out, X, y = self._base(width)
        net = self._net(depth, width)
        net.activation = self.activation.value
        self.weight_stds = scale_draws(net, [*weights[:depth], out], self.init.value, self.init_scale.value)
        with one_blas_thread():
            return monitor.activations_and_gradients(net, X, y)

    # ---- figure ---------------------------------------------------------------------------------
    def build_figure(self):
        columns = 5
        rows = -(-self.max_depth // columns)
        grid = self.fig.add_gridspec(rows + 1, 1, height_ratios=[1] * rows + [1.3])
        top = grid[:rows, 0].subgridspec(rows, columns)
        bottom = grid[rows, 0].subgridspec(1, 2, wspace=0.15)
        self.hist_axes, self.hist_bars, self.hist_titles, self.hist_panels = [], [], [], []
        for i in range(self.max_depth):
            ax = self.fig.add_subplot(top[i // columns, i % columns])
            bars = ax.stairs(np.zeros(self.num_bins), np.linspace(-1, 1, self.num_bins + 1), fill=True,
                             color=COLORS["train"])
            ax.axis("off")  # no ticks: drawing 10 axes' ticks would cost more than the whole net
            zero = ax.axhline(0, color=COLORS["ref"], lw=1)
            centre = ax.axvline(0, color=COLORS["ref"], lw=0.5, ls=":")
            title = ax.text(0.5, 1.0, f"layer {i + 1}", transform=ax.transAxes, ha="center", va="bottom",
                            fontsize=9)
            self.hist_axes.append(ax)
            self.hist_bars.append(bars)
            self.hist_titles.append(title)
            self.hist_panels.append((bars, zero, centre, title))  # all a panel draws: hidden beyond the depth
        self.range_text = self.fig.suptitle("", fontsize=10)
        layers = np.arange(1, self.max_depth + 1)
        self.ax_stats, self.ax_grad = (self.fig.add_subplot(bottom[0, i]) for i in range(2))
        (self.mean_line,) = self.ax_stats.plot(layers, np.zeros(self.max_depth), "o-", ms=4, color=COLORS["train"],
                                               label="mean")
        (self.std_line,) = self.ax_stats.plot(layers, np.ones(self.max_depth), "s-", ms=4, color=COLORS["val"],
                                              label="std")
        (self.grad_line,) = self.ax_grad.plot(layers, np.ones(self.max_depth), "o-", ms=4, color=COLORS["bad"])
        # pad: clear of the top spine, so the titles stay in the cached picture instead of being redrawn
        self.ax_stats.set_title("activations per layer: mean (blue dots) and std (orange squares)", fontsize=10,
                                pad=10)
        self.ax_grad.set_title("gradient per layer: mean |dL/dW| (log scale)", fontsize=10, pad=10)
        # few ticks, plain "1e-03" labels: every tick label is text to lay out on every redraw
        for ax in (self.ax_stats, self.ax_grad):
            ax.set_xlabel("layer", fontsize=9, labelpad=1)
            ax.tick_params(labelsize=8)
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        self.ax_stats.yaxis.set_major_locator(MaxNLocator(3))
        # from 100 on, "4" with "1e5" in the corner, not "400000": the layout is frozen with labels as wide as
        # "-0.8", so wider ones were cut off at the figure's left edge (ReLU, gaussian scale 0.1-0.25: 1e2..1e6)
        self.ax_stats.ticklabel_format(axis="y", style="sci", scilimits=(-3, 2))
        # huge activations give the y axis an offset text ("1e11"); above the axes, matplotlib would lift the title
        # clear of it, into the histograms: it goes inside the top-left corner, where growing activations are not
        self.ax_stats.yaxis.OFFSETTEXTPAD = -11  # points below the top of the axes
        self.ax_stats.yaxis.offsetText.set_x(0.01)
        log_axis(self.ax_grad.yaxis, numticks=3, labels="exponent")
        # lay the figure out once with the widest tick labels it will show, then keep that layout
        self.ax_stats.set_ylim(-0.888, 0.888)
        self.ax_grad.set_ylim(1e-30, 1e-10)
        self.range_text.set_text("activation histograms")
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")
        for ax in (self.ax_stats, self.ax_grad):  # every depth on one scale: a depth change keeps the axes
            ax.set_xlim(0.5, self.max_depth + 0.5)
        # what a control change moves or hides (a panel beyond the depth), drawn over a cached picture of the
        # axes (Explorer.animate): hiding a moving artist leaves that picture as it is
        self.animate(*(artist for panel in self.hist_panels for artist in panel), self.range_text, self.mean_line,
                     self.std_line, self.grad_line)

    def panel_shown(self, i):
        """Whether histogram panel i (0-based: layer i + 1) shows anything (panels beyond the depth are blank)."""
        return self.hist_bars[i].get_visible()

    def refresh(self):
        depth = int(self.depth.value)
        self.init_scale.disabled = self.init.value != "gaussian"
        activations, grads = self.compute()
        self.stats = stats = monitor.activation_stats(activations)
        self.grad_magnitude = monitor.mean_abs_gradients(grads)[:depth]  # the hidden layers' weights
        relu = self.activation.value == "relu"
        edges, self.counts = layer_histograms(activations, self.num_bins, self.histogram_rows, relu)
        for i, (ax, bars) in enumerate(zip(self.hist_axes, self.hist_bars)):
            for artist in self.hist_panels[i]:
                artist.set_visible(i < depth)
            if i >= depth:
                continue
            bars.set_data(self.counts[i], edges)
            self.set_limits(ax, x=(edges[0] - 0.02 * (edges[-1] - edges[0]), edges[-1]),
                            y=(0, 2.0 ** np.ceil(np.log2(max(self.counts[i].max(), 1) * 1.05))))
            zeros = f", {stats['zero_fraction'][i]:.0%} zeros" if relu else ""
            self.hist_titles[i].set_text(f"layer {i + 1}: std {stats['std'][i]:.2g}{zeros}")
        self.range_text.set_text(
            f"activation histograms, x from 0 to {edges[-1]:.3g} (ReLU: zeros left out, counted above)" if relu
            else "activation histograms, x from -1 to 1 (tanh's range), dotted line at 0")
        layers = np.arange(1, depth + 1)
        self.mean_line.set_data(layers, stats["mean"])
        self.std_line.set_data(layers, stats["std"])
        self.grad_line.set_data(layers, np.where(self.grad_magnitude > 0, self.grad_magnitude, np.nan))
        self.set_limits(self.ax_stats, y=_ylim(np.r_[stats["mean"], stats["std"], 0.0], log=False))
        self.set_limits(self.ax_grad, y=_ylim(self.grad_magnitude, log=True))
        last = stats["std"][depth - 1]
        saturated = f", {stats['saturated_fraction'][depth - 1]:.0%} saturated (|a| > 0.99)" if not relu else ""
        self.show_message(f"weights std {self.weight_stds[0]:.3g} ({self.init.label}); activation std layer 1 "
                          f"{stats['std'][0]:.3g} -> layer {depth} {last:.3g}{saturated}")


def _ylim(values, log):
    """A y range for the finite values (positive ones on a log axis)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)] if log else v[np.isfinite(v)]
    if v.size == 0:
        return (1e-3, 1) if log else (-1, 1)
    if log:  # whole decades
        return 10.0 ** np.floor(np.log10(v.min()) - 0.5), 10.0 ** np.ceil(np.log10(v.max()) + 0.5)
    top = 2.0 ** np.ceil(np.log2(max(np.abs(v).max(), 1e-3) * 1.1))  # a power of 2: the limits change rarely
    return -top if v.min() < -0.05 * top else -0.05 * top, top
