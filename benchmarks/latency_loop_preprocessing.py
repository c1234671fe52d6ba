"""Latency cases for notebooks 00-02: data browser, chain rule, mini-batch paths, preprocessing
(see bench_latency.py)."""

import numpy as np

import core
from widgets.data_browser import DataBrowser
from widgets.preprocessing import PreprocessingExplorer, PreprocessingSpeedExplorer
from widgets.training_loop import ChainRuleExplorer, MiniBatchExplorer


def digits():
    return core.data.load_digits(rng=0)


CASES = [
    ("00 data browser", lambda: DataBrowser(digits()), "index", list(range(0, 1197, 37))),
    ("01 chain rule circuit", ChainRuleExplorer, "x", list(np.arange(-5, 5.5, 0.5))),
    ("01 mini-batch paths (batch size)", MiniBatchExplorer, "batch_size", [1, 2, 5, 10, 20, 50, 100]),
    ("01 mini-batch paths (learning rate)", MiniBatchExplorer, "learning_rate", list(np.logspace(-2, 0.1, 12))),
    ("02 preprocessing cloud (correlation, 500 points)", PreprocessingExplorer, "correlation",
     list(np.round(np.arange(-0.9, 0.95, 0.15), 2))),
    ("02 preprocessing cloud (points up to 2000)", PreprocessingExplorer, "num_points", [100, 500, 1000, 2000]),
    ("02 preprocessing speed (retrains raw + chosen, 10 epochs x 1000 digits)",
     lambda: PreprocessingSpeedExplorer(digits()), "learning_rate", list(np.logspace(-1, 0.5, 12))),
]
