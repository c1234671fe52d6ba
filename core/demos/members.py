"""One ensemble member at a time: for a view that trains the members of an ensemble as separate jobs, keeps
the finished ones and, after a stop, carries on with the missing ones (widgets/ensembles.py).

The members of the kinds "seeds" and "hyperparameters" are independent runs (core.demos.ensemble.member_settings
gives each its settings); train_member trains one exactly as core.demos.ensemble.train_members does, and
join puts members together. The members of "checkpoints" come from one run: train_members trains them.
"""
import numpy as np

from .. import checks
from ..data import num_classes
from ..layers import softmax
from ..net import FullyConnectedNet
from ..trainer import train


def train_member(data, setting, kind="seeds", num_epochs=10, num_train=None, batch_size=100, update="momentum",
                 stop=None):
    """Train the member of `setting` (one of core.demos.ensemble.member_settings(kind, ...)) and predict with it.

    data: dict with X_train (N, D), y_train, X_val (M, D), y_val, optionally X_test, y_test. num_train:
    training examples used (None: all). update: a rule of core.optim (momentum 0.9 when "momentum" or
    "nesterov"). stop: a threading.Event. Returns core.demos.ensemble.train_members' dict for this one
    member (val_probs (1, M, C), test_probs (1, T, C) or None, settings, labels), or None when stopped.
    A diverged member knows nothing: its probabilities are uniform, 1 / C.
    """
    num_epochs = checks.integer("num_epochs", num_epochs, low=1)
    X, y = data["X_train"], data["y_train"]
    if num_train is not None:
        num_train = checks.integer("num_train", num_train, low=1)
        X, y = X[:num_train], y[:num_train]
    net = FullyConnectedNet.for_data(data, [setting["hidden_size"]], init_scale=1e-2, rng=setting["seed"])
    run = train(net, X, y, data["X_val"], data["y_val"], num_epochs=num_epochs, batch_size=min(batch_size, len(y)),
                update=update, update_config={"momentum": 0.9} if update in ("momentum", "nesterov") else None,
                learning_rate=setting["learning_rate"], reg=setting["reg"], track_ratios=False, rng=setting["seed"],
                stop=stop)
    if run.status == "stopped":
        return None
    label = (f"seed {setting['seed']}" if kind == "seeds" else
             f"lr {setting['learning_rate']:.2g}, reg {setting['reg']:.1g}, H {setting['hidden_size']}")

    def predict(X):
        scores = net.scores(X)
        if run.diverged or not np.isfinite(scores).all():
            return np.full((1, X.shape[0], num_classes(data)), 1.0 / num_classes(data))
        return softmax(scores)[None]

    return {"val_probs": predict(data["X_val"]), "test_probs": predict(data["X_test"]) if "X_test" in data else None,
            "settings": [setting], "labels": [label + " (diverged)" if run.diverged else label]}


def join(parts):
    """Members put together in order: train_members' dicts (of train_member or train_members) as one, with
    val_probs (K, M, C) and test_probs (K, T, C) or None; None when parts is empty."""
    if not parts:
        return None
    stack = lambda name: None if parts[0][name] is None else np.concatenate([p[name] for p in parts])
    return {"val_probs": stack("val_probs"), "test_probs": stack("test_probs"),
            "settings": [s for p in parts for s in p["settings"]], "labels": [b for p in parts for b in p["labels"]]}
