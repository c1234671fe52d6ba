"""Small explorers driven by the student's own functions (one per exercise notebook).

Each takes the student's function(s); while a function still raises NotImplementedError the
explorer shows "not implemented yet" instead of a plot update. The numbers come from the student's
code and from core (core.demos.student_code measures what their functions return); the views only draw them.
"""
import numpy as np

import core
from core.demos.sanity import first_epoch_reaching
from core.demos.student_code import (
    PATH_LIMIT,
    clipped_fractions,
    deep_activations,
    dropout_summary,
    path_diverged,
    per_decade,
    top_decade,
    update_path,
    valley_loss,
)
from widgets.base import COLORS, LRU, Explorer, dropdown, log_slider, slider
from widgets.learning_rate import LearningRateExplorer

from .plug import StudentNet


def _not_yet(explorer, what):
    """Say so, and blank the moving lines, so no picture looks like a result the student has not made."""
    for artist in explorer.animated:
        if hasattr(artist, "get_xdata"):
            artist.set_ydata(np.full(len(artist.get_xdata()), np.nan))
    explorer.show_message(f"{what} not implemented yet: fill in its cell above, run it, then run this cell again")


class StudentLayersExplorer(LearningRateExplorer):
    """The learning-rate explorer, training a net built from the student's affine, ReLU and softmax.

    layer_functions: affine_forward, affine_backward, relu_forward, relu_backward, softmax_loss.
    """

    title = "Your layers, trained on digits: move the learning rate"

    def __init__(self, data, *, affine_forward, affine_backward, relu_forward, relu_backward, softmax_loss,
                 **kwargs):
        self.layer_functions = dict(affine_forward=affine_forward, affine_backward=affine_backward,
                                    relu_forward=relu_forward, relu_backward=relu_backward,
                                    softmax_loss=softmax_loss)
        super().__init__(data, **kwargs)

    def make_net(self):
        return StudentNet.for_data(self.data, [self.hidden_size], init_scale=self.init_scale, rng=self.seed,
                                   **self.layer_functions)

    def refresh(self):
        try:
            super().refresh()
        except NotImplementedError:
            _not_yet(self, "your layers are")


class OverfitExplorer(Explorer):
    """The student's overfit_tiny_subset on 5 ... 200 examples: the fewer, the sooner they are memorized."""

    title = "Overfit a tiny subset: the fewer the examples, the sooner they are memorized"
    figsize = (10, 3.6)

    def __init__(self, overfit_tiny_subset, data, hidden_size=50, seed=0):
        self.fn, self.data, self.hidden_size, self.seed = overfit_tiny_subset, data, hidden_size, seed
        super().__init__()

    def make_controls(self):
        return {"num_examples": dropdown("examples", [5, 10, 20, 50, 100, 200], 20)}

    def colors(self):
        return [COLORS["train"], COLORS["ref"]]  # the curves, the 1.00 line (dotted)

    def build_figure(self):
        self.ax_cost, self.ax_acc = self.fig.subplots(1, 2)
        (self.cost_line,) = self.ax_cost.plot([], [], color=COLORS["train"])
        self.ax_cost.set(xlabel="epoch (one full-batch update each)", ylabel="cost", title="cost", ylim=(0, 2.5))
        (self.acc_line,) = self.ax_acc.plot([], [], color=COLORS["train"])
        self.ax_acc.axhline(1.0, color=COLORS["ref"], ls=":", lw=1)
        self.ax_acc.set(xlabel="epoch", ylabel="train accuracy", title="train accuracy", ylim=(0, 1.05))
        self.animate(self.cost_line, self.acc_line)

    def refresh(self):
        d = self.data
        net = core.FullyConnectedNet.for_data(d, [self.hidden_size], rng=self.seed)
        try:
            result = self.fn(net, d["X_train"], d["y_train"], core.train, self.num_examples.value)
        except NotImplementedError:
            _not_yet(self, "overfit_tiny_subset is")
            return
        cost, acc = np.asarray(result.loss_history, dtype=float), np.asarray(result.train_acc_history)
        for line, ax, values in ((self.cost_line, self.ax_cost, cost), (self.acc_line, self.ax_acc, acc)):
            line.set_data(np.arange(1, values.size + 1), values)
            self.set_limits(ax, x=(0, max(values.size, 1)))
        memorized = first_epoch_reaching(acc, 1.0)
        when = f"train accuracy reached 1.00 at epoch {memorized}" if memorized else \
            f"train accuracy only {acc[-1] if acc.size else 0:.2f}"
        self.show_message(f"{self.num_examples.value} examples: {when}; cost {cost[-1]:.3f} after {acc.size} epochs",
                          kind="good" if memorized and cost[-1] < 0.1 else "info")


class LogSamplingExplorer(Explorer):
    """Where the student's log_uniform puts its samples, decade by decade, next to uniform sampling."""

    title = "Random search: sample the learning rate in log space"
    figsize = (10, 3.4)

    def __init__(self, log_uniform, seed=0):
        self.fn, self.seed = log_uniform, seed
        super().__init__()

    def make_controls(self):
        return {"low_exponent": slider("low = 10^", -6, -8, 0, 1, integer=True),
                "high_exponent": slider("high = 10^", -3, -7, 1, 1, integer=True),
                "num_samples": slider("samples", 100, 10, 1000, 10, integer=True)}

    def colors(self):
        return [COLORS["train"], COLORS["bad"]]  # yours filled, uniform an outline

    def build_figure(self):
        self.ax = self.fig.subplots()
        self.edges = np.arange(-8, 2)
        self.bars_log = self.ax.stairs(np.zeros(9), self.edges, fill=True, alpha=0.6, color=COLORS["train"],
                                       label="your log_uniform")
        self.bars_linear = self.ax.stairs(np.zeros(9), self.edges, color=COLORS["bad"], lw=2,
                                          label="uniform in linear space")
        self.ax.set(xlabel="log10(learning rate)", ylabel="fraction of samples per decade", ylim=(0, 1.05),
                    xlim=(-8, 1), title="samples per decade")
        self.ax.legend(loc="upper left")
        self.animate(self.bars_log, self.bars_linear)

    def refresh(self):
        low, high = self.low_exponent.value, self.high_exponent.value
        if low >= high:
            self.show_message(f"low 1e{low} must be below high 1e{high}", kind="error")
            return
        rng = np.random.default_rng(self.seed)
        n = self.num_samples.value
        try:
            values = np.asarray(self.fn(10.0 ** low, 10.0 ** high, n, rng), dtype=float)
        except NotImplementedError:
            _not_yet(self, "log_uniform is")
            return
        linear = rng.uniform(10.0 ** low, 10.0 ** high, n)
        self.bars_log.set_data(per_decade(values, self.edges))
        self.bars_linear.set_data(per_decade(linear, self.edges))
        self.show_message(f"uniform in linear space puts {top_decade(linear, high):.0%} of the samples in the top "
                          f"decade; your log_uniform puts {top_decade(values, high):.0%} there "
                          f"(one decade out of {high - low})")


class InitExplorer(Explorer):
    """Activation std over 10 layers with the student's xavier_init / he_init, or gaussians of std 0.01 (the
    slide's N(0, 0.01)) and std 1."""

    title = "Initialization: activation std layer by layer"
    figsize = (10, 3.8)
    start_case = "your Xavier, tanh: steady"
    cases = {
        "std 0.01, tanh: activations collapse to zero": {"init": "std 0.01", "activation": "tanh"},
        "std 1, tanh: saturates at -1 and 1": {"init": "std 1", "activation": "tanh"},
        "your Xavier, tanh: steady": {"init": "your xavier_init", "activation": "tanh"},
        "your Xavier, ReLU: shrinks": {"init": "your xavier_init", "activation": "relu"},
        "your He, ReLU: steady": {"init": "your he_init", "activation": "relu"},
    }

    def __init__(self, xavier_init, he_init, seed=0, num_layers=10):
        self.seed, self.num_layers, self.width, self.num_examples = seed, num_layers, 256, 200
        self.inits = {"your xavier_init": xavier_init, "your he_init": he_init,
                      "std 0.01": lambda a, b, rng: 0.01 * rng.standard_normal((a, b)),
                      "std 1": lambda a, b, rng: rng.standard_normal((a, b))}
        self.drawn = LRU(len(self.inits), "initializer name -> its num_layers (width, width) weight matrices")
        super().__init__()

    def make_controls(self):
        return {"init": dropdown("weights", list(self.inits), "your xavier_init"),
                "activation": dropdown("activation", ["tanh", "relu"], "tanh")}

    def colors(self):
        return [COLORS["train"], COLORS["val"], COLORS["bad"]]  # layers 1, 5, 10: solid, dashed, dotted

    def build_figure(self):
        self.ax_std, self.ax_hist = self.fig.subplots(1, 2)
        layers = np.arange(1, self.num_layers + 1)
        (self.std_line,) = self.ax_std.plot(layers, np.ones(self.num_layers), "o-", color=COLORS["train"])
        self.ax_std.set(yscale="log", ylim=(1e-12, 1e3), xlabel="layer", ylabel="std of activations",
                        title="activation std per layer", xticks=layers)
        self.hist_edges = np.linspace(-1.5, 1.5, 61)
        self.hists = {}
        for layer, color, style in ((1, COLORS["train"], "-"), (5, COLORS["val"], "--"),
                                    (self.num_layers, COLORS["bad"], ":")):
            self.hists[layer] = self.ax_hist.stairs(np.zeros(60), self.hist_edges, color=color, lw=1.5, ls=style,
                                                    label=f"layer {layer}")
        self.ax_hist.set(xlabel="activation value (clipped to [-1.5, 1.5])", ylabel="fraction", ylim=(0, 1.02),
                         title="activations of layers 1, 5, 10")
        self.ax_hist.legend(loc="upper right")
        self.animate(self.std_line, *self.hists.values())

    def weights(self, name):
        """The layers' weights drawn with initializer `name` (drawn once, then kept)."""
        def draw():
            rng = np.random.default_rng(self.seed + 1)
            return [np.asarray(self.inits[name](self.width, self.width, rng), dtype=np.float64)
                    for _ in range(self.num_layers)]
        return self.drawn.get(name, draw)

    def refresh(self):
        try:
            weights = self.weights(self.init.value)
        except NotImplementedError:
            _not_yet(self, f"{self.init.value.replace('your ', '')} is")
            return
        acts = deep_activations(None, self.activation.value, np.random.default_rng(self.seed), self.num_layers,
                                self.width, self.num_examples, weights=weights)
        stds = core.monitor.activation_stats(acts)["std"]
        self.std_line.set_ydata(np.clip(np.nan_to_num(stds, nan=1e3, posinf=1e3), 1e-12, 1e3))
        for layer, stairs in self.hists.items():
            stairs.set_data(clipped_fractions(acts[layer - 1], self.hist_edges))
        self.show_message(f"{self.init.value}, {self.activation.value}: std layer 1 {stds[0]:.2g}, "
                          f"layer {self.num_layers} {stds[-1]:.2g}")


class DropoutExplorer(Explorer):
    """Average train-time output of the student's inverted_dropout, unit by unit, against test time."""

    title = "Inverted dropout: expected output at train time = output at test time"
    figsize = (10, 3.6)

    def __init__(self, inverted_dropout, num_units=40, num_draws=400, seed=0):
        self.fn, self.seed, self.num_draws = inverted_dropout, seed, num_draws
        self.x = np.sort(np.random.default_rng(seed).uniform(0.2, 2.0, num_units))
        super().__init__()

    def make_controls(self):
        return {"p_keep": slider("p_keep", 0.5, 0.05, 1.0, 0.05)}

    def colors(self):
        return [COLORS["val"], COLORS["train"], COLORS["ref"]]  # test time (line), train time (dots), dashed

    def build_figure(self):
        self.ax, self.ax_mask = self.fig.subplots(1, 2, width_ratios=(2, 1))
        units, blank = np.arange(self.x.size), np.full(self.x.size, np.nan)  # blank until the student's code runs
        (self.test_line,) = self.ax.plot(units, blank, color=COLORS["val"], lw=2, label="test time (mode='test')")
        (self.train_line,) = self.ax.plot(units, blank, "o", color=COLORS["train"], ms=4,
                                          label=f"train time, mean of {self.num_draws} draws")
        (self.vanilla_line,) = self.ax.plot(units, blank, "--", color=COLORS["ref"], lw=1,
                                            label="mask without / p_keep (p_keep x)")
        self.ax.set(xlabel="unit", ylabel="output", xlim=(-0.5, self.x.size - 0.5), ylim=(0, 2.6),
                    title="output per unit")  # xlim: the lines start blank (NaN), so autoscale would see one unit
        self.ax.legend(loc="upper left", fontsize=8)
        self.mask_image = self.ax_mask.imshow(np.zeros((20, self.x.size)), cmap="gray", vmin=0, vmax=1,
                                              aspect="auto", interpolation="nearest")
        self.ax_mask.set(xlabel="unit", ylabel="draw", title="20 masks (white: kept)")
        self.animate(self.test_line, self.train_line, self.vanilla_line, self.mask_image)

    def refresh(self):
        p_keep = self.p_keep.value
        rng = np.random.default_rng(self.seed)
        batch = np.tile(self.x, (self.num_draws, 1))
        try:
            train = np.asarray(self.fn(batch, p_keep, "train", rng), dtype=float)
            test = np.asarray(self.fn(self.x[None, :], p_keep, "test", rng), dtype=float)[0]
        except NotImplementedError:
            _not_yet(self, "inverted_dropout is")
            return
        summary = dropout_summary(self.x, train, test)
        self.train_line.set_ydata(summary["mean"])
        self.test_line.set_ydata(test)
        self.vanilla_line.set_ydata(p_keep * self.x)
        self.mask_image.set_data((train[:20] != 0).astype(float))
        self.show_message(f"p_keep {p_keep:.2f}: {summary['kept']:.0%} kept, each scaled by {summary['scale']:.2f}; "
                          f"mean train output / test output = {summary['ratio']:.2f} "
                          "(1.00 means test time needs no scaling)")


class UpdatePathExplorer(Explorer):
    """The student's update rules walking down a narrow 2-D valley, next to plain SGD."""

    title = "Update rules on a narrow valley: your code against SGD"
    figsize = (10, 4)
    steep = 20.0

    def __init__(self, rules, seed=0):
        self.rules = dict(rules)
        super().__init__()

    def make_controls(self):
        return {"rule": dropdown("update rule", list(self.rules), list(self.rules)[0]),
                "learning_rate": log_slider("learning rate", 0.02, -3, 0, step=0.05),
                "num_steps": slider("steps", 50, 5, 200, 5, integer=True)}

    def colors(self):
        return [COLORS["ref"], COLORS["val"]]  # sgd (dashed), your rule (solid)

    def build_figure(self):
        self.ax, self.ax_loss = self.fig.subplots(1, 2, width_ratios=(3, 2))
        g0, g1 = np.meshgrid(np.linspace(-5, 5, 200), np.linspace(-2, 2, 120))
        self.ax.contour(g0, g1, valley_loss((g0, g1), self.steep)[0], levels=np.geomspace(0.05, 60, 12),
                        colors="#bbbbbb", linewidths=0.8)
        (self.sgd_path,) = self.ax.plot([], [], ".--", color=COLORS["ref"], lw=1, label="sgd (core)")
        (self.path,) = self.ax.plot([], [], ".-", color=COLORS["val"], lw=1.5, label="your rule")
        self.ax.plot([0], [0], "*", color="black", ms=12)
        self.ax.set(xlim=(-5, 5), ylim=(-2, 2), xlabel="w0", ylabel="w1", title="path from (-4, 1)")
        self.ax.legend(loc="upper right")
        (self.sgd_loss,) = self.ax_loss.plot([], [], "--", color=COLORS["ref"], label="sgd (core)")
        (self.loss_line,) = self.ax_loss.plot([], [], color=COLORS["val"], label="your rule")
        self.ax_loss.set(yscale="log", ylim=(1e-8, PATH_LIMIT), xlabel="step", ylabel="loss", title="loss")
        self.ax_loss.legend(loc="upper right")
        self.animate(self.sgd_path, self.path, self.sgd_loss, self.loss_line)

    def refresh(self):
        lr, steps, mine = self.learning_rate.value, self.num_steps.value, self.rule.value
        self.set_limits(self.ax_loss, x=(0, steps))
        ends = []  # how each run ended: "diverged" or its last loss
        try:
            for rule, path_line, loss_line in ((core.optim.sgd, self.sgd_path, self.sgd_loss),
                                               (self.rules[mine], self.path, self.loss_line)):
                path, losses = update_path(rule, lr, steps, steep=self.steep)
                path_line.set_data(path[:, 0], path[:, 1])
                loss_line.set_data(np.arange(losses.size),
                                   np.clip(np.nan_to_num(losses, nan=PATH_LIMIT), 1e-8, PATH_LIMIT))
                ends.append("diverged" if path_diverged(losses) else f"loss {losses[-1]:.2g}")
        except NotImplementedError:
            self.path.set_data([], [])
            self.loss_line.set_data([], [])
            _not_yet(self, f"{mine} is")
            return
        self.show_message(f"after {steps} steps at learning rate {lr:.2g}: {mine} {ends[1]}, sgd {ends[0]}",
                          kind="diverged" if ends[1] == "diverged" else "info")


__all__ = ["StudentLayersExplorer", "OverfitExplorer", "LogSamplingExplorer", "InitExplorer", "DropoutExplorer",
           "UpdatePathExplorer", "deep_activations", "update_path", "valley_loss"]
