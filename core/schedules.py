"""Learning-rate schedules as small pure functions of the epoch (or iteration) t.

The slide: "Decrease the learning rate over time (people use 1/t, exp(-t), or steps);
simplest: learning_rate *= 0.97 every epoch".
"""
import inspect

import numpy as np

from . import checks


def constant(lr0, t):
    """lr0 at every t."""
    return lr0


def step(lr0, t, drop=0.5, every=5):
    """Multiply by `drop` every `every` epochs: lr0 * drop ** floor(t / every)."""
    return lr0 * drop ** (t // every)


def exponential(lr0, t, k=0.1):
    """lr0 * exp(-k t)."""
    return lr0 * np.exp(-k * t)


def inverse_time(lr0, t, k=0.1):
    """The 1/t schedule: lr0 / (1 + k t)."""
    return lr0 / (1 + k * t)


def per_epoch_decay(lr0, t, decay=0.97):
    """The slide's `learning_rate *= 0.97` every epoch: lr0 * decay ** t."""
    return lr0 * decay ** t


SCHEDULES = {
    "constant": constant,
    "step": step,
    "exponential": exponential,
    "1/t": inverse_time,
    "decay": per_epoch_decay,
}


def schedule(name, lr0, num_epochs, **kwargs):
    """The learning rate at epochs 0 .. num_epochs - 1 under schedule `name`, as a float array."""
    checks.choice("schedule", name, SCHEDULES)
    lr0 = checks.finite_positive("learning_rate", lr0)
    num_epochs = checks.integer("num_epochs", num_epochs, low=1)
    f = SCHEDULES[name]
    known = list(inspect.signature(f).parameters)[2:]  # after (lr0, t)
    for key, value in kwargs.items():
        if key not in known:
            raise ValueError(f"schedule {name!r} takes {known or 'no options'}, got {key}={value!r}")
        if key == "every":
            checks.integer(key, value, low=1)
        elif key in ("drop", "decay"):
            checks.in_range(key, value, 0, 1, low_open=True)
        else:
            checks.non_negative(key, value)
    return np.array([f(lr0, t, **kwargs) for t in range(num_epochs)], dtype=np.float64)
