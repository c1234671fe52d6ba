"""The learning-rate range test: one run whose learning rate grows exponentially every iteration,
loss against learning rate, stopped by the explosion rule. Where the loss starts to fall and where
it explodes bracket the range worth searching."""
import math
from dataclasses import dataclass

import numpy as np

from .. import checks
from ..optim import UPDATE_RULES
from .space import full_config
from .trial import build_net


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
    learning rate, to be plotted with a log x axis.
    """
    lr_start = checks.finite_positive("lr_start", lr_start)
    lr_end = checks.finite_positive("lr_end", lr_end)
    if lr_start >= lr_end:
        raise ValueError(f"lr_start must be < lr_end, got lr_start={lr_start!r}, lr_end={lr_end!r}")
    num_iterations = checks.integer("num_iterations", num_iterations, low=2)
    explode_factor = checks.in_range("explode_factor", explode_factor, 1, math.inf, high_open=True)
    config = dict(config or {})
    rates = lr_start * (lr_end / lr_start) ** (np.arange(num_iterations) / (num_iterations - 1))
    result = LRRangeResult([], [], "finished", None)
    # core.train keeps one learning rate per epoch, so this loop is written out: sample, backprop,
    # update with this iteration's learning rate.
    c = full_config(config)
    rng = np.random.default_rng(seed)
    net = build_net(data, c, rng)
    X, y = np.asarray(data["X_train"], dtype=net.dtype), np.asarray(data["y_train"])
    update = UPDATE_RULES[checks.choice("update", c["update"], UPDATE_RULES)]
    base = {"momentum": c["momentum"]} if c["update"] in ("momentum", "nesterov") else {}
    configs = {k: dict(base) for k in net.params}
    batch_size = min(int(c["batch_size"]), X.shape[0])
    with np.errstate(all="ignore"):
        for i, lr in enumerate(rates):
            idx = rng.integers(0, X.shape[0], batch_size)
            cost, grads = net.loss_and_grads(X[idx], y[idx])
            if not math.isfinite(cost) or (result.losses and cost > explode_factor * result.losses[0]):
                result.status, result.diverged_at = "diverged", i + 1
                if math.isfinite(cost):
                    result.learning_rates.append(float(lr))
                    result.losses.append(float(cost))
                break
            result.learning_rates.append(float(lr))
            result.losses.append(float(cost))
            for k, w in net.params.items():
                configs[k]["learning_rate"] = float(lr)
                next_w, configs[k] = update(w, grads[k], configs[k])
                net.params[k] = next_w.astype(net.dtype, copy=False)
    return result
