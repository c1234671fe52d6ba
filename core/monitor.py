"""What to watch while training (the slides' "Visualizations to play with"): activation statistics
per layer, the values and updates of the weights, and the ratio of weight updates / weight
magnitudes ("want this to be somewhere around 0.01 - 0.001 or so").

Reading a whole history in plain words (learning rate too high, overfitting, ...) is
core.demos.diagnosis.diagnose, built on these."""
import math

import numpy as np

from . import checks, layers

HEALTHY_RATIO = (1e-3, 1e-2)  # the slide: "want this to be somewhere around 0.01 - 0.001 or so"


def activation_stats(activations):
    """Mean, std, min, max, fraction of exact zeros and of saturated units (|a| > 0.99) per layer.

    activations: list of L arrays (N, H_l). Returns a dict of float arrays of length L. Computed in
    float64: the squares of finite float32 activations of 1e18 (a too-large init) overflow float32.
    """
    keys = ("mean", "std", "min", "max", "zero_fraction", "saturated_fraction")
    stats = {key: np.empty(len(activations)) for key in keys}
    for i, a in enumerate(activations):
        stats["mean"][i], stats["std"][i] = a.mean(dtype=np.float64), a.std(dtype=np.float64)
        stats["min"][i], stats["max"][i] = a.min(), a.max()
        stats["zero_fraction"][i] = np.count_nonzero(a == 0) / a.size
        stats["saturated_fraction"][i] = np.count_nonzero(np.abs(a) > 0.99) / a.size  # tanh's flat tails
    return stats


def update_weight_ratio(w, update):
    """||update|| / ||w|| (both any shape): about 1e-3 is healthy."""
    w_norm = float(np.linalg.norm(w))
    return float(np.linalg.norm(update)) / w_norm if w_norm > 0 else math.inf


def value_stats(array):
    """min, max, mean and std of an array, as floats (the slide's 'min, max, std for values and updates')."""
    a = np.asarray(array, dtype=np.float64)  # float64: the squares of huge float32 weights overflow float32
    return {"min": float(a.min()), "max": float(a.max()), "mean": float(a.mean()), "std": float(a.std())}


def ratio_verdict(ratio):
    """"too low", "healthy" or "too high": where an update/weight ratio sits against HEALTHY_RATIO."""
    ratio = float(ratio)
    if math.isnan(ratio):
        raise ValueError(f"ratio must be a number, got {ratio!r}")
    low, high = HEALTHY_RATIO
    return "too low" if ratio < low else "too high" if ratio > high else "healthy"


def median_update_ratios(update_ratio_history):
    """Each layer's median update/weight ratio over the last half of the run.

    update_ratio_history: {"W1": (T,) ratios, ...} as in core.trainer.TrainResult. Returns
    {"W1": float, ...}; NaN for a layer with no ratio yet. The last half, because small initial
    weights inflate the early ratios.
    """
    medians = {}
    for name, history in update_ratio_history.items():
        r = np.asarray(history, dtype=np.float64)
        if r.ndim != 1 or (r.size and (np.isnan(r).any() or r.min() < 0)):
            raise ValueError(f"update_ratio_history[{name!r}] must be a 1-D sequence of ratios >= 0")
        medians[name] = float(np.median(r[r.size // 2:])) if r.size else float("nan")
    return medians


def mean_abs_gradients(grads):
    """mean |dL/dW| of every weight matrix, in layer order: (L + 1,) from grads {"W1": ..., "b1": ...}.
    The slide's vanishing gradients show as values that shrink layer by layer towards the input."""
    names = sorted((k for k in grads if k.startswith("W")), key=lambda k: int(k[1:]))
    return np.array([float(np.mean(np.abs(grads[k]), dtype=np.float64)) for k in names])


def first_nonfinite(loss_history):
    """The first iteration (1-based) whose cost is NaN or inf, or None (the slide's "cost: nan")."""
    finite = np.isfinite(np.asarray(loss_history, dtype=np.float64))
    return None if finite.all() else int(np.argmin(finite)) + 1


def activations_and_gradients(net, X, y):
    """One forward and backward pass through a core.net.FullyConnectedNet, keeping every layer.

    X: (N, D) inputs, y: (N,) labels (random labels are fine: the point is to see what reaches
    each layer). Training-mode pass, data loss only (no penalty). Returns activations, a list of
    L arrays (N, H_l), the output of every hidden layer, and grads {"W1": (D, H1), ..., "b1": ...}.
    """
    X = net.check_X(X)
    y = checks.labels("y", y, net.sizes[-1], X.shape[0])
    scores, caches, activations = net.forward(X, "train", keep_activations=True)
    _, dscores = layers.LOSSES[net.loss_name](scores, y)
    return activations, net.backward(dscores, caches)
