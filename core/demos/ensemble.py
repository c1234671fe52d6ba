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


def _training_set(data, num_train):
    """The first num_train training examples (None: all), checked."""
    X, y = data["X_train"], data["y_train"]
    if num_train is not None:
        num_train = checks.integer("num_train", num_train, low=1)
        X, y = X[:num_train], y[:num_train]
    return X, y


def _member(net, data, setting, label, diverged=False):
    """One member as train_members' dict: val_probs (1, M, C), test_probs (1, T, C) or None, settings and
    labels of one. A diverged member knows nothing: its probabilities are uniform, 1 / C."""
    C = num_classes(data)

    def predict(X):
        scores = net.scores(X)
        if diverged or not np.isfinite(scores).all():
            return np.full((1, X.shape[0], C), 1.0 / C)
        return softmax(scores)[None]

    return {"val_probs": predict(data["X_val"]), "test_probs": predict(data["X_test"]) if "X_test" in data else None,
            "settings": [setting], "labels": [label]}


def _train(net, data, X, y, setting, num_epochs, batch_size, update, **kwargs):
    """core.train of one member's net with its setting (momentum 0.9 for "momentum" and "nesterov")."""
    return train(net, X, y, data["X_val"], data["y_val"], num_epochs=num_epochs, batch_size=min(batch_size, len(y)),
                 update=update, update_config={"momentum": 0.9} if update in ("momentum", "nesterov") else None,
                 learning_rate=setting["learning_rate"], reg=setting["reg"], track_ratios=False,
                 rng=setting["seed"], **kwargs)


def train_member(data, setting, kind="seeds", num_epochs=10, num_train=None, batch_size=100, update="momentum",
                 stop=None):
    """Train the member of `setting` (one of member_settings(kind, ...), kind "seeds" or "hyperparameters") and
    predict with it: train_members' dict for this one member, or None when stopped. For a view that trains
    the members as separate jobs and keeps the finished ones (widgets/ensembles.py); train_members trains
    each member with it, so the two give the same members."""
    num_epochs = checks.integer("num_epochs", num_epochs, low=1)
    X, y = _training_set(data, num_train)
    net = FullyConnectedNet.for_data(data, [setting["hidden_size"]], init_scale=1e-2, rng=setting["seed"])
    run = _train(net, data, X, y, setting, num_epochs, batch_size, update, stop=stop)
    if run.status == "stopped":
        return None
    label = (f"seed {setting['seed']}" if kind == "seeds" else
             f"lr {setting['learning_rate']:.2g}, reg {setting['reg']:.1g}, H {setting['hidden_size']}")
    return _member(net, data, setting, label + " (diverged)" if run.diverged else label, run.diverged)


def join(parts):
    """Members put together in order: train_members' dicts (of train_member or train_members) as one, with
    val_probs (K, M, C) and test_probs (K, T, C) or None; None when parts is empty."""
    if not parts:
        return None
    stack = lambda name: None if parts[0][name] is None else np.concatenate([p[name] for p in parts])
    return {"val_probs": stack("val_probs"), "test_probs": stack("test_probs"),
            "settings": [s for p in parts for s in p["settings"]], "labels": [b for p in parts for b in p["labels"]]}


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
    X, y = _training_set(data, num_train)
    parts = []

    def add(part):
        parts.append(part)
        if progress is not None:
            progress(len(parts) / num_models)
        if on_member is not None:
            on_member(join(parts))

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

        run = _train(net, data, X, y, s, total_epochs, batch_size, update, on_epoch=keep, stop=stop)
        if run.diverged and not snapshots:  # diverged before num_epochs: one member, knowing nothing
            add(_member(net, data, s, f"diverged at iteration {run.diverged_at}", diverged=True))
        for i, epoch in enumerate(sorted(snapshots, reverse=True)[:num_models]):
            net.set_params(snapshots[epoch])
            add(_member(net, data, dict(settings[i], checkpoint=epoch), f"epoch {epoch}"))
    else:
        for s in settings:
            if stop is not None and stop.is_set():
                break
            part = train_member(data, s, kind, num_epochs, num_train, batch_size, update, stop=stop)
            if part is None:
                break
            add(part)
    return join(parts) or {"val_probs": None, "test_probs": None, "settings": [], "labels": []}
