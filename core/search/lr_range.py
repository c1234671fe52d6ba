"""The learning-rate range test: one run whose learning rate grows exponentially every iteration,
loss against learning rate, stopped by the explosion rule. Where the loss starts to fall and where
it explodes bracket the range worth searching.

Lives in core.search.lr_range; until the issue-11 split, core/search.py held all of core.search.
"""
import math
import threading
from dataclasses import dataclass

import numpy as np

from .. import checks
from ..schedules import Schedule, exponential_range
from ..trainer import train
from .space import full_config
from .trial import build_net, momentum_config


@dataclass
class LRRangeResult:
    """One run whose learning rate grows exponentially per iteration (a list entry per iteration)."""

    learning_rates: list
    losses: list
    status: str                 # "diverged" (explosion rule) or "finished" (reached lr_end)
    diverged_at: int | None

    @property
    def best_learning_rate(self):
        """The learning rate where the smoothed loss is lowest (a value ~3-10x below it is a safe start)."""
        losses = np.asarray(self.losses, dtype=float)
        if losses.size == 0:
            return float("nan")
        k = min(5, losses.size)
        smooth = np.convolve(losses, np.ones(k) / k, mode="valid")
        return float(self.learning_rates[int(np.argmin(smooth)) + k // 2])


def lr_range_test(data, config=None, lr_start=1e-6, lr_end=10.0, num_iterations=200, explode_factor=3.0,
                  seed=0):
    """Train once with learning_rate = lr_start * (lr_end / lr_start)**(i / (num_iterations - 1)) at
    iteration i, and stop by the explosion rule (cost > explode_factor x the first cost, or NaN).

    data: dict X_train (N, D), y_train (N,), X_val, y_val. config: the other hyperparameters
    (DEFAULTS otherwise; learning_rate_decay is not used). Returns an LRRangeResult: loss against
    learning rate, to be plotted with a log x axis. The run is core.train with a per-iteration
    schedule (core.schedules.exponential_range), stopped after num_iterations updates.
    """
    rates = exponential_range(lr_start, lr_end, num_iterations)
    last = num_iterations - 1
    held = Schedule(lambda t: rates(min(t, last)), per="iteration")  # the run stops after num_iterations
    explode_factor = checks.in_range("explode_factor", explode_factor, 1, math.inf, high_open=True)
    c = full_config(dict(config or {}))
    rng = np.random.default_rng(seed)
    net = build_net(data, c, rng)
    n = np.shape(data["X_train"])[0]
    batch_size = min(int(c["batch_size"]), n)
    enough = threading.Event()  # set after num_iterations updates: the run ends there

    def count(result):
        if result.iteration >= num_iterations:
            enough.set()

    run = train(net, data["X_train"], data["y_train"], data["X_val"], data["y_val"],
                num_epochs=math.ceil(num_iterations / max(n // batch_size, 1)), batch_size=batch_size,
                update=c["update"], update_config=momentum_config(c), learning_rate=held,
                explode_factor=explode_factor, num_train_samples=n,  # n: no draw for the accuracy passes
                track_ratios=False, rng=rng, on_iteration=count, stop=enough)
    losses = [float(cost) for cost in run.loss_history if math.isfinite(cost)]
    return LRRangeResult([float(rates(t)) for t in range(len(losses))], losses,
                         "diverged" if run.diverged else "finished", run.diverged_at)
