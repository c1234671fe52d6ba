"""The mini-batch loop of the lecture: sample a batch, backprop, update; with the slide's log line.

    Loop:
      1. Sample a batch of data
      2. Backprop to calculate the analytic gradient
      3. Perform a parameter update

A diverged run is a result, not an error: when the cost is NaN/inf or exceeds
explode_factor x the original cost, training stops with status "diverged".
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import checks
from .optim import get_update_rule


@dataclass
class TrainResult:
    """What a run produced. Lists grow while the run goes on, so callbacks can plot them live."""

    num_epochs: int
    iterations_per_epoch: int
    loss_history: list = field(default_factory=list)       # cost per iteration
    train_acc_history: list = field(default_factory=list)  # per epoch
    val_acc_history: list = field(default_factory=list)    # per epoch
    lr_history: list = field(default_factory=list)         # learning rate used in each epoch
    update_ratio_history: dict = field(default_factory=dict)  # {"W1": [per iteration], ...}
    status: str = "running"        # "finished", "diverged" or "stopped"
    iteration: int = 0             # updates done so far
    epoch: int = 0                 # epochs finished so far
    diverged_at: int | None = None  # iteration (1-based) whose cost tripped the explosion rule
    message: str = ""
    best_val_acc: float = -1.0
    best_params: dict | None = None
    seconds: float = 0.0

    @property
    def diverged(self):
        return self.status == "diverged"

    @property
    def original_cost(self):
        return self.loss_history[0] if self.loss_history else float("nan")


def epoch_line(epoch, num_epochs, cost, train_acc, val_acc, lr):
    """The slide's line: 'Finished epoch 1 / 10: cost 2.302603, train: 0.400000, val 0.400000, lr 1.000000e-03'."""
    return (f"Finished epoch {epoch} / {num_epochs}: cost {cost:f}, train: {train_acc:f}, "
            f"val {val_acc:f}, lr {lr:e}")


def stop_requested(stop):
    """True when stop (a threading.Event, or a function returning True) asks a run to end."""
    if stop is None:
        return False
    return stop.is_set() if hasattr(stop, "is_set") else bool(stop())


def train(net, X_train, y_train, X_val, y_val, *, num_epochs=10, batch_size=100, sample_batches=True,
          update="sgd", learning_rate=1e-3, learning_rate_decay=1.0, reg=None, p_keep=None,
          update_config=None, explode_factor=3.0, num_train_samples=1000, track_ratios=True,
          verbose=False, print_fn=print, rng=0, on_iteration=None, on_epoch=None, stop=None,
          lr_schedule=None):
    """Train `net` (a core.net.FullyConnectedNet) in place and return a TrainResult.

    X_train: (N, D), y_train: (N,), X_val: (M, D), y_val: (M,).
    num_epochs: passes over the training set. batch_size: examples per update, in [1, N].
    sample_batches: True samples batches at random (mini-batch SGD, N // batch_size updates per
    epoch); False uses all N examples for one update per epoch (full-batch gradient descent).
    update: a name in core.optim.UPDATE_RULES; update_config: its other hyperparameters
    (e.g. {"momentum": 0.9}). learning_rate_decay: lr *= decay after every epoch.
    reg, p_keep: when given, set on the net before training. explode_factor: stop as diverged
    when cost is NaN/inf or > explode_factor x the original cost (None: never stop, so NaN costs
    are logged epoch after epoch as on the slide's learning-rate-1e6 run).
    num_train_samples: training accuracy is measured on at most this many training examples.
    verbose: print the slide's line after every epoch through print_fn.
    on_iteration(result), on_epoch(result): called after every update / epoch.
    stop: a threading.Event (or a function returning True) that ends the run with status "stopped".
    lr_schedule: optional learning rates per epoch, a sequence of at least num_epochs positive numbers
    (e.g. core.schedules.schedule("step", 0.5, num_epochs)); epoch e uses lr_schedule[e - 1], and
    learning_rate and learning_rate_decay are then not used.
    """
    X_train = checks.array("X_train", X_train, ndim=2)
    X_val = checks.array("X_val", X_val, ndim=2)
    D, C = net.sizes[0], net.sizes[-1]
    for name, X in (("X_train", X_train), ("X_val", X_val)):
        if X.shape[1] != D:
            raise ValueError(f"{name} has {X.shape[1]} features per example; the net expects {D}")
    n = X_train.shape[0]
    if n == 0 or X_val.shape[0] == 0:
        raise ValueError(f"X_train and X_val must hold at least one example, got {n} and {X_val.shape[0]}")
    y_train = checks.labels("y_train", y_train, C, n)
    y_val = checks.labels("y_val", y_val, C, X_val.shape[0])
    num_epochs = checks.integer("num_epochs", num_epochs, low=1)
    batch_size = checks.integer("batch_size", batch_size, low=1, high=n) if sample_batches else n
    learning_rate = checks.finite_positive("learning_rate", learning_rate)
    decay = checks.in_range("learning_rate_decay", learning_rate_decay, 0, 1, low_open=True)
    if lr_schedule is not None:
        lr_schedule = checks.array("lr_schedule", lr_schedule, ndim=1)
        if lr_schedule.size < num_epochs:
            raise ValueError(f"lr_schedule must hold at least num_epochs = {num_epochs} learning rates, "
                             f"got {lr_schedule.size}")
        lr_schedule = [checks.finite_positive(f"lr_schedule[{i}]", v) for i, v in enumerate(lr_schedule)]
        learning_rate, decay = lr_schedule[0], 1.0
    update_rule = get_update_rule(update)
    if explode_factor is not None:
        explode_factor = checks.in_range("explode_factor", explode_factor, 1, math.inf, high_open=True)
    num_train_samples = checks.integer("num_train_samples", num_train_samples, low=1)
    reg = None if reg is None else checks.non_negative("reg", reg)
    p_keep = None if p_keep is None else checks.in_range("p_keep", p_keep, 0, 1, low_open=True)
    rng = checks.rng("rng", rng)
    base_config = dict(update_config or {})
    base_config["learning_rate"] = learning_rate
    update_rule(np.zeros(1), np.zeros(1), dict(base_config))  # check its hyperparameters now
    if reg is not None:
        net.reg = reg
    if p_keep is not None:
        net.p_keep = p_keep

    X_train = X_train.astype(net.dtype, copy=False)
    X_val = X_val.astype(net.dtype, copy=False)
    iterations_per_epoch = max(n // batch_size, 1) if sample_batches else 1
    result = TrainResult(num_epochs=num_epochs, iterations_per_epoch=iterations_per_epoch)
    weight_names = [k for k in net.params if k.startswith("W")]
    if track_ratios:
        result.update_ratio_history = {k: [] for k in weight_names}
    configs = {k: dict(base_config) for k in net.params}
    lr = learning_rate
    start = time.perf_counter()

    def accuracy(X, y):
        return float(np.mean(np.argmax(net.forward(X, "test")[0], axis=1) == y))

    with np.errstate(all="ignore"):
        for epoch in range(1, num_epochs + 1):
            if lr_schedule is not None:
                lr = lr_schedule[epoch - 1]
            if sample_batches:
                batches = rng.integers(0, n, size=(iterations_per_epoch, batch_size))
            for it in range(iterations_per_epoch):
                if stop_requested(stop):
                    result.status, result.message = "stopped", f"stopped at iteration {result.iteration}"
                    break
                if sample_batches:
                    idx = batches[it]
                    cost, grads = net.loss_and_grads(X_train[idx], y_train[idx])
                else:
                    cost, grads = net.loss_and_grads(X_train, y_train)
                result.loss_history.append(cost)
                original = result.loss_history[0]
                exploded = explode_factor is not None and (
                    not math.isfinite(cost) or cost > explode_factor * original)
                if exploded:
                    result.diverged_at = result.iteration + 1
                    result.status = "diverged"
                    result.message = (f"diverged at iteration {result.diverged_at}: cost {cost:.3g}"
                                      + (f" > {explode_factor:g} x {original:.2f}" if math.isfinite(cost) else ""))
                    break
                for k, w in net.params.items():
                    configs[k]["learning_rate"] = lr
                    next_w, configs[k] = update_rule(w, grads[k], configs[k])
                    if track_ratios and k in result.update_ratio_history:
                        step = next_w - w  # ||step|| / ||w||, squared norms as one dot product each
                        w_squared = float(np.vdot(w, w))
                        ratio = math.sqrt(float(np.vdot(step, step)) / w_squared) if w_squared > 0 else math.inf
                        result.update_ratio_history[k].append(ratio)
                    net.params[k] = next_w.astype(net.dtype, copy=False)
                net.apply_max_norm()
                result.iteration += 1
                if on_iteration is not None:
                    on_iteration(result)
            if result.status != "running":
                break
            sub = rng.choice(n, num_train_samples, replace=False) if n > num_train_samples else slice(None)
            train_acc, val_acc = accuracy(X_train[sub], y_train[sub]), accuracy(X_val, y_val)
            result.train_acc_history.append(train_acc)
            result.val_acc_history.append(val_acc)
            result.lr_history.append(lr)
            result.epoch = epoch
            if val_acc > result.best_val_acc:
                result.best_val_acc, result.best_params = val_acc, net.copy_params()
            if verbose:
                print_fn(epoch_line(epoch, num_epochs, result.loss_history[-1], train_acc, val_acc, lr))
            if on_epoch is not None:
                on_epoch(result)
            lr *= decay
    if result.status == "running":
        result.status = "finished"
        result.message = f"finished optimization. best validation accuracy: {max(result.best_val_acc, 0):f}"
    result.seconds = time.perf_counter() - start
    if verbose:
        print_fn(result.message)
    return result
