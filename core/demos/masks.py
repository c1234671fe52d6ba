"""Dropout sampled (notebook 10): one unit dropped many times ("output at test time = expected output
at training time"), and dropout as "an ensemble of all subnetworks": each random mask picks a thinned
network, and averaging the predictions of many masks approaches the single scaled test-time pass.
"""
import numpy as np

from .. import checks
from ..dropout import dropout_forward
from ..layers import softmax
from ..net import FullyConnectedNet
from ..trainer import train
from .ensemble import accuracy_by_size, member_accuracies
from .lecture_cases import given_or_cliff_rate


def monte_carlo_outputs(x, p_keep, num_samples, rng):
    """A unit with output x, dropped num_samples times: what training sees and what testing gives.

    Returns a dict: "train", (num_samples,) train-time outputs under the same masks for "vanilla"
    (0 or x) and "inverted" (0 or x / p_keep), "forgot" (vanilla's again); "running", their running
    means (num_samples,); "test", the test-time outputs: "vanilla" p_keep * x, "inverted" x, and
    "forgot" x (vanilla training whose test pass forgot to scale); "expected", the expected
    train-time output of each (p_keep * x, x, p_keep * x); "rule_holds", whether each keeps the
    lecture's rule "output at test time = expected output at training time"; "forgot_ratio", how far
    off forgetting the scale is in expectation: test over expected train-time output, 1 / p_keep.
    """
    x = float(x)
    units = np.full(int(num_samples), x)
    seed = checks.rng("rng", rng).integers(2**32)
    train_out = {kind: dropout_forward(units, p_keep, "train", np.random.default_rng(seed), kind)[0]
                 for kind in ("vanilla", "inverted")}
    test = {kind: float(dropout_forward(np.array([x]), p_keep, "test", kind=kind)[0][0])
            for kind in ("vanilla", "inverted")}
    test["forgot"] = x
    train_out["forgot"] = train_out["vanilla"]
    count = np.arange(1, units.size + 1)
    expected = {"vanilla": p_keep * x, "inverted": x, "forgot": p_keep * x}
    return {"train": train_out, "running": {kind: np.cumsum(v) / count for kind, v in train_out.items()},
            "test": test, "expected": expected,
            "rule_holds": {kind: bool(np.isclose(test[kind], expected[kind])) for kind in expected},
            "forgot_ratio": 1 / p_keep}


def forgot_scale_ratio(outputs):
    """How far off a vanilla net that forgot the test-time scale is: its test output x over the
    train-time mean (1 / p_keep in expectation), from monte_carlo_outputs' dict.

    None when no unit was kept in the sample (its mean is 0: too few masks for that p_keep to
    estimate the mean, e.g. 10 masks at p_keep 0.05 keep none 60% of the time), not a division by 0.
    """
    mean = float(outputs["running"]["forgot"][-1])
    return outputs["test"]["forgot"] / mean if mean > 0 else None


def train_with_dropout(data, p_keep, kind="inverted", num_train=1000, hidden_size=100, num_epochs=20,
                       batch_size=100, learning_rate=0.1, seed=0):
    """Train a D-H-C ReLU net with dropout (p_keep None: without) on the first num_train examples.

    kind: "inverted", "vanilla", "gaussian" or "dropconnect". Returns (net, TrainResult).
    """
    X, y = data["X_train"][:num_train], data["y_train"][:num_train]
    net = FullyConnectedNet.for_data(data, [hidden_size], init="he_normal", p_keep=p_keep, dropout=kind, rng=seed)
    result = train(net, X, y, data["X_val"], data["y_val"], num_epochs=num_epochs, batch_size=min(batch_size, len(y)),
                   learning_rate=learning_rate, track_ratios=False, rng=seed)
    return net, result


def dropout_learning_rate(data, learning_rate, fraction, hidden_size=100, **setting):
    """The dropout explorers' learning rate: learning_rate if it is given (a finite number > 0), else
    fraction x the learning-rate cliff (core.demos.lecture_cases.learning_rate_cliff) on data of
    train_with_dropout's net trained without dropout (setting: num_train, num_epochs, batch_size); 0.1
    on standardized digits, as in notebook 10."""
    net = {"hidden_sizes": (hidden_size,), "init": "he_normal", "init_scale": None, "reg": 0.0}
    return given_or_cliff_rate(data, learning_rate, {**net, **setting}, fraction)


def sampled_mask_probabilities(net, X, num_masks, rng=None):
    """Class probabilities of num_masks train-mode passes of `net`, each with fresh dropout masks.

    net: a core.net.FullyConnectedNet with p_keep set. X: (N, D). Returns (K, N, C), K = num_masks:
    row k is the "thinned" subnetwork that mask k picks. Their mean is a Monte Carlo estimate of the
    slide's "ensemble of all subnetworks"; net.scores(X) is the single scaled pass approximating it.
    rng: draws the masks (None: the net's own rng). The net is not changed.
    """
    num_masks = checks.integer("num_masks", num_masks, low=1)
    if getattr(net, "p_keep", None) is None:
        raise ValueError("net has p_keep None (no dropout): every mask would be the same network")
    X = net.check_X(X)
    rng = net.rng if rng is None else checks.rng("rng", rng)
    probs = np.empty((num_masks, X.shape[0], net.sizes[-1]))
    for k in range(num_masks):
        probs[k] = softmax(net.forward(X, "train", rng=rng)[0])
    return probs


def mask_ensemble(net, X, y, num_masks, rng):
    """Dropout as an ensemble, measured: num_masks masks' class probabilities against the single
    scaled pass, on X (N, D) with labels y (N,).

    Returns a dict: "running" (K, N, C), the sums of the first k masks' probabilities;
    "accuracy_by_k" (K,), the accuracy of averaging the first k masks; "single" (K,), each mask's
    accuracy alone, and "single_mean" their mean; "scaled_probs" (N, C) and "scaled_accuracy", the
    scaled test-time pass.
    """
    probs = sampled_mask_probabilities(net, X, num_masks, rng=rng)
    scaled = softmax(net.scores(X))
    single = member_accuracies(probs, y)
    return {"running": np.cumsum(probs, axis=0), "accuracy_by_k": accuracy_by_size(probs, y),
            "single": single, "single_mean": float(single.mean()), "scaled_probs": scaled,
            "scaled_accuracy": float(np.mean(scaled.argmax(axis=1) == y))}


def k_masks_averaged(ensemble, k, y):
    """The first k masks of mask_ensemble's dict (ensemble) averaged, beside the single scaled pass, on the
    labels y (N,) it was measured on.

    Returns a dict: "probs" (N, C), the k masks' averaged class probabilities; "accuracy", theirs;
    "p_true" (N,), the averaged probability of each example's true class, and "p_true_scaled" (N,),
    the scaled pass's; "agreement", the fraction of examples on which the two predict the same class.
    """
    k = checks.integer("k", k, low=1, high=len(ensemble["running"]))
    probs, rows = ensemble["running"][k - 1] / k, np.arange(len(y))
    return {"probs": probs, "accuracy": float(ensemble["accuracy_by_k"][k - 1]), "p_true": probs[rows, y],
            "p_true_scaled": ensemble["scaled_probs"][rows, y], "agreement": agreement(probs, ensemble["scaled_probs"])}


def agreement(probs_a, probs_b):
    """Fraction of examples on which two sets of class probabilities (N, C) predict the same class."""
    return float(np.mean(np.asarray(probs_a).argmax(axis=1) == np.asarray(probs_b).argmax(axis=1)))

