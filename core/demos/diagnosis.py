"""A training history read in plain words, the way the lecture reads loss curves ("Monitor and
visualize the loss curve", "the accuracy", "the ratio of weight updates / weight magnitudes").

diagnose() turns a run's histories into the slides' verdicts (DIAGNOSES): learning rate too low or
too high, bad initialization, overfitting, too little capacity, update/weight ratio off. The
thresholds are heuristics tuned on digits; the notebooks and explorers print their verdicts.
"""
import math

import numpy as np

from .. import checks
from ..monitor import median_update_ratios, ratio_verdict

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
    layer's median ratio over the last half of the run (core.monitor.median_update_ratios) lies
    above / below core.monitor.HEALTHY_RATIO. (The band
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
    medians = median_update_ratios(update_ratio_history or {})
    ratios = [m for m in medians.values() if not math.isnan(m)]  # layers with no ratio yet say nothing

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
