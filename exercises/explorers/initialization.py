"""Exercise 04 (initialization): activation std over 10 layers with the student's xavier_init / he_init."""
import numpy as np

import core
from core.demos.student_code import clipped_fractions, deep_activations
from widgets.base import COLORS, LRU, Explorer, dropdown

from .common import not_yet


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
            not_yet(self, f"{self.init.value.replace('your ', '')} is")
            return
        acts = deep_activations(None, self.activation.value, np.random.default_rng(self.seed), self.num_layers,
                                self.width, self.num_examples, weights=weights)
        stds = core.monitor.activation_stats(acts)["std"]
        self.std_line.set_ydata(np.clip(np.nan_to_num(stds, nan=1e3, posinf=1e3), 1e-12, 1e3))
        for layer, stairs in self.hists.items():
            stairs.set_data(clipped_fractions(acts[layer - 1], self.hist_edges))
        self.show_message(f"{self.init.value}, {self.activation.value}: std layer 1 {stds[0]:.2g}, "
                          f"layer {self.num_layers} {stds[-1]:.2g}")
