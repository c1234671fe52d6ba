"""Latency cases for the capacity playground and the sanity-check explorers (see bench_latency.py)."""
import numpy as np

import core
from widgets.capacity import CapacityExplorer
from widgets.sanity import InitialLossExplorer, OverfitExplorer


def digits():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


CASES = [
    ("03 capacity (retrains 150 full-batch iterations, 300 points)", lambda: CapacityExplorer(),
     "hidden_size", [3, 6, 10, 20, 30, 50]),
    ("03 capacity", lambda: CapacityExplorer(), "reg", list(np.logspace(-5, -1, 9))),
    ("04 initial loss (5 seeds x 500 digits)", lambda: InitialLossExplorer(digits()), "init_scale",
     list(np.logspace(-4, 0, 9))),
    ("04 initial loss", lambda: InitialLossExplorer(digits()), "reg", list(np.logspace(-6, 3, 10))),
    ("04 overfit (200 full-batch epochs on n examples)", lambda: OverfitExplorer(digits()), "num_examples",
     [5, 10, 20, 40, 80, 120, 200]),
    ("04 overfit", lambda: OverfitExplorer(digits()), "reg", list(np.logspace(-6, 1, 8))),
]
