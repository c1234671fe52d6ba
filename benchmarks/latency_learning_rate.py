"""Latency cases for the learning-rate explorer (see bench_latency.py)."""
import numpy as np

import core
from widgets.learning_rate import LearningRateExplorer


def make():
    data = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    return LearningRateExplorer(data)


CASES = [("05 learning rate (retrains 10 epochs x 1000 digits)", make, "learning_rate",
          list(np.logspace(-3, 0.5, 12))),
         ("05 learning rate", make, "learning_rate_decay", [0.8, 0.85, 0.9, 0.95, 1.0])]
