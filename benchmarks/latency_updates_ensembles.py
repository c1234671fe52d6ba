"""Latency cases for the update-rule, schedule and ensemble explorers (see bench_latency.py).

"background" cases time what the person waits for after a slider move: the figure is redrawn (the
schedules panel at once) and training restarts behind a progress bar; the curves stream in later.
"synchronous" cases time the whole retrain + redraw, for comparison.
"""
import numpy as np

import core
from widgets.ensembles import EnsembleExplorer
from widgets.updates import ScheduleExplorer, UpdateRaceExplorer, UpdateRulesDigitsExplorer

_DATA = {}


def digits():
    if "digits" not in _DATA:
        _DATA["digits"] = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    return _DATA["digits"]


def make_ensemble():
    explorer = EnsembleExplorer(digits(), background=False)
    for kind in ("hyperparameters", "checkpoints", "seeds"):  # train every kind once: the sliders select
        explorer.kind.value = kind
    return explorer


CASES = [
    ("11 update race (6 rules x 100 steps, 2-D valley)", UpdateRaceExplorer, "learning_rate",
     list(np.logspace(-2, 0.2, 12))),
    ("11 update race (6 rules x 100 steps, 2-D valley)", UpdateRaceExplorer, "start_x",
     list(np.linspace(-9.5, -2.0, 12))),
    ("11 update race: switch surface (contours redrawn)", UpdateRaceExplorer, "surface",
     ["rosenbrock", "saddle", "narrow valley"]),
    ("11 rules on digits, background (6 x 10 epochs stream)", lambda: UpdateRulesDigitsExplorer(digits()),
     "lr_multiplier", list(np.logspace(-1, 1, 12))),
    ("11 rules on digits, synchronous (6 x 10 epochs)",
     lambda: UpdateRulesDigitsExplorer(digits(), background=False), "lr_multiplier", list(np.logspace(-1, 1, 12))),
    ("11 schedules, background (5 x 20 epochs stream)", lambda: ScheduleExplorer(digits()), "learning_rate",
     list(np.logspace(-2, -0.3, 12))),
    ("11 schedules, synchronous (5 x 20 epochs)", lambda: ScheduleExplorer(digits(), background=False),
     "learning_rate", list(np.logspace(-2, -0.3, 12))),
    ("12 ensemble: number of models (cached members)", make_ensemble, "num_models", list(range(1, 11))),
    ("12 ensemble: kind (cached members)", make_ensemble, "kind", ["seeds", "hyperparameters", "checkpoints"]),
]
