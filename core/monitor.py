"""What to watch while training: activation statistics per layer, update/weight ratios, and a
diagnosis of a training history in plain words (the slides' "Visualizations to play with")."""
import math

import numpy as np

from . import checks, layers

HEALTHY_RATIO = (1e-3, 1e-2)  # the slide: "want this to be somewhere around 0.01 - 0.001 or so"


def activation_stats(activations):
    """Mean, std, min, max, fraction of exact zeros and of saturated units (|a| > 0.99) per layer.

    activations: list of L arrays (N, H_l). Returns a dict of float arrays of length L.
    """
    keys = ("mean", "std", "min", "max", "zero_fraction", "saturated_fraction")
    stats = {key: np.empty(len(activations)) for key in keys}
    for i, a in enumerate(activations):
        stats["mean"][i], stats["std"][i] = a.mean(), a.std()
        stats["min"][i], stats["max"][i] = a.min(), a.max()
        stats["zero_fraction"][i] = np.mean(a == 0)
        stats["saturated_fraction"][i] = np.mean(np.abs(a) > 0.99)  # tanh's flat tails
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
    "unstable": "loss climbing back up in places: learning rate too high",
    "slow": "loss going down slowly (little, or nearly linearly): learning rate probably too low",
    "plateau": "loss flat at first, then dropping: bad initialization",
    "good": "loss going down steadily: learning rate looks good",
    "overfitting": "big train/val gap: overfitting, increase regularization strength",
    "no_gap": "no gap between train and val: increase model capacity (or lower regularization)",
    "balanced": "small train/val gap: capacity and regularization look balanced",
    "ratio_high": "update/weight ratio above 1e-2: learning rate too high",
    "ratio_low": "update/weight ratio below 1e-3: learning rate too low",
    "too_short": "too few iterations to say anything yet",
}
MIN_ITERATIONS = 10  # shorter loss histories only get the NaN and explosion checks


def smooth(values, window):
    """Moving average of values (T,) over `window` points: (T - window + 1,), or (1,) if window > T."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a non-empty 1-D sequence, got shape {values.shape}")
    window = min(checks.integer("window", window, low=1), values.size)
    cumulative = np.concatenate(([0.0], np.cumsum(values)))
    return (cumulative[window:] - cumulative[:-window]) / window


def ratio_verdict(ratio):
    """"too low", "healthy" or "too high": where an update/weight ratio sits against HEALTHY_RATIO."""
    ratio = float(ratio)
    if math.isnan(ratio):
        raise ValueError(f"ratio must be a number, got {ratio!r}")
    low, high = HEALTHY_RATIO
    return "too low" if ratio < low else "too high" if ratio > high else "healthy"


def _accuracy_history(name, history):
    a = np.asarray(history, dtype=np.float64)
    if a.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of accuracies, got shape {a.shape}")
    if a.size and (not np.isfinite(a).all() or a.min() < 0 or a.max() > 1):
        raise ValueError(f"{name} must hold accuracies in [0, 1], got {history!r}")
    return a


def _loss_shape(loss, flat_threshold, slow_threshold, explode_factor):
    """The DIAGNOSES key of a loss curve (1-D float array): see diagnose()."""
    if not np.isfinite(loss).all():
        return "nan"
    if loss.size == 0:
        return "too_short"
    first = loss[0]
    if explode_factor is not None and loss.size >= 2 and loss.max() > explode_factor * first:
        return "exploding"
    if loss.size < MIN_ITERATIONS:
        return "too_short"
    smoothed = smooth(loss, max(1, loss.size // 20))  # averages away mini-batch noise
    start, end = smoothed[0], smoothed[-1]
    if end > 1.5 * start:
        return "exploding"
    drop = start - end
    if drop < flat_threshold * abs(start):
        return "flat"
    # share of the total drop achieved by 20% and by 50% of the run
    rebound = np.max(smoothed - np.minimum.accumulate(smoothed))
    if rebound > max(0.25 * drop, 0.05 * abs(start)):
        return "unstable"  # the smoothed loss climbed back by a quarter of its total drop

    def share_done(fraction):
        return (start - smoothed[int(fraction * (smoothed.size - 1))]) / drop

    if share_done(0.2) < 0.05:
        return "plateau"   # the first fifth barely moved, the drop came later
    if share_done(0.5) < 0.6 or drop < slow_threshold * abs(start):
        return "slow"      # still losing (nearly) as much in the second half as in the first, or little
    return "good"


def diagnose(loss_history, train_acc_history=(), val_acc_history=(), update_ratio_history=None, *,
             gap_threshold=0.1, no_gap_threshold=0.05, fit_threshold=0.95, flat_threshold=0.01,
             slow_threshold=0.1, explode_factor=3.0):
    """Read a training history the way the lecture does; returns a list of DIAGNOSES messages.

    loss_history: cost per iteration (T,). train_acc_history, val_acc_history: accuracy per epoch
    (E,) each, both or neither. update_ratio_history: optional {"W1": (T,) ratios, ...} as in
    core.trainer.TrainResult.update_ratio_history.

    The loss curve gets exactly one verdict, checked in this order:
      nan        any cost NaN/inf;
      exploding  max cost > explode_factor x the first cost (the trainer's rule; None: off), or the
                 smoothed cost ends 1.5x above where it started;
      too_short  fewer than MIN_ITERATIONS costs;
      flat       the smoothed cost dropped by less than flat_threshold (relative);
      unstable   the smoothed cost climbed back up, somewhere, by more than 25% of its total drop
                 (and more than 5% of its start);
      plateau    less than 5% of the drop happened in the first fifth of the run;
      slow       less than 60% of the drop happened in the first half (still nearly linear), or
                 the drop is less than slow_threshold (relative);
      good       otherwise (a fast drop that levels off).
    ("Smoothed": a moving average over a twentieth of the run, against mini-batch noise.)
    Then, on the final accuracies:
      overfitting  train - val > gap_threshold (when the loss verdict is good, slow or plateau);
    and, only when the loss verdict is good (a curve still learning says nothing about capacity yet):
      no_gap       train - val <= no_gap_threshold and train accuracy below fit_threshold (the net
                   does not even fit its training set);
      balanced     otherwise.
    Finally, with update ratios: ratio_high / ratio_low when the median over layers of each
    layer's median ratio over the last half of the run lies above / below HEALTHY_RATIO. (The band
    is the slide's heuristic: with Xavier init on standardized digits a good learning rate lands in
    it; weights initialized far smaller, e.g. N(0, 0.01), give larger ratios at a good rate.)
    """
    loss = np.asarray(loss_history, dtype=np.float64)
    if loss.ndim != 1:
        raise ValueError(f"loss_history must be a 1-D sequence, got shape {loss.shape}")
    train_acc = _accuracy_history("train_acc_history", train_acc_history)
    val_acc = _accuracy_history("val_acc_history", val_acc_history)
    if (train_acc.size == 0) != (val_acc.size == 0):
        raise ValueError(f"train_acc_history and val_acc_history must both be given or both be empty, "
                         f"got {train_acc.size} and {val_acc.size} values")
    checks.in_range("gap_threshold", gap_threshold, 0, 1)
    checks.in_range("no_gap_threshold", no_gap_threshold, 0, gap_threshold)
    checks.in_range("fit_threshold", fit_threshold, 0, 1)
    checks.in_range("flat_threshold", flat_threshold, 0, 1)
    checks.in_range("slow_threshold", slow_threshold, flat_threshold, 1)
    if explode_factor is not None:
        checks.in_range("explode_factor", explode_factor, 1, math.inf, low_open=True, high_open=True)
    ratios = []
    for name, history in (update_ratio_history or {}).items():
        r = np.asarray(history, dtype=np.float64)
        if r.ndim != 1 or (r.size and (np.isnan(r).any() or r.min() < 0)):
            raise ValueError(f"update_ratio_history[{name!r}] must be a 1-D sequence of ratios >= 0")
        if r.size:
            ratios.append(
                float(np.median(r[r.size // 2 :]))
            )  # the last half: small initial weights inflate early ratios

    shape = _loss_shape(loss, flat_threshold, slow_threshold, explode_factor)
    found = [DIAGNOSES[shape]]
    if train_acc.size and shape in ("good", "slow", "plateau"):
        gap = float(train_acc[-1] - val_acc[-1])
        if gap > gap_threshold:
            found.append(DIAGNOSES["overfitting"])
        elif shape == "good":
            no_gap = gap <= no_gap_threshold and train_acc[-1] < fit_threshold
            found.append(DIAGNOSES["no_gap" if no_gap else "balanced"])
    if ratios and shape not in ("nan", "too_short"):
        verdict = ratio_verdict(np.median(ratios))
        if verdict != "healthy":
            found.append(DIAGNOSES["ratio_high" if verdict == "too high" else "ratio_low"])
    return found


def weight_roughness(W, image_shape):
    """How noisy first-layer weight images look: mean squared difference between neighbouring pixels.

    W: (D, H) first-layer weights, one column per hidden unit; image_shape: (h, w) or (h, w, 3) with
    h * w (* 3) = D (core.data.image_shape). Each unit's image is normalized to zero mean and unit
    std first, so the number does not depend on the weights' size: white noise gives about 2,
    smooth images much less. Units with constant weights count as 0. Returns a float.
    """
    W = checks.array("W", W, ndim=2)
    image_shape = tuple(int(s) for s in image_shape)
    if len(image_shape) not in (2, 3) or math.prod(image_shape) != W.shape[0]:
        raise ValueError(f"image_shape must be (h, w) or (h, w, 3) with h * w * channels = {W.shape[0]} "
                         f"(the rows of W), got {image_shape}")
    W = W.astype(np.float64)
    std = W.std(axis=0)
    normalized = (W - W.mean(axis=0)) / np.where(std > 0, std, 1.0)
    images = normalized.T.reshape((W.shape[1],) + image_shape)   # (H, h, w[, 3])
    across = np.diff(images, axis=2) ** 2                             # horizontal neighbours
    down = np.diff(images, axis=1) ** 2                               # vertical neighbours
    return float((across.sum() + down.sum()) / (across.size + down.size))


def activations_and_gradients(net, X, y):
    """One forward and backward pass through a core.net.FullyConnectedNet, keeping every layer.

    X: (N, D) inputs, y: (N,) labels (random labels are fine: the point is to see what reaches
    each layer). Training-mode pass, data loss only (no penalty). Returns activations, a list of
    L arrays (N, H_l), the output of every hidden layer, and grads {"W1": (D, H1), ..., "b1": ...}.
    """
    X = net._check_X(X)
    y = checks.labels("y", y, net.sizes[-1], X.shape[0])
    scores, caches, activations = net._forward(X, "train", keep_activations=True)
    _, dscores = layers.LOSSES[net.loss_name](scores, y)
    return activations, net._backward(dscores, caches)
