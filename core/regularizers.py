"""Weight penalties: each takes w and a strength, returns (penalty, d penalty / d w).

The slide's knobs: L2 (1/2 lambda w^2), L1 (lambda |w|), L1 + L2 (elastic) and the max-norm
constraint, which is not a penalty but a projection after every update.
"""
import numpy as np

from . import checks


def l2(w, reg):
    """0.5 * reg * sum(w^2); gradient reg * w."""
    reg = checks.non_negative("reg", reg)
    return 0.5 * reg * float(np.sum(w * w)), reg * w


def l1(w, reg):
    """reg * sum(|w|); (sub)gradient reg * sign(w)."""
    reg = checks.non_negative("reg", reg)
    return reg * float(np.sum(np.abs(w))), reg * np.sign(w)


def elastic(w, reg, l1_ratio=0.5):
    """l1_ratio * L1 + (1 - l1_ratio) * L2, with the same strength reg."""
    reg = checks.non_negative("reg", reg)
    l1_ratio = checks.in_range("l1_ratio", l1_ratio, 0, 1)
    p1, g1 = l1(w, reg * l1_ratio)
    p2, g2 = l2(w, reg * (1 - l1_ratio))
    return p1 + p2, g1 + g2


PENALTIES = {"l2": l2, "l1": l1, "elastic": elastic}


def penalty(kind, w, reg, l1_ratio=0.5):
    """Checked entry point: kind in PENALTIES, reg >= 0, l1_ratio in [0, 1]."""
    checks.choice("reg_kind", kind, PENALTIES)
    reg = checks.non_negative("reg", reg)
    if kind == "elastic":
        return elastic(w, reg, checks.in_range("l1_ratio", l1_ratio, 0, 1))
    return PENALTIES[kind](w, reg)


def max_norm(w, max_norm_value):
    """Project w: (D, H) so that each unit's incoming weight vector (a column) has L2 norm <= max_norm.

    Returns a new array; columns already inside the ball are unchanged.
    """
    c = checks.finite_positive("max_norm", max_norm_value)
    norms = np.sqrt(np.sum(w * w, axis=0, keepdims=True))
    return w * np.minimum(1.0, c / np.maximum(norms, 1e-12))
