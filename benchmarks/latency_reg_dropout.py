"""Latency cases for the regularization and dropout explorers (see bench_latency.py)."""
import numpy as np

import core
from widgets.dropout import DropoutEnsembleExplorer, DropoutOverfitExplorer, DropoutScalingExplorer
from widgets.regularization import RegularizationExplorer


def digits():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


def max_norm_explorer():
    explorer = RegularizationExplorer(digits())
    explorer.apply(kind="max_norm")
    return explorer


CASES = [
    (
        "09 regularization (retrains 30 epochs x 200 digits)",
        lambda: RegularizationExplorer(digits()),
        "strength",
        list(np.logspace(-4, -1, 10)),
    ),
    ("09 regularization, max-norm c", max_norm_explorer, "max_norm", list(np.logspace(-0.5, 0.5, 10))),
    ("10 dropout scaling (Monte Carlo)", lambda: DropoutScalingExplorer(), "p_keep", list(np.arange(0.1, 1.0, 0.1))),
    (
        "10 dropout scaling (Monte Carlo)",
        lambda: DropoutScalingExplorer(),
        "num_samples",
        [10, 100, 1000, 10000, 100000],
    ),
    (
        "10 dropout ensemble (K masks, cached net)",
        lambda: DropoutEnsembleExplorer(digits()),
        "num_masks",
        [1, 2, 5, 10, 20, 50, 100, 200],
    ),
    (
        "10 dropout overfit (retrains 40 epochs x 200 digits)",
        lambda: DropoutOverfitExplorer(digits()),
        "p_keep",
        list(np.arange(0.2, 1.0, 0.1)),
    ),
]
