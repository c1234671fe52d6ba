"""Weight penalties: each takes w and a strength, returns (penalty, d penalty / d w).

The slide's knobs: L2 (1/2 lambda w^2), L1 (lambda |w|), L1 + L2 (elastic) and the max-norm
constraint, which is not a penalty but a projection after every update.

The maths first (l2_penalty, ...: no argument checks, so the net can call them on every step of
every weight matrix), then the checked entries (l2, l1, elastic, penalty, max_norm), which raise a
ValueError naming a bad strength and then run the same maths.
"""
import numpy as np

from . import checks


def l2_penalty(w, reg):
    """0.5 * reg * sum(w^2); gradient reg * w."""
    return 0.5 * reg * float(np.sum(w * w)), reg * w


def l1_penalty(w, reg):
    """reg * sum(|w|); (sub)gradient reg * sign(w)."""
    return reg * float(np.sum(np.abs(w))), reg * np.sign(w)


def elastic_penalty(w, reg, l1_ratio=0.5):
    """l1_ratio * L1 + (1 - l1_ratio) * L2, with the same strength reg."""
    p1, g1 = l1_penalty(w, reg * l1_ratio)
    p2, g2 = l2_penalty(w, reg * (1 - l1_ratio))
    return p1 + p2, g1 + g2


PENALTIES = {"l2": l2_penalty, "l1": l1_penalty, "elastic": elastic_penalty}


def penalty_of(kind, w, reg, l1_ratio=0.5):
    """The penalty `kind` ("l2", "l1" or "elastic") of w and its gradient (l1_ratio: elastic only)."""
    if kind == "elastic":
        return elastic_penalty(w, reg, l1_ratio)
    return PENALTIES[kind](w, reg)


def project_max_norm(w, c):
    """Project w: (D, H) so that each unit's incoming weight vector (a column) has L2 norm <= c.

    Returns a new array; columns already inside the ball are unchanged.
    """
    norms = np.sqrt(np.sum(w * w, axis=0, keepdims=True))
    return w * np.minimum(1.0, c / np.maximum(norms, 1e-12))


# ---- checked entries ----------------------------------------------------------------------------
def l2(w, reg):
    """l2_penalty, with reg checked (>= 0)."""
    return l2_penalty(w, checks.non_negative("reg", reg))


def l1(w, reg):
    """l1_penalty, with reg checked (>= 0)."""
    return l1_penalty(w, checks.non_negative("reg", reg))


def elastic(w, reg, l1_ratio=0.5):
    """elastic_penalty, with reg (>= 0) and l1_ratio (in [0, 1]) checked."""
    return elastic_penalty(w, checks.non_negative("reg", reg), checks.in_range("l1_ratio", l1_ratio, 0, 1))


def penalty(kind, w, reg, l1_ratio=0.5):
    """Checked entry point: kind in PENALTIES, reg >= 0, l1_ratio in [0, 1] (for elastic)."""
    checks.choice("reg_kind", kind, PENALTIES)
    reg = checks.non_negative("reg", reg)
    if kind == "elastic":
        l1_ratio = checks.in_range("l1_ratio", l1_ratio, 0, 1)
    return penalty_of(kind, w, reg, l1_ratio)


def max_norm(w, max_norm_value):
    """project_max_norm, with the bound checked (a finite number > 0)."""
    return project_max_norm(w, checks.finite_positive("max_norm", max_norm_value))
