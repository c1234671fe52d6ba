"""A linear unit (Widrow and Hoff's Adaline): squared error, the delta rule, and mini-batch gradient
descent paths over its weights (two weights can be drawn on a contour plot).

Shapes: N patterns, D inputs, J output units. Weights W (J, D) as in Rumelhart et al. 1986
(w_ji connects input i to unit j); outputs O = X @ W.T (N, J); targets T (N, J).

Notes: with E_p = 1/2 sum_j (t_pj - o_pj)^2 (their eq. 2) and linear units o_pj = sum_i w_ji i_pi
(eq. 5), the chain rule gives -dE_p/dw_ji = (t_pj - o_pj) i_pi = delta_pj i_pi (eq. 6): the delta
rule's step Delta_p w_ji = eta delta_pj i_pi is gradient descent on E_p.

Lives in core.demos.linear_unit (notebook support, beside the lecture's path); until the issue-11
split it was core/linear_unit.py.
"""
import math

import numpy as np

from .. import checks
from ..data import correlated_gaussian


def _check(W, X, T):
    W = checks.array("W", W, ndim=2)
    X = checks.array("X", X, ndim=2)
    T = checks.array("T", T, ndim=2)
    if X.shape[1] != W.shape[1]:
        raise ValueError(f"X has {X.shape[1]} inputs per pattern; W (J, D) expects D = {W.shape[1]}")
    if T.shape != (X.shape[0], W.shape[0]):
        raise ValueError(f"T has shape {T.shape}; expected {(X.shape[0], W.shape[0])} (N patterns, J units)")
    return W, X, T


def squared_error(W, X, T):
    """E = sum_p E_p, E_p = 1/2 sum_j (t_pj - o_pj)^2 (eq. 2). W (J, D), X (N, D), T (N, J) -> float."""
    W, X, T = _check(W, X, T)
    return float(0.5 * np.sum((T - X @ W.T) ** 2))


def delta_rule(W, X, T):
    """The delta rule's direction sum_p delta_pj i_pi with delta_pj = t_pj - o_pj (eq. 4-6).

    W (J, D), X (N, D), T (N, J) -> (J, D). It equals -dE/dW: a step W += eta * delta_rule(W, X, T)
    is a gradient-descent step on E.
    """
    W, X, T = _check(W, X, T)
    delta = T - X @ W.T  # (N, J)
    return delta.T @ X


def mean_squared_error(w, X, t):
    """L(w) = 1/(2N) sum_p (t_p - w . x_p)^2 for one output unit.

    w: (D,) or a stack of weight vectors (K, D); X: (N, D); t: (N,) -> float, or (K,) for a stack.
    Computed from the quadratic form 1/2 w A w - b w + c (A = X^T X / N, b = X^T t / N), so a whole
    grid of weights costs one small matrix product.
    """
    X = checks.array("X", X, ndim=2)
    t = checks.array("t", t, ndim=1)
    w = np.asarray(w, dtype=np.float64)
    if w.ndim not in (1, 2) or w.shape[-1] != X.shape[1]:
        raise ValueError(f"w must have shape (D,) or (K, D) with D = {X.shape[1]}, got {w.shape}")
    if t.shape[0] != X.shape[0]:
        raise ValueError(f"t has {t.shape[0]} targets; X has {X.shape[0]} patterns")
    A = X.T @ X / X.shape[0]
    b = X.T @ t / X.shape[0]
    c = float(t @ t) / (2 * X.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        return 0.5 * np.einsum("...i,ij,...j->...", w, A, w) - w @ b + c


def best_weights(X, t):
    """The minimum of mean_squared_error: the least-squares weights w* (D,) for X (N, D), t (N,)."""
    X = checks.array("X", X, ndim=2)
    t = checks.array("t", t, ndim=1)
    return np.linalg.lstsq(X, t, rcond=None)[0]


def descent_path(X, t, w_start, learning_rate, batch_size, num_steps, rng=0, explode_factor=3.0):
    """Mini-batch gradient descent on mean_squared_error, the lecture's loop for one linear unit.

    Each step: 1. sample batch_size patterns (without replacement), 2. the gradient of the batch's
    mean squared error, -mean_p delta_p x_p, 3. w -= learning_rate * gradient. batch_size = N is
    full-batch gradient descent; batch_size = 1 is Widrow-Hoff's rule, one pattern at a time.

    X: (N, D), t: (N,), w_start: (D,). Stops early (diverged) when the full-data loss is NaN/inf
    or exceeds explode_factor x its starting value.
    Returns a dict: weights (S + 1, D) from w_start on, loss (S + 1,) full-data loss at each of those
    weights, batch_loss (S,) the loss on the batch each step saw, diverged_at (step, 1-based, or None).
    """
    X = checks.array("X", X, ndim=2).astype(np.float64)
    t = checks.array("t", t, ndim=1).astype(np.float64)
    N, D = X.shape
    if t.shape[0] != N:
        raise ValueError(f"t has {t.shape[0]} targets; X has {N} patterns")
    try:
        w = np.array(w_start, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"w_start must hold D numbers, got {w_start!r}") from None
    w = checks.array("w_start", w, ndim=1)
    if w.shape[0] != D:
        raise ValueError(f"w_start has {w.shape[0]} weights; X has D = {D} inputs")
    learning_rate = checks.finite_positive("learning_rate", learning_rate)
    batch_size = checks.integer("batch_size", batch_size, low=1, high=N)
    num_steps = checks.integer("num_steps", num_steps, low=0)
    explode_factor = checks.in_range("explode_factor", explode_factor, 1, math.inf, high_open=True)
    rng = checks.rng("rng", rng)

    weights = np.empty((num_steps + 1, D))
    loss = np.empty(num_steps + 1)
    batch_loss = np.empty(num_steps)
    weights[0], loss[0] = w, mean_squared_error(w, X, t)
    diverged_at, steps = None, num_steps
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(num_steps):
            idx = rng.choice(N, batch_size, replace=False) if batch_size < N else slice(None)
            Xb, tb = X[idx], t[idx]
            delta = tb - Xb @ w                                   # delta_p = t_p - o_p
            batch_loss[step] = 0.5 * np.mean(delta * delta)
            w = w + learning_rate * (delta @ Xb) / batch_size     # w -= lr * dL/dw, dL/dw = -mean delta x
            weights[step + 1], loss[step + 1] = w, mean_squared_error(w, X, t)
            if not np.isfinite(loss[step + 1]) or loss[step + 1] > explode_factor * loss[0]:
                diverged_at, steps = step + 1, step + 1
                break
    return {"weights": weights[: steps + 1], "loss": loss[: steps + 1], "batch_loss": batch_loss[:steps],
            "diverged_at": diverged_at}


def regression_2d(num_points=100, correlation=0.8, noise=0.3, w_true=(2.0, -1.0), rng=0):
    """A linear-regression toy set with two correlated inputs: t = X @ w_true + noise * N(0, 1).

    Returns X (N, 2) float64 (unit variance, the given correlation) and t (N,).
    The correlation stretches the loss contours into ellipses, so descent paths zig-zag.
    """
    rng = checks.rng("rng", rng)
    noise = checks.non_negative("noise", noise)
    w_true = checks.vector("w_true", w_true, 2, "weights")
    X = correlated_gaussian(num_points, correlation, 1.0, (0.0, 0.0), rng)
    t = X @ w_true + noise * rng.standard_normal(X.shape[0])
    return X, t
