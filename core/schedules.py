"""Learning-rate schedules: the learning rate as a small pure function of the step.

The slide: "Decrease the learning rate over time (people use 1/t, exp(-t), or steps);
simplest: learning_rate *= 0.97 every epoch".

A Schedule is rate(t) for t = 0, 1, 2, ..., counted in epochs (one rate for a whole epoch) or in
iterations (one per update, like nanoGPT's get_lr(it)). A constant learning rate, the slide's
per-epoch decay, step / exp / 1/t, a list of per-epoch rates and the range test's exponential
growth per iteration are all Schedules, and core.train takes any of them as its learning_rate.
"""
import inspect
from dataclasses import dataclass
from functools import partial

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
PER = ("epoch", "iteration")


@dataclass(frozen=True)
class Schedule:
    """The learning rate as a pure function of the step: rate(t), t = 0, 1, 2, ...

    per: "epoch" (t counts finished epochs) or "iteration" (t counts updates). num_steps: how many
    steps it defines (None: every t), for a list of rates.
    """

    rate: object
    per: str = "epoch"
    num_steps: int | None = None

    def __call__(self, t):
        return self.rate(t)

    def values(self, num_steps):
        """The first num_steps rates as floats, each checked to be a finite number > 0."""
        if self.num_steps is not None and self.num_steps < num_steps:
            raise ValueError(f"learning_rate holds {self.num_steps} rates (one per {self.per}); the run needs "
                             f"at least {num_steps}")
        return [checks.finite_positive(f"learning_rate at {self.per} {t}", self.rate(t)) for t in range(num_steps)]


def _options(name, kwargs):
    """kwargs checked against the options of schedule `name` (those after (lr0, t))."""
    known = list(inspect.signature(SCHEDULES[name]).parameters)[2:]
    for key, value in kwargs.items():
        if key not in known:
            raise ValueError(f"schedule {name!r} takes {known or 'no options'}, got {key}={value!r}")
        if key == "every":
            checks.integer(key, value, low=1)
        elif key in ("drop", "decay"):
            checks.in_range(key, value, 0, 1, low_open=True)
        else:
            checks.non_negative(key, value)
    return kwargs


def get(name, lr0, per="epoch", **kwargs):
    """The Schedule `name` (a key of SCHEDULES) starting at lr0, with its options (drop, every, k, decay)."""
    checks.choice("schedule", name, SCHEDULES)
    lr0 = checks.finite_positive("learning_rate", lr0)
    checks.choice("per", per, PER)
    return Schedule(partial(SCHEDULES[name], lr0, **_options(name, kwargs)), per)


def from_values(values, per="epoch"):
    """A Schedule that reads its rates from a list: values[t] at step t (each a finite number > 0)."""
    values = [checks.finite_positive(f"learning_rate[{i}]", v) for i, v in enumerate(values)]
    checks.choice("per", per, PER)
    return Schedule(values.__getitem__, per, len(values))


def as_schedule(learning_rate, learning_rate_decay=1.0):
    """The Schedule core.train follows: a Schedule as it is; a list of rates (one per epoch); or a
    number lr0 with the slide's learning_rate_decay: lr0 * decay ** epoch (1: constant)."""
    decay = checks.in_range("learning_rate_decay", learning_rate_decay, 0, 1, low_open=True)
    if isinstance(learning_rate, Schedule) or np.ndim(learning_rate) == 1:
        if decay != 1:
            raise ValueError(f"learning_rate_decay = {learning_rate_decay!r} goes with a number as learning_rate; "
                             "a schedule already says how the rate changes")
        return learning_rate if isinstance(learning_rate, Schedule) else from_values(learning_rate)
    lr0 = checks.finite_positive("learning_rate", learning_rate)
    return Schedule(partial(per_epoch_decay, lr0, decay=decay) if decay != 1 else partial(constant, lr0))


def exponential_range(lr_start, lr_end, num_iterations):
    """The range test's schedule: lr_start * (lr_end / lr_start) ** (t / (num_iterations - 1)) at
    iteration t, from lr_start to lr_end in num_iterations steps."""
    lr_start = checks.finite_positive("lr_start", lr_start)
    lr_end = checks.finite_positive("lr_end", lr_end)
    if lr_start >= lr_end:
        raise ValueError(f"lr_start must be < lr_end, got lr_start={lr_start!r}, lr_end={lr_end!r}")
    num_iterations = checks.integer("num_iterations", num_iterations, low=2)
    rates = lr_start * (lr_end / lr_start) ** (np.arange(num_iterations) / (num_iterations - 1))
    return from_values(rates, per="iteration")


def schedule(name, lr0, num_epochs, **kwargs):
    """The learning rate at epochs 0 .. num_epochs - 1 under schedule `name`, as a float array."""
    lr_at = get(name, lr0, **kwargs)
    num_epochs = checks.integer("num_epochs", num_epochs, low=1)
    return np.array([lr_at(t) for t in range(num_epochs)], dtype=np.float64)
