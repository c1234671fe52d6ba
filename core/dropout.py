"""Dropout and its variants. p_keep is the probability of keeping a unit (the slide's `p`).

mode "train" drops; mode "test" does not. Vanilla dropout scales by p_keep at test time so that
output at test time = expected output at train time (p_keep * x). Inverted dropout divides by
p_keep at train time, so test time is unchanged.
"""
import numpy as np

from . import checks

KINDS = ("inverted", "vanilla", "gaussian")


def apply_dropout(x, p_keep, mode, rng, kind="inverted", mask=None):
    """Drop units of x, without argument checks (a net checks p_keep and kind when it is built).

    x: any shape. p_keep in (0, 1]. mode: "train" or "test". kind: "inverted", "vanilla" or
    "gaussian" (multiplies by N(1, (1 - p_keep) / p_keep) noise instead of a 0/1 mask).
    mask: a fixed mask of x's shape (for gradient checks); drawn from rng when None.
    Returns out (x's shape) and cache for dropout_backward.
    """
    if mode == "test":
        scale = p_keep if kind == "vanilla" else 1.0
        return x * scale if scale != 1.0 else x, ("test", scale)
    if mask is None:
        if kind == "gaussian":
            std = np.sqrt((1 - p_keep) / p_keep)
            mask = (1 + std * rng.standard_normal(x.shape)).astype(x.dtype, copy=False)
        else:
            mask = rng.random(x.shape, dtype=np.float64 if x.dtype == np.float64 else np.float32) < p_keep
            mask = mask.astype(x.dtype) / p_keep if kind == "inverted" else mask.astype(x.dtype)
    return x * mask, ("train", mask)


def dropout_forward(x, p_keep, mode, rng=None, kind="inverted", mask=None):
    """apply_dropout with every argument checked: p_keep in (0, 1], mode, kind, the rng (when a mask
    is drawn) and a fixed mask's shape."""
    p_keep = checks.in_range("p_keep", p_keep, 0, 1, low_open=True)
    checks.choice("mode", mode, ("train", "test"))
    checks.choice("kind", kind, KINDS)
    if mode == "train" and mask is None:
        rng = checks.rng("rng", rng)
    elif mode == "train":
        checks.same_shape("mask", mask, "x", x)
    return apply_dropout(x, p_keep, mode, rng, kind, mask)


def dropout_backward(dout, cache):
    """The gradient passes through the same mask (or the same test-time scale)."""
    mode, mask_or_scale = cache
    return dout * mask_or_scale


def apply_dropconnect(x, w, b, p_keep, mode, rng, mask=None):
    """DropConnect: drop individual weights instead of units (no argument checks).

    x: (N, D), w: (D, H), b: (H,). At train time out = x @ (w * M) + b with M ~ Bernoulli(p_keep)
    divided by p_keep (inverted); at test time out = x @ w + b. mask: a fixed (D, H) mask, or None.
    """
    if mode == "test":
        return x @ w + b, (x, w, None)
    if mask is None:
        mask = (rng.random(w.shape) < p_keep).astype(w.dtype) / p_keep
    w_dropped = w * mask
    return x @ w_dropped + b, (x, w_dropped, mask)


def dropconnect_forward(x, w, b, p_keep, mode, rng=None, mask=None):
    """apply_dropconnect with p_keep, mode, the rng (when a mask is drawn) and a mask's shape checked."""
    p_keep = checks.in_range("p_keep", p_keep, 0, 1, low_open=True)
    checks.choice("mode", mode, ("train", "test"))
    if mode == "train" and mask is None:
        rng = checks.rng("rng", rng)
    elif mode == "train":
        checks.same_shape("mask", mask, "w", w)
    return apply_dropconnect(x, w, b, p_keep, mode, rng, mask)


def dropconnect_backward(dout, cache):
    """dout: (N, H) -> dx (N, D), dw (D, H), db (H,)."""
    x, w_used, mask = cache
    dw = x.T @ dout
    if mask is not None:
        dw *= mask
    return dout @ w_used.T, dw, dout.sum(axis=0)
