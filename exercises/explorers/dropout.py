"""Exercise 05 (dropout): the student's inverted_dropout, its kept fraction, scale and mean."""
import numpy as np

from core.demos.student_code import dropout_summary
from widgets.base import COLORS, Explorer, slider

from .common import not_yet


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
            not_yet(self, "inverted_dropout is")
            return
        summary = dropout_summary(self.x, train, test)
        self.train_line.set_ydata(summary["mean"])
        self.test_line.set_ydata(test)
        self.vanilla_line.set_ydata(p_keep * self.x)
        self.mask_image.set_data((train[:20] != 0).astype(float))
        self.show_message(f"p_keep {p_keep:.2f}: {summary['kept']:.0%} kept, each scaled by {summary['scale']:.2f}; "
                          f"mean train output / test output = {summary['ratio']:.2f} "
                          "(1.00 means test time needs no scaling)")
