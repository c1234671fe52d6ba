"""Log axes set up one way: major ticks on whole decades, no minor ticks, and labels in plain text.

Every tick label is text to lay out on every redraw, and matplotlib's default log labels (10^k in
mathtext) are the slowest text it draws; minor ticks add eight more per decade. So explorers put a
log axis on a diet with log_axis() instead of setting locators and formatters by hand.
"""
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

LABELS = {
    "plain": lambda v: f"{v:g}",                                                # 0.01, 1, 100
    "thousands": lambda v: f"{v / 1000:g}k" if v >= 1000 else f"{v:g}",         # 1, 10, 100, 1k, 10k
    "exponent": lambda v: f"{v:.0e}",                                           # 1e-03, 1e+02
    "short exponent": lambda v: f"{v:.0e}".replace("e+0", "e").replace("e-0", "e-"),  # 1e-3, 1e2
}


def log_axis(axis, every=1, numticks=None, labels=None):
    """Put axis (ax.xaxis or ax.yaxis) on a log scale with no minor ticks.

    every: a major tick every this many decades (2: 1e-4, 1e-2, 1, ...). numticks: at most about this
    many major ticks (None: matplotlib's choice). labels: a key of LABELS, or None to keep matplotlib's
    10^k labels.
    """
    getattr(axis.axes, f"set_{axis.axis_name}scale")("log")
    axis.set_major_locator(LogLocator(base=10.0 ** every, numticks=numticks))
    axis.set_minor_locator(NullLocator())
    if labels is not None:
        label = LABELS[labels]
        axis.set_major_formatter(FuncFormatter(lambda v, _: label(v)))
