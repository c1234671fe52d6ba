"""Model ensembles: "take several trained models and average their predictions".

Shapes: K models, N examples, C classes. A member's predictions are softmax probabilities (N, C);
an ensemble of K members holds them as one array (K, N, C) and predicts argmax of their mean.

Lives in core.demos.ensemble (notebook support, beside the lecture's path); until the issue-11 split
it was core/ensemble.py.
"""
import numpy as np

from .. import checks
from ..data import num_classes
from ..layers import softmax
from ..net import FullyConnectedNet
from ..trainer import train

KINDS = ("seeds", "hyperparameters", "checkpoints")


def _check_members(member_probs, y=None):
    member_probs = checks.array("member_probs", member_probs, ndim=3)
    if member_probs.shape[0] == 0:
        raise ValueError("member_probs must hold at least one model, got shape "
                         f"{member_probs.shape}")
    if y is not None:
        y = checks.labels("y", y, member_probs.shape[2], member_probs.shape[1])
    return member_probs, y


def average_probabilities(member_probs):
    """The ensemble's probabilities (N, C): the mean of the members' (K, N, C) probabilities."""
    member_probs, _ = _check_members(member_probs)
    return member_probs.mean(axis=0)


def member_accuracies(member_probs, y):
    """Accuracy of each member alone: (K,) from member_probs (K, N, C) and labels y (N,)."""
    member_probs, y = _check_members(member_probs, y)
    return (member_probs.argmax(axis=2) == y).mean(axis=1)


def accuracy_by_size(member_probs, y):
    """Accuracy of the ensemble of the first k members, for k = 1 .. K: (K,).

    Entry k - 1 averages member_probs[:k] (K, N, C) and compares its argmax with y (N,).
    """
    member_probs, y = _check_members(member_probs, y)
    running = np.cumsum(member_probs, axis=0)  # (K, N, C); the argmax of a sum is that of the mean
    return (running.argmax(axis=2) == y).mean(axis=1)


def summary(member_probs, y, k):
    """The numbers of an ensemble of the first k members (K, N, C) against labels y (N,).

    Returns member_accuracies (K,), accuracy_by_size (K,), mean_by_size (K,) (entry k - 1: the mean
    accuracy of members 1..k) and chosen: {"k", "mean_member", "best_member", "ensemble"} for the
    first k members (k is capped at K).
    """
    accs = member_accuracies(member_probs, y)
    curve = accuracy_by_size(member_probs, y)
    k = min(checks.integer("k", k, low=1), accs.size)
    return {"member_accuracies": accs, "accuracy_by_size": curve,
            "mean_by_size": np.cumsum(accs) / np.arange(1, accs.size + 1),
            "chosen": {"k": k, "mean_member": float(accs[:k].mean()), "best_member": float(accs[:k].max()),
                       "ensemble": float(curve[k - 1])}}


def log_loss(probs, y):
    """Mean cross-entropy -log p(correct class) of probabilities (N, C) against labels y (N,).

    Notes: by convexity of -log, the log loss of averaged probabilities is never above the mean of
    the members' log losses, so an ensemble's is at most its mean member's (often below the best).
    """
    probs = checks.array("probs", probs, ndim=2)
    y = checks.labels("y", y, probs.shape[1], probs.shape[0])
    return float(-np.mean(np.log(np.maximum(probs[np.arange(y.size), y], 1e-12))))


def member_settings(kind, num_models, rng=0, learning_rate=0.1, reg=1e-3, hidden_size=50):
    """The training settings of each member, a list of num_models dicts (seed, learning_rate, reg,
    hidden_size, checkpoint), for an ensemble of `kind`:

    "seeds": the same hyperparameters, a different seed (weights and batches) per member;
    "hyperparameters": learning rate x 10**U(-0.5, 0.5), reg 10**U(-4, -2) and hidden size in
    [20, 100] drawn per member (as a random search would);
    "checkpoints": one run; member i is its weights at the end of epoch num_epochs - i.
    """
    checks.choice("kind", kind, KINDS)
    num_models = checks.integer("num_models", num_models, low=1, high=100)
    rng = checks.rng("rng", rng)
    learning_rate = checks.finite_positive("learning_rate", learning_rate)
    reg = checks.non_negative("reg", reg)
    hidden_size = checks.integer("hidden_size", hidden_size, low=1)
    seeds = rng.integers(0, 2**31, size=num_models)
    settings = []
    for i in range(num_models):
        s = {"seed": int(seeds[i]), "learning_rate": learning_rate, "reg": reg,
             "hidden_size": hidden_size, "checkpoint": None}
        if kind == "hyperparameters":
            s.update(learning_rate=float(learning_rate * 10 ** rng.uniform(-0.5, 0.5)),
                     reg=float(10 ** rng.uniform(-4, -2)), hidden_size=int(rng.integers(20, 101)))
        elif kind == "checkpoints":
            s.update(seed=int(seeds[0]), checkpoint=i)
        settings.append(s)
    return settings


def train_members(data, kind="seeds", num_models=10, num_epochs=10, num_train=None, batch_size=100,
                  learning_rate=0.1, reg=1e-3, hidden_size=50, update="momentum", rng=0,
                  progress=None, stop=None, on_member=None):
    """Train the members of an ensemble of `kind` (see member_settings) and predict with each.

    data: dict with X_train (N, D), y_train, X_val (M, D), y_val, optionally X_test, y_test.
    num_train: training examples used (None: all). update: a rule of core.optim (momentum 0.9 when
    "momentum"). progress(fraction), stop (threading.Event), on_member(result so far): for a view
    that shows members as they arrive. Checkpoints come from one run of num_epochs + num_models - 1
    epochs, so every member has trained at least num_epochs epochs.
    Returns a dict: val_probs (K, M, C), test_probs (K, T, C) or None, settings (list of dicts),
    labels (K short descriptions); K < num_models when stopped early.
    """
    num_epochs = checks.integer("num_epochs", num_epochs, low=1)
    settings = member_settings(kind, num_models, rng, learning_rate, reg, hidden_size)
    X, y = data["X_train"], data["y_train"]
    if num_train is not None:
        num_train = checks.integer("num_train", num_train, low=1)
        X, y = X[:num_train], y[:num_train]
    has_test = "X_test" in data
    C = num_classes(data)
    update_config = {"momentum": 0.9} if update in ("momentum", "nesterov") else None
    result = {"val_probs": [], "test_probs": [] if has_test else None, "settings": [], "labels": []}

    def predict(net, X, diverged=False):
        """Softmax probabilities; a diverged member knows nothing: uniform 1 / C."""
        scores = net.scores(X)
        if diverged or not np.isfinite(scores).all():
            return np.full((X.shape[0], C), 1.0 / C)
        return softmax(scores)

    def add(net, s, label, diverged=False):
        result["val_probs"].append(predict(net, data["X_val"], diverged))
        if has_test:
            result["test_probs"].append(predict(net, data["X_test"], diverged))
        result["settings"].append(s)
        result["labels"].append(label)
        if progress is not None:
            progress(len(result["labels"]) / num_models)
        if on_member is not None:
            on_member(_stacked(result))

    if kind == "checkpoints":
        s = settings[0]
        net = FullyConnectedNet.for_data(data, [s["hidden_size"]], init_scale=1e-2, rng=s["seed"])
        total_epochs = num_epochs + num_models - 1
        snapshots = {}

        def keep(run):
            if run.epoch >= num_epochs:
                snapshots[run.epoch] = net.copy_params()
            if progress is not None:
                progress(0.5 * run.epoch / total_epochs)

        run = train(
            net,
            X,
            y,
            data["X_val"],
            data["y_val"],
            num_epochs=total_epochs,
            batch_size=min(batch_size, len(y)),
            update=update,
            update_config=update_config,
            learning_rate=s["learning_rate"],
            reg=s["reg"],
            track_ratios=False,
            rng=s["seed"],
            on_epoch=keep,
            stop=stop,
        )
        if run.diverged and not snapshots:  # diverged before num_epochs: one member, knowing nothing
            add(net, settings[0], f"diverged at iteration {run.diverged_at}", diverged=True)
        for i, epoch in enumerate(sorted(snapshots, reverse=True)[:num_models]):
            net.set_params(snapshots[epoch])
            add(net, dict(settings[i], checkpoint=epoch), f"epoch {epoch}")
    else:
        for s in settings:
            if stop is not None and stop.is_set():
                break
            net = FullyConnectedNet.for_data(data, [s["hidden_size"]], init_scale=1e-2, rng=s["seed"])
            run = train(net, X, y, data["X_val"], data["y_val"], num_epochs=num_epochs,
                        batch_size=min(batch_size, len(y)), update=update, update_config=update_config,
                        learning_rate=s["learning_rate"], reg=s["reg"], track_ratios=False, rng=s["seed"],
                        stop=stop)
            if run.status == "stopped":
                break
            label = (f"seed {s['seed']}" if kind == "seeds" else
                     f"lr {s['learning_rate']:.2g}, reg {s['reg']:.1g}, H {s['hidden_size']}")
            if run.diverged:
                label += " (diverged)"
            add(net, s, label, diverged=run.diverged)
    return _stacked(result)


def _stacked(result):
    """The lists of train_members as arrays (K, N, C)."""
    out = dict(result)
    for key in ("val_probs", "test_probs"):
        if out[key] is not None:
            out[key] = np.array(out[key]) if out[key] else None
    out["settings"], out["labels"] = list(result["settings"]), list(result["labels"])
    return out
