"""One configuration: the net it describes, trained with core.train, summed up as a Trial.

Every configuration is trained with the slide's explosion tip ("if the cost is ever > 3 * original
cost, break out early"): such a run is a result with status "diverged", not an error.

Lives in core.search.trial; until the issue-11 split, core/search.py held all of core.search.
"""
import time
from dataclasses import dataclass

import numpy as np

from ..net import FullyConnectedNet
from ..trainer import train
from .space import full_config


@dataclass
class Trial:
    """One trained configuration: a row of the results table."""

    index: int                 # position in the drawn order (0-based): the slide's (index + 1 / total)
    config: dict               # the hyperparameters that were searched or fixed
    status: str                # "finished", "diverged" (explosion rule) or "stopped"
    final_cost: float          # the last mini-batch cost
    train_acc: float           # after the last finished epoch (nan if none finished)
    val_acc: float             # after the last finished epoch (nan if none finished)
    epochs: int                # epochs finished
    diverged_at: int | None    # iteration whose cost tripped the explosion rule
    seconds: float
    seed: int


def build_net(data, config, rng):
    """The FullyConnectedNet a configuration describes, sized for data (D inputs, C classes)."""
    c = full_config(config)
    hidden = list(c["hidden_size"]) if isinstance(c["hidden_size"], (tuple, list)) else [c["hidden_size"]]
    return FullyConnectedNet.for_data(data, hidden, activation=c["activation"], init=c["init"],
                                      init_scale=c["init_scale"], p_keep=None if c["p_keep"] >= 1 else c["p_keep"],
                                      reg=c["reg"], rng=rng)


def momentum_config(config):
    """The update rule's settings in a full config: {"momentum": mu} for momentum and Nesterov, else {}."""
    return {"momentum": config["momentum"]} if config["update"] in ("momentum", "nesterov") else {}


def train_config(data, config, num_epochs=5, seed=0, stop=None, verbose=False, print_fn=print,
                 explode_factor=3.0):
    """Build a FullyConnectedNet from config and train it on data with core.train.

    data: dict X_train (N, D), y_train (N,), X_val (M, D), y_val (M,). config: {hyperparameter: value}
    (missing ones from DEFAULTS). seed: an int seed (or a Generator) for the weights, dropout masks
    and batches. Returns (net, TrainResult).
    """
    c = full_config(config)
    rng = np.random.default_rng(seed)
    net = build_net(data, c, rng)
    result = train(net, data["X_train"], data["y_train"], data["X_val"], data["y_val"],
                   num_epochs=num_epochs, batch_size=min(int(c["batch_size"]), data["X_train"].shape[0]),
                   update=c["update"], update_config=momentum_config(c), learning_rate=c["learning_rate"],
                   learning_rate_decay=c["learning_rate_decay"], explode_factor=explode_factor,
                   track_ratios=False, rng=rng, stop=stop, verbose=verbose, print_fn=print_fn)
    return net, result


def run_trial(data, index, config, seed, num_epochs, explode_factor=3.0, stop=None):
    """Train one configuration and return its Trial (module-level, so process pools can pickle it)."""
    start = time.perf_counter()
    _, r = train_config(data, config, num_epochs=num_epochs, seed=seed, stop=stop, explode_factor=explode_factor)
    cost = float(r.loss_history[-1]) if r.loss_history else float("nan")
    train_acc = r.train_acc_history[-1] if r.train_acc_history else float("nan")
    val_acc = r.val_acc_history[-1] if r.val_acc_history else float("nan")
    return Trial(index, dict(config), r.status, cost, float(train_acc), float(val_acc), r.epoch,
                 r.diverged_at, time.perf_counter() - start, int(seed))
