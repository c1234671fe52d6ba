"""Exercise 02 (overfit a tiny subset): the student's overfit_tiny_subset, over the subset's size and reg."""
import numpy as np

import core
from core.demos.sanity import first_epoch_reaching
from widgets.base import COLORS, Explorer, dropdown

from .common import not_yet


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
            not_yet(self, "overfit_tiny_subset is")
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
