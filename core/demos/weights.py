"""Weights as pictures and numbers: first-layer weights as images and how noisy they look (notebook
07, "Visualizing first-layer weights": noisy with weak regularization, smooth with more), and what
each regularizer does to a weight matrix (notebook 09: sparsity, unit norms, histogram)."""
import math

import numpy as np

from .. import checks
from ..data import row_to_image
from ..net import FullyConnectedNet
from ..trainer import train
from .lecture_cases import given_or_cliff_rate


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


def weight_mosaic(W, image_shape, columns):
    """Lay out first-layer weights as images: W (D, H) -> one array with a 1-pixel gap between units.

    Each unit is scaled to [0, 1] on its own. Returns (rows * (h + 1) - 1, columns * (w + 1) - 1[, 3])
    with NaN (grey) or 1 (white) gaps.
    """
    h, w = image_shape[:2]
    num_units = W.shape[1]
    rows = -(-num_units // columns)
    channels = tuple(image_shape[2:])
    mosaic = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1) + channels, np.nan if not channels else 1.0)
    low, high = W.min(axis=0), W.max(axis=0)
    scaled = (W - low) / np.where(high > low, high - low, 1.0)
    for unit in range(num_units):
        r, c = divmod(unit, columns)
        mosaic[r * (h + 1): r * (h + 1) + h, c * (w + 1): c * (w + 1) + w] = row_to_image(scaled[:, unit])
    return mosaic


# ---- regularization (notebook 09): what each regularizer does to the weights --------------------------
REGULARIZERS = ("none", "l2", "l1", "elastic", "max_norm")
SPARSE_BELOW = 1e-3                      # a weight counts as zero when |w| < SPARSE_BELOW
HIST_EDGES = np.linspace(-0.6, 0.6, 61)  # weight histogram bins (values outside go to the end bins)


def weight_summary(w):
    """What a weight matrix w (D, H) looks like: sparsity (fraction with |w| < SPARSE_BELOW), each
    unit's incoming norm unit_norms (H,), and hist, the fraction of weights in each HIST_EDGES bin."""
    return {"sparsity": float(np.mean(np.abs(w) < SPARSE_BELOW)),
            "unit_norms": np.sqrt(np.sum(np.asarray(w, dtype=np.float64) ** 2, axis=0)),
            "hist": np.histogram(np.clip(w, HIST_EDGES[0], HIST_EDGES[-1]), HIST_EDGES)[0] / w.size}


MAX_NORM_ROUNDING = 1e-5  # a unit the projection scaled to norm c ends within float32 rounding of c, not at c


def max_norm_check(unit_norms, c):
    """The max-norm constraint ‖w‖₂ ≤ c on each hidden unit's incoming weights, checked.

    unit_norms: (H,), e.g. weight_summary's "unit_norms"; c: the bound. Returns {"largest": the largest
    norm, "within": whether every norm is at most c, "at_bound": how many units sit on the bound (norm at
    least c), both up to MAX_NORM_ROUNDING (relative)}. No unit on the bound: the constraint is inactive,
    the net trained as if it were not there (on digits, c above about 1.7).
    """
    unit_norms = checks.array("unit_norms", unit_norms, ndim=1, finite=False)  # a diverged net: NaN, not within
    if unit_norms.size == 0:
        raise ValueError("unit_norms must hold at least one unit's norm, got an empty array")
    c = checks.finite_positive("c", c)
    return {"largest": float(unit_norms.max()), "within": bool(np.all(unit_norms <= c * (1 + MAX_NORM_ROUNDING))),
            "at_bound": int(np.count_nonzero(unit_norms >= c * (1 - MAX_NORM_ROUNDING)))}


def train_regularized(data, kind="l2", strength=1e-3, max_norm=1.0, num_train=200, hidden_size=100,
                      num_epochs=30, learning_rate=0.2, learning_rate_decay=0.9, seed=0):
    """Train a D-H-C ReLU net on the first num_train training examples with one regularizer.

    kind: "none", "l2", "l1", "elastic" (l1_ratio 0.5) or "max_norm". strength: the penalty's λ
    (unused for "none" and "max_norm"). max_norm: the bound c on each hidden unit's incoming weight
    norm (used only for "max_norm"). The learning rate decays per epoch so that the L1 subgradient
    steps (lr * λ) end below SPARSE_BELOW and weights L1 pushes to zero stay there.
    Returns (net, core.trainer.TrainResult).
    """
    checks.choice("kind", kind, REGULARIZERS)
    X, y = data["X_train"][:num_train], data["y_train"][:num_train]
    reg = checks.non_negative("strength", strength) if kind in ("l2", "l1", "elastic") else 0.0
    net = FullyConnectedNet.for_data(data, [hidden_size], init="he_normal", reg=reg, reg_kind=kind if reg else "l2",
                                     max_norm=max_norm if kind == "max_norm" else None, rng=seed)
    result = train(net, X, y, data["X_val"], data["y_val"], num_epochs=num_epochs, batch_size=50,
                   learning_rate=learning_rate, learning_rate_decay=learning_rate_decay, track_ratios=False, rng=seed)
    return net, result


def regularized_learning_rate(data, learning_rate=None, num_train=200, hidden_size=100, fraction=0.104):
    """The regularization explorer's learning rate: learning_rate if it is given (a finite number > 0),
    else fraction x the learning-rate cliff (core.demos.lecture_cases.learning_rate_cliff) on data of
    train_regularized's net (He init, batches of 50) trained unregularized for 40 epochs, notebook 09's
    SETTING: 0.2 on standardized digits."""
    setting = {"hidden_sizes": (hidden_size,), "init": "he_normal", "init_scale": None, "batch_size": 50,
               "num_train": num_train, "num_epochs": 40, "reg": 0.0}
    return given_or_cliff_rate(data, learning_rate, setting, fraction)
