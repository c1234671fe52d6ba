"""Check of exercise 2: overfit a tiny subset, the sanity check before a long training run.

The check hands the student's function a net whose regularization is on (reg 0.1, so it must be
turned off) and a `train` that records how it was called and then runs core.train. The properties:
`train` is called, on exactly the first num_examples (example, label) pairs, for every num_examples
given; regularization off, vanilla SGD; the caller's arrays are left unchanged; what `train`
returned is returned; and the net really memorized the true labels (its own predictions on the tiny
set, not the training history, are checked).
"""
import numpy as np

import core

from .base import Fail, call, check, copies, generator, unchanged

EPOCHS = 200  # the exercise fixes them; a net that has not memorized by then needs another learning rate


def _pairs_message(X_used, y_used, X, y, n):
    """Why the (example, label) pairs passed to train are not the first n of X, y; None when they are."""
    X_used, y_used = np.asarray(X_used), np.asarray(y_used)
    if len(X_used) != n or len(y_used) != n:
        labels = "" if len(y_used) == len(X_used) else f" (and {len(y_used)} labels)"
        return (f"you trained on {len(X_used)} examples{labels}; take a tiny subset of num_examples = {n}: "
                f"X_train[:{n}], y_train[:{n}]")
    rows = {X[i].tobytes(): i for i in range(n)}
    index = [rows.get(np.asarray(row, dtype=X.dtype).tobytes()) for row in X_used]
    if any(i is None for i in index):
        changed = sum(i is None for i in index)
        return (f"{changed} of the {n} inputs you passed to train are not rows of X_train[:{n}] as they were (changed "
                "or taken from elsewhere): pass the first num_examples examples unchanged, X_train[:num_examples]")
    if len(set(index)) != n:
        return f"some of the first {n} examples appear twice in what you passed to train, others not at all"
    if not np.array_equal(y_used, y[index]):
        shifts = [k for k in range(1, 4) if k + n <= len(y) and np.array_equal(y_used, y[k:k + n])]
        if shifts:
            return (f"the labels you passed to train are y_train[{shifts[0]}:{shifts[0] + n}], shifted by {shifts[0]} "
                    f"from the examples X_train[:{n}]: slice both with the same [:num_examples]")
        if np.array_equal(np.sort(y_used), np.sort(y[:n])):
            return ("the labels you passed to train do not belong to their examples: you shuffled the labels (or the "
                    "examples) on their own, so the net memorizes noise; keep X_train[i] with y_train[i]")
        return f"the labels you passed to train are not y_train[:{n}]: the label of example i is y_train[i]"
    return None


def _run(fn, X, y, n, seed):
    """Call the student's fn on a fresh net with reg 0.1 and a recording train; returns (result, call, net)."""
    calls = []

    def train(net, X_train, y_train, X_val, y_val, **kwargs):
        calls.append({"X": np.array(X_train, copy=True), "y": np.array(y_train, copy=True),
                      "reg": kwargs.get("reg", net.reg), "kwargs": dict(kwargs)})
        result = core.train(net, X_train, y_train, X_val, y_val, **kwargs)
        calls[-1]["result"] = result
        return result

    net = core.FullyConnectedNet(X.shape[1], [50], int(y.max()) + 1, reg=0.1, rng=seed)
    before = copies(X_train=X, y_train=y)
    result = call(fn, net, X, y, train, n, given=f" (num_examples = {n})")
    unchanged(before, {"X_train": X, "y_train": y}, "overfit_tiny_subset", "the caller's data")
    if not calls:
        raise Fail("overfit_tiny_subset did not call the `train` function it was given")
    return result, calls[-1], net


@check("overfit_tiny_subset")
def check_overfit_tiny_subset(overfit_tiny_subset, data, num_examples=20, seed=0):
    """overfit_tiny_subset(net, X_train, y_train, train, num_examples) -> TrainResult: train accuracy 1.00
    and cost near 0 on the first num_examples examples, regularization off.

    data: a dict with X_train, y_train (preprocessed); the check passes copies, so data stays as it was.
    """
    counts = [num_examples, 7] if seed == 0 else [int(v) for v in generator(seed, 1).integers(5, 30, 2)]
    summary = None
    for n in counts:
        X, y = np.array(data["X_train"], copy=True), np.array(data["y_train"], copy=True)
        result, used, net = _run(overfit_tiny_subset, X, y, n, seed)
        given = "" if n == counts[0] else f" (num_examples = {n}: use the num_examples you are given)"
        if result is None:
            raise Fail("overfit_tiny_subset returned None: return what train(...) returned")
        if result is not used["result"]:
            raise Fail(f"overfit_tiny_subset must return the TrainResult that train(...) returned, got "
                       f"{type(result).__name__}")
        problem = _pairs_message(used["X"], used["y"], X, y, n)
        if problem:
            raise Fail(problem + given)
        if used["reg"] != 0:
            raise Fail(f"regularization is on (reg = {used['reg']:g}): pass reg=0.0 so nothing stops the net "
                       "from fitting the data exactly")
        update = used["kwargs"].get("update", "sgd")
        if update != "sgd":
            raise Fail(f"you trained with update={update!r}; the slide's sanity check uses simple vanilla 'sgd'")
        if result.status == "diverged":
            raise Fail(f"training diverged ({result.message}): lower the learning rate")
        accuracy = float(np.mean(net.predict(X[:n]) == y[:n]))
        cost = float(result.loss_history[-1]) if len(result.loss_history) else float("nan")
        epochs = result.epoch
        if accuracy < 1.0 or not cost <= 0.1:
            lr = used["kwargs"].get("learning_rate", 1e-3)
            if epochs < EPOCHS:
                raise Fail(f"after {epochs} epochs the net predicts {accuracy:.2f} of the first {n} labels (cost "
                           f"{cost:.3f}): the exercise trains for {EPOCHS} epochs (num_epochs={EPOCHS})")
            decay = used["kwargs"].get("learning_rate_decay", 1.0)
            if decay != 1.0:
                raise Fail(f"after {epochs} epochs the net predicts {accuracy:.2f} of the first {n} labels (cost "
                           f"{cost:.3f}): you decayed the learning rate (learning_rate_decay={decay:g}), so by the "
                           f"last epoch it is {lr:g} * {decay:g}**{epochs - 1} = {lr * decay ** (epochs - 1):.2g}; the "
                           "sanity check trains at a constant rate: leave learning_rate_decay at 1")
            raise Fail(f"after {epochs} epochs the net predicts {accuracy:.2f} of the first {n} labels and the cost "
                       f"is {cost:.3f}: not overfit. The epochs are fixed at {EPOCHS}: raise the learning rate "
                       f"(now {lr:g})")
        summary = summary or (f"{n} examples, reg 0, sgd: the net predicts all {n} labels, cost {cost:.2f} after "
                              f"{epochs} epochs")
    return summary + f"; also for num_examples = {counts[1]}; caller's data unchanged"
