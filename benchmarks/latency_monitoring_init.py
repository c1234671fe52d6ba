"""Latency cases for the monitoring (07) and initialization (08) explorers (see bench_latency.py)."""
import numpy as np

import core
from widgets.initialization import InitializationExplorer
from widgets.monitoring import FirstLayerWeightsExplorer, GapExplorer, LossCurveExplorer, UpdateRatioExplorer


def digits():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


CASES = [
    ("07 loss curve (retrains 10 epochs x 1000 digits)", lambda: LossCurveExplorer(digits()), "learning_rate",
     list(np.logspace(-2, 0.3, 12))),
    ("07 loss curve: init scale", lambda: LossCurveExplorer(digits()), "init_scale", list(np.logspace(-5, 0, 12))),
    ("07 train/val gap (retrains ~120 updates)", lambda: GapExplorer(digits()), "reg", list(np.logspace(-5, 0, 12))),
    ("07 train/val gap: hidden units", lambda: GapExplorer(digits()), "hidden_size", [1, 5, 20, 50, 200]),
    ("07 update/weight ratio (retrains 10 epochs, 3 layers)", lambda: UpdateRatioExplorer(digits()),
     "learning_rate", list(np.logspace(-3, 0.3, 12))),
    ("07 first-layer weights (retrains 20 epochs x 1197)", lambda: FirstLayerWeightsExplorer(digits()), "reg",
     list(np.logspace(-5, 0, 12))),
    ("08 initialization 10 x 500, N=100: init scale", lambda: InitializationExplorer(), "init_scale",
     list(np.logspace(-3, 1, 12))),
    ("08 initialization 10 x 500, N=100: init", lambda: InitializationExplorer(), "init",
     ["gaussian", "xavier", "he"]),
    ("08 initialization 10 x 500, N=100: activation", lambda: InitializationExplorer(), "activation",
     ["tanh", "relu"]),
]
