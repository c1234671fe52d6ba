"""The learning-rate range test explorer (notebook 06): loss against a learning rate that grows every iteration."""
import numpy as np

from core import search

from .axes import log_axis
from .base import COLORS, Explorer, dropdown, log_slider, slider


class LRRangeExplorer(Explorer):
    """The learning-rate range test: one run whose learning rate grows exponentially per iteration,
    loss drawn against learning rate, stopped by the explosion rule (cost > 3 x original cost).

    data: a dict from core.data, preprocessed. The slide's rough range for CIFAR-10 (1e-5 .. 1e-3)
    is shaded for comparison. It opens on the search's update rule, momentum 0.9.
    """

    title = "Learning-rate range test: where does the loss start falling, where does it explode?"
    cases = {label: {"update_rule": rule, "batch_size": 100}  # one case per update rule, batches of 100
             for label, rule in (("momentum 0.9 (the search's update)", "momentum"), ("plain SGD", "sgd"),
                                 ("Adam", "adam"))}
    start_case = "momentum 0.9 (the search's update)"
    figsize = (9, 3.6)
    ticks_below = True

    def __init__(self, data, lr_start=1e-6, lr_end=1e2, num_iterations=200, seed=0):
        self.data, self.seed = data, seed
        self.lr_start, self.lr_end, self.num_iterations = lr_start, lr_end, num_iterations
        super().__init__()

    def make_controls(self):
        return {"update_rule": dropdown("update", ["sgd", "momentum", "nesterov", "adam", "rmsprop"], "momentum"),
                "batch_size": slider("batch size", 100, 10, 500, 10, integer=True),
                "reg": log_slider("reg", 1e-4, -6, 1)}

    def colors(self):
        return [COLORS["train"], COLORS["bad"], COLORS["good"]]  # cost, explosion (dashed, x), lowest (triangle)

    def build_figure(self):
        ax = self.ax = self.fig.subplots()
        log_axis(ax.xaxis)
        ax.set(xlabel="learning rate (grows every iteration)", ylabel="mini-batch cost",
               xlim=(self.lr_start, self.lr_end))
        ax.axvspan(1e-5, 1e-3, color="#dddddd", zorder=0, label="slide's rough range (CIFAR-10)")
        (self.line,) = ax.plot([], [], color=COLORS["train"], lw=1.2, label="cost")
        self.explode_line = ax.axhline(np.nan, color=COLORS["bad"], ls="--", lw=1, label="3 x original cost")
        (self.best_mark,) = ax.plot([], [], "v", color=COLORS["good"], ms=11, label="lowest (smoothed) cost")
        (self.end_mark,) = ax.plot([], [], "x", color=COLORS["bad"], ms=12, mew=2.5, label="explosion: stop")
        ax.legend(loc="upper left", fontsize=8)
        self.animate(self.line, self.explode_line, self.best_mark, self.end_mark)

    def refresh(self):
        config = {"update": self.update_rule.value, "batch_size": self.batch_size.value, "reg": self.reg.value}
        self.result = r = search.lr_range_test(self.data, config, lr_start=self.lr_start, lr_end=self.lr_end,
                                               num_iterations=self.num_iterations, seed=self.seed)
        losses = np.asarray(r.losses)
        self.line.set_data(r.learning_rates, losses)
        self.explode_line.set_ydata([3 * losses[0]] * 2)
        self.set_limits(self.ax, y=(0, 3.3 * losses[0]))
        best = r.best_learning_rate
        self.best_mark.set_data([best], [np.interp(best, r.learning_rates, losses)])
        exploded = r.status == "diverged"
        self.end_mark.set_data(*([r.learning_rates[-1]], [min(losses[-1], 3.2 * losses[0])]) if exploded else ([], []))
        rule = self.update_rule.value
        self.show_message(f"{rule}: lowest cost near lr {best:.1e}; the cost passed 3 x its start at lr "
                          f"{r.learning_rates[-1]:.1e} (iteration {r.diverged_at}): stop there" if exploded else
                          f"{rule}: lowest cost near lr {best:.1e}; no explosion up to lr {self.lr_end:.0e}",
                          kind="diverged" if exploded else "info")
