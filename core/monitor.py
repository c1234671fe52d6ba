"""What to watch while training: activation statistics per layer, update/weight ratios, and a
diagnosis of a training history in plain words (the slides' "Visualizations to play with")."""
import math

import numpy as np

from . import checks

HEALTHY_RATIO = (1e-4, 1e-2)  # the slide: "want this to be somewhere around 0.01 - 0.001 or so"


def activation_stats(activations):
    """Mean, std, min, max and fraction of exact zeros of each layer's activations.

    activations: list of L arrays (N, H_l). Returns a dict of float arrays of length L.
    """
    stats = {key: np.empty(len(activations)) for key in ("mean", "std", "min", "max", "zero_fraction")}
    for i, a in enumerate(activations):
        stats["mean"][i], stats["std"][i] = a.mean(), a.std()
        stats["min"][i], stats["max"][i] = a.min(), a.max()
        stats["zero_fraction"][i] = np.mean(a == 0)
    return stats


def update_weight_ratio(w, update):
    """||update|| / ||w|| (both any shape): about 1e-3 is healthy."""
    w_norm = float(np.linalg.norm(w))
    return float(np.linalg.norm(update)) / w_norm if w_norm > 0 else math.inf


def value_stats(array):
    """min, max, mean and std of an array, as floats (the slide's 'min, max, std for values and updates')."""
    a = np.asarray(array)
    return {"min": float(a.min()), "max": float(a.max()), "mean": float(a.mean()), "std": float(a.std())}


# Messages of diagnose(), one per finding, so tests and widgets can refer to them.
DIAGNOSES = {
    "nan": "cost NaN/inf: learning rate too high",
    "exploding": "loss exploding: learning rate too high",
    "flat": "loss not going down: learning rate too low (or regularization too high)",
    "plateau": "loss flat at first, then dropping: bad initialization",
    "overfitting": "big train/val gap: overfitting, increase regularization strength",
    "no_gap": "no gap between train and val: increase model capacity",
    "good": "loss going down steadily: learning rate looks good",
    "too_short": "too few iterations to say anything yet",
}


def diagnose(loss_history, train_acc_history=(), val_acc_history=(), gap_threshold=0.1,
             flat_threshold=0.01, explode_factor=3.0):
    """Read a training history the way the lecture does; returns a list of DIAGNOSES messages.

    loss_history: cost per iteration. train/val_acc_history: accuracy per epoch.
    gap_threshold: train - val accuracy above this is overfitting. flat_threshold: a relative drop
    of the loss below this is "not going down".
    """
    loss = np.asarray(loss_history, dtype=np.float64)
    checks.in_range("gap_threshold", gap_threshold, 0, 1)
    checks.in_range("flat_threshold", flat_threshold, 0, 1)
    if loss.ndim != 1:
        raise ValueError(f"loss_history must be a 1-D sequence, got shape {loss.shape}")
    if loss.size < 2:
        return [DIAGNOSES["too_short"]]
    if not np.isfinite(loss).all():
        return [DIAGNOSES["nan"]]
    found = []
    first, last = loss[0], loss[-1]
    window = max(1, loss.size // 10)
    start, end = loss[:window].mean(), loss[-window:].mean()
    if explode_factor and (loss.max() > explode_factor * first or end > 1.5 * start):
        found.append(DIAGNOSES["exploding"])
    elif (start - end) < flat_threshold * abs(start):
        found.append(DIAGNOSES["flat"])
    else:
        # plateau: the first quarter barely moves, then most of the drop comes later
        quarter = loss[: max(2, loss.size // 4)]
        early_drop = quarter[: max(1, quarter.size // 4)].mean() - quarter[-max(1, quarter.size // 4):].mean()
        if loss.size >= 20 and early_drop < 0.05 * (start - end):
            found.append(DIAGNOSES["plateau"])
        else:
            found.append(DIAGNOSES["good"])
    if len(train_acc_history) and len(val_acc_history):
        gap = float(train_acc_history[-1]) - float(val_acc_history[-1])
        if gap > gap_threshold:
            found.append(DIAGNOSES["overfitting"])
        elif DIAGNOSES["exploding"] not in found and DIAGNOSES["flat"] not in found:
            found.append(DIAGNOSES["no_gap"])
    return found
