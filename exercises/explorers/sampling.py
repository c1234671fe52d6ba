"""Exercise 03 (random search): the student's log_uniform against uniform sampling, per decade."""
import numpy as np

from core.demos.student_code import per_decade, top_decade
from widgets.base import COLORS, Explorer, slider

from .common import not_yet


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
            not_yet(self, "log_uniform is")
            return
        linear = rng.uniform(10.0 ** low, 10.0 ** high, n)
        self.bars_log.set_data(per_decade(values, self.edges))
        self.bars_linear.set_data(per_decade(linear, self.edges))
        self.show_message(f"uniform in linear space puts {top_decade(linear, high):.0%} of the samples in the top "
                          f"decade; your log_uniform puts {top_decade(values, high):.0%} there "
                          f"(one decade out of {high - low})")
