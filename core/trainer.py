"""The mini-batch loop of the lecture: sample a batch, backprop, update; with the slide's log line.

    Loop:
      1. Sample a batch of data
      2. Backprop to calculate the analytic gradient
      3. Perform a parameter update

A diverged run is a result, not an error: when the cost is NaN/inf or exceeds
explode_factor x the original cost, training stops with status "diverged".

train() checks every argument once and turns the learning rate into one rate per iteration
(core.schedules); loop() is the loop itself, which trusts them: its hot path calls the net's and
the update rule's unchecked internals (net.loss_and_grads, core.optim's steps).
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import checks, optim, schedules


@dataclass
class TrainResult:
    """What a run produced. Lists grow while the run goes on, so callbacks can plot them live."""

    num_epochs: int
    iterations_per_epoch: int
    loss_history: list = field(default_factory=list)       # cost per iteration
    train_acc_history: list = field(default_factory=list)  # per epoch
    val_acc_history: list = field(default_factory=list)    # per epoch
    lr_history: list = field(default_factory=list)         # learning rate of each epoch (its last iteration)
    update_ratio_history: dict = field(default_factory=dict)  # {"W1": [per iteration], ...} (track_ratios)
    last_updates: dict = field(default_factory=dict)       # {"W1": next W1 - W1 of the last update} (track_ratios)
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

    def epoch_costs(self):
        """The mean cost of each finished epoch: (epochs,)."""
        cost = np.asarray(self.loss_history[: self.epoch * self.iterations_per_epoch], dtype=float)
        return cost.reshape(self.epoch, self.iterations_per_epoch).mean(axis=1) if self.epoch else cost

    def final_cost(self, last=None):
        """The mean cost over the last `last` iterations (None: the last epoch's); NaN when diverged."""
        if self.diverged or not self.loss_history:
            return float("nan")
        return float(np.mean(self.loss_history[-(last or self.iterations_per_epoch):]))


def epoch_line(epoch, num_epochs, cost, train_acc, val_acc, lr):
    """The slide's line: 'Finished epoch 1 / 10: cost 2.302603, train: 0.400000, val 0.400000, lr 1.000000e-03'."""
    return (f"Finished epoch {epoch} / {num_epochs}: cost {cost:f}, train: {train_acc:f}, "
            f"val {val_acc:f}, lr {lr:e}")


def stop_requested(stop):
    """True when stop (a threading.Event, or a function returning True) asks a run to end."""
    if stop is None:
        return False
    return stop.is_set() if hasattr(stop, "is_set") else bool(stop())


@dataclass(frozen=True)
class Settings:
    """Everything the loop needs besides the net, the data and the rng: train() checks its arguments
    once and builds this; loop() trusts it."""

    num_epochs: int
    iterations_per_epoch: int
    batch_size: int | None          # examples per update; None: every example (full-batch descent)
    rates: list                     # the learning rate of every iteration (the schedule, evaluated)
    step: object                    # the update rule's step, step(w, dw, config) -> (next_w, config)
    update_config: dict             # its checked config; each parameter gets a copy
    explode_factor: float | None
    num_train_samples: int
    track_ratios: bool
    log: object = None              # print_fn when verbose, else None
    on_iteration: object = None
    on_epoch: object = None
    stop: object = None


def check_data(net, X_train, y_train, X_val, y_val):
    """The four arrays checked against the net (D features, labels in [0, C)), X as the net's dtype."""
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
    return X_train.astype(net.dtype, copy=False), y_train, X_val.astype(net.dtype, copy=False), y_val


def train(net, X_train, y_train, X_val, y_val, *, num_epochs=10, batch_size=100, sample_batches=True,
          update="sgd", learning_rate=1e-3, learning_rate_decay=1.0, update_config=None, reg=None,
          explode_factor=3.0, num_train_samples=1000, track_ratios=False, verbose=False, print_fn=print,
          rng=0, on_iteration=None, on_epoch=None, stop=None):
    """Train `net` (a core.net.FullyConnectedNet) in place and return a TrainResult.

    X_train: (N, D), y_train: (N,), X_val: (M, D), y_val: (M,).
    num_epochs: passes over the training set. batch_size: examples per update, in [1, N].
    sample_batches: True samples batches at random (mini-batch SGD, N // batch_size updates per
    epoch); False uses all N examples for one update per epoch (full-batch gradient descent).
    update: a name in core.optim.UPDATE_RULES; update_config: its other hyperparameters
    (e.g. {"momentum": 0.9}).
    learning_rate: a number, with learning_rate_decay the slide's `lr *= decay` after every epoch
    (1: constant); or a list of rates, one per epoch; or a core.schedules.Schedule, a function of
    the epoch or of the iteration (schedules.get("step", 0.5, drop=0.5), ...).
    reg: when given, set on the net before training. explode_factor: stop as diverged when cost is
    NaN/inf or > explode_factor x the original cost (None: never stop, so NaN costs are logged
    epoch after epoch as on the slide's learning-rate-1e6 run).
    num_train_samples: training accuracy is measured on at most this many training examples.
    track_ratios: record ||update|| / ||W|| of every weight matrix at every iteration (and the last
    update itself); off by default, as it costs two extra passes over every weight per update.
    verbose: print the slide's line after every epoch through print_fn.
    on_iteration(result), on_epoch(result): called after every update / epoch.
    stop: a threading.Event (or a function returning True) that ends the run with status "stopped".
    Every argument is checked here, once, before the net changes; the loop (loop()) trusts them.
    """
    X_train, y_train, X_val, y_val = check_data(net, X_train, y_train, X_val, y_val)
    n = X_train.shape[0]
    num_epochs = checks.integer("num_epochs", num_epochs, low=1)
    batch_size = checks.integer("batch_size", batch_size, low=1, high=n) if sample_batches else None
    iterations_per_epoch = max(n // batch_size, 1) if sample_batches else 1
    schedule = schedules.as_schedule(learning_rate, learning_rate_decay)
    if schedule.per == "iteration":
        rates = schedule.values(num_epochs * iterations_per_epoch)
    else:
        rates = [rate for rate in schedule.values(num_epochs) for _ in range(iterations_per_epoch)]
    step, config = optim.prepare(update, {**(update_config or {}), "learning_rate": rates[0]})
    if explode_factor is not None:
        explode_factor = checks.in_range("explode_factor", explode_factor, 1, math.inf, high_open=True)
    settings = Settings(num_epochs, iterations_per_epoch, batch_size, rates, step, config, explode_factor,
                        checks.integer("num_train_samples", num_train_samples, low=1), bool(track_ratios),
                        print_fn if verbose else None, on_iteration, on_epoch, stop)
    rng = checks.rng("rng", rng)
    if reg is not None:
        net.reg = checks.non_negative("reg", reg)
    return loop(net, X_train, y_train, X_val, y_val, settings, rng)


def loop(net, X_train, y_train, X_val, y_val, s, rng):
    """The lecture's loop over checked data (check_data) and Settings s; returns a TrainResult."""
    n = X_train.shape[0]
    result = TrainResult(num_epochs=s.num_epochs, iterations_per_epoch=s.iterations_per_epoch)
    if s.track_ratios:
        result.update_ratio_history = {k: [] for k in net.params if k.startswith("W")}
    configs = {k: dict(s.update_config) for k in net.params}
    start = time.perf_counter()

    def accuracy(X, y):  # = np.mean(predictions == y), exactly, and faster
        return np.count_nonzero(np.argmax(net.forward(X, "test")[0], axis=1) == y) / y.shape[0]

    with np.errstate(all="ignore"):
        for epoch in range(1, s.num_epochs + 1):
            if s.batch_size is not None:  # 1. sample the epoch's batches
                batches = rng.integers(0, n, size=(s.iterations_per_epoch, s.batch_size))
            for it in range(s.iterations_per_epoch):
                if stop_requested(s.stop):
                    result.status, result.message = "stopped", f"stopped at iteration {result.iteration}"
                    break
                if s.batch_size is not None:  # 2. backprop to calculate the analytic gradient
                    idx = batches[it]  # X.take(idx, axis=0) is X[idx], copied 2x faster
                    cost, grads = net.loss_and_grads(X_train.take(idx, axis=0), y_train.take(idx))
                else:
                    cost, grads = net.loss_and_grads(X_train, y_train)
                result.loss_history.append(cost)
                original = result.loss_history[0]
                if s.explode_factor is not None and (not math.isfinite(cost) or cost > s.explode_factor * original):
                    result.diverged_at = result.iteration + 1
                    result.status = "diverged"
                    result.message = (f"diverged at iteration {result.diverged_at}: cost {cost:.3g}"
                                      + (f" > {s.explode_factor:g} x {original:.2f}" if math.isfinite(cost) else ""))
                    break
                lr = s.rates[result.iteration]
                for k, w in net.params.items():  # 3. perform a parameter update
                    config = configs[k]
                    config["learning_rate"] = lr
                    next_w, configs[k] = s.step(w, grads[k], config)
                    if s.track_ratios and k in result.update_ratio_history:
                        step = next_w - w  # ||step|| / ||w||, squared norms as one dot product each
                        w_squared = float(np.vdot(w, w))
                        ratio = math.sqrt(float(np.vdot(step, step)) / w_squared) if w_squared > 0 else math.inf
                        result.update_ratio_history[k].append(ratio)
                        result.last_updates[k] = step
                    net.params[k] = next_w.astype(net.dtype, copy=False)
                net.apply_max_norm()
                result.iteration += 1
                if s.on_iteration is not None:
                    s.on_iteration(result)
            if result.status != "running":
                break
            if n > s.num_train_samples:  # training accuracy on a random subset
                sub = rng.choice(n, s.num_train_samples, replace=False)
                train_acc = accuracy(X_train.take(sub, axis=0), y_train.take(sub))
            else:
                train_acc = accuracy(X_train, y_train)
            val_acc = accuracy(X_val, y_val)
            result.train_acc_history.append(train_acc)
            result.val_acc_history.append(val_acc)
            result.lr_history.append(lr)
            result.epoch = epoch
            if val_acc > result.best_val_acc:
                result.best_val_acc, result.best_params = val_acc, net.copy_params()
            if s.log is not None:
                s.log(epoch_line(epoch, s.num_epochs, result.loss_history[-1], train_acc, val_acc, lr))
            if s.on_epoch is not None:
                s.on_epoch(result)
    if result.status == "running":
        result.status = "finished"
        result.message = f"finished optimization. best validation accuracy: {max(result.best_val_acc, 0):f}"
    result.seconds = time.perf_counter() - start
    if s.log is not None:
        s.log(result.message)
    return result
