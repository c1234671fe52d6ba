"""Argument checks shared by every public function: each raises ValueError naming the argument."""
import math

import numpy as np


def finite_positive(name, value):
    """Return float(value) if it is a finite number > 0, else raise ValueError naming `name`."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return v


def non_negative(name, value):
    """Return float(value) if it is a finite number >= 0, else raise ValueError naming `name`."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}") from None
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return v


def in_range(name, value, low, high, low_open=False, high_open=False):
    """Return float(value) if it lies in the interval [low, high] (ends open as asked)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    ok = math.isfinite(v) and (v > low if low_open else v >= low) and (v < high if high_open else v <= high)
    if not ok:
        interval = ("(" if low_open else "[") + f"{low}, {high}" + (")" if high_open else "]")
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return v


def integer(name, value, low=None, high=None):
    """Return int(value) if it is an integer in [low, high], else raise ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        bounds = f"[{low if low is not None else '-inf'}, {high if high is not None else 'inf'}]"
        raise ValueError(f"{name} must be an integer in {bounds}, got {value!r}")
    return v


def choice(name, value, options):
    """Return value if it is one of `options`, else raise ValueError listing them."""
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}")
    return value


def array(name, x, ndim=None, finite=True):
    """Return x as an ndarray after checking its number of dimensions and that it is finite."""
    x = np.asarray(x)
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {x.shape}")
    if finite and x.dtype.kind in "fc" and not np.isfinite(x).all():
        bad = int(np.size(x) - np.isfinite(x).sum())
        raise ValueError(f"{name} must be finite, got {bad} non-finite value(s) (NaN or inf)")
    return x


def vector(name, value, length, what="numbers"):
    """Return value as a finite float64 array of shape (length,); the message says what it holds."""
    try:
        v = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold {length} {what}, got {value!r}") from None
    v = array(name, v, ndim=1)
    if v.shape != (length,):
        raise ValueError(f"{name} must hold {length} {what}, got shape {v.shape}")
    return v


def same_shape(name, x, like_name, like):
    """Raise ValueError if x and like differ in shape."""
    if np.shape(x) != np.shape(like):
        raise ValueError(f"{name} has shape {np.shape(x)}; expected {np.shape(like)} (the shape of {like_name})")


def labels(name, y, num_classes, num_examples=None):
    """Return y as an int array of shape (N,) with every label in [0, num_classes)."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must have shape (N,), got {y.shape}")
    if y.size and y.dtype.kind not in "iu":
        if y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.int64)
        else:
            raise ValueError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    if num_examples is not None and y.shape[0] != num_examples:
        raise ValueError(f"{name} has {y.shape[0]} labels; expected {num_examples} (one per example)")
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        bad = y[(y < 0) | (y >= num_classes)][0]
        raise ValueError(f"{name} must lie in [0, {num_classes}), got label {int(bad)}")
    return y


def rng(name, value):
    """Return a np.random.Generator; accept a Generator or an int seed."""
    if isinstance(value, np.random.Generator):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 0:
        return np.random.default_rng(int(value))
    raise ValueError(f"{name} must be a numpy Generator or a seed >= 0, got {value!r}")
