"""The numbers the exercise explorers (exercises/explorers/) show around the student's own functions:
the activations of a deep stack under an initializer (exercise 04), the path of an update rule down a
narrow valley (06), how samples spread over the decades (03), and what a dropout function does on
average (05). Each takes the student's function (or its outputs) as an argument, so the reference and
the student's code are measured by the same lines.

Shapes: N examples, H units (the stack's width), L layers, K bins.
"""
import numpy as np

PATH_LIMIT = 1e4  # update_path: a loss above this (or NaN/inf) counts as diverged, and is drawn at this height


def deep_activations(init, activation, rng, num_layers=10, width=256, num_examples=300, weights=None):
    """The activations of each layer of a num_layers deep stack with weights from init(fan_in, fan_out, rng),
    fed with unit gaussian inputs (num_examples, width).

    activation: "tanh" or "relu" (anything else). weights: the num_layers (width, width) matrices to use
    instead of drawing them. Returns a list of num_layers arrays (num_examples, width)."""
    h = rng.standard_normal((num_examples, width))
    if weights is None:
        weights = [np.asarray(init(width, width, rng), dtype=np.float64) for _ in range(num_layers)]
    forward = np.tanh if activation == "tanh" else (lambda z: np.maximum(z, 0))
    out = []
    for w in weights:
        h = forward(h @ w)
        out.append(h)
    return out


def valley_loss(w, steep=20.0):
    """f(w) = (w0^2 + steep * w1^2) / 2 and its gradient: a long narrow valley. w: (2,)."""
    return 0.5 * (w[0] ** 2 + steep * w[1] ** 2), np.array([w[0], steep * w[1]])


def update_path(rule, learning_rate, num_steps, start=(-4.0, 1.0), steep=20.0):
    """Positions (S + 1, 2) and losses (S + 1,) of rule(w, dw, config) -> (w, config) on the valley, from
    start; S = num_steps, or fewer when a position leaves the square |w| <= 1e6 (or is not finite)."""
    w = np.array(start, dtype=np.float64)
    config = {"learning_rate": learning_rate}
    path, losses = [w.copy()], [valley_loss(w, steep)[0]]
    for _ in range(num_steps):
        _, dw = valley_loss(w, steep)
        w, config = rule(w, dw, config)
        w = np.asarray(w, dtype=np.float64)
        path.append(w.copy())
        losses.append(valley_loss(w, steep)[0])
        if not np.all(np.isfinite(w)) or np.abs(w).max() > 1e6:
            break
    return np.array(path), np.array(losses)


def path_diverged(losses):
    """Whether an update_path run ended diverged: its last loss above PATH_LIMIT, or NaN/inf."""
    return not np.isfinite(losses[-1]) or losses[-1] > PATH_LIMIT


def per_decade(values, exponents):
    """The fraction of all N values in each decade [10^e_k, 10^e_(k+1)) between consecutive integer
    exponents (K + 1,), the last decade closed: (K,). Values <= 0 count in N but in no decade."""
    values = np.asarray(values, dtype=float)
    return np.histogram(np.log10(values[values > 0]), bins=exponents)[0] / values.size


def top_decade(values, high_exponent):
    """The fraction of values (N,) at or above 10^(high_exponent - 1): those in the top decade below 10^high."""
    return float(np.mean(np.asarray(values, dtype=float) >= 10.0 ** (high_exponent - 1)))


def clipped_fractions(values, edges):
    """The fraction of values (any shape) in each bin of edges (K + 1,): (K,). NaN counts as 0, and values
    beyond the edges in the end bins (clipped), so the fractions add up to 1."""
    values = np.clip(np.nan_to_num(np.ravel(values), nan=0.0), edges[0], edges[-1])
    return np.histogram(values, bins=edges)[0] / values.size


def dropout_summary(x, train, test):
    """What a dropout function did to inputs x (H,): train (N, H), its train-mode outputs for N copies of x;
    test (H,), its test-mode output. Returns a dict: mean (H,), the train outputs' mean per unit; kept, the
    fraction of outputs not zeroed; scale, the median factor of a kept output over its input (NaN if none was
    kept); ratio, the sum of mean over the sum of test (1 when test time needs no scaling)."""
    x, train, test = (np.asarray(a, dtype=float) for a in (x, train, test))
    kept = train != 0
    mean = train.mean(axis=0)
    scale = float(np.median((train / x)[kept])) if kept.any() else float("nan")
    return {"mean": mean, "kept": float(kept.mean()), "scale": scale, "ratio": float(mean.sum() / test.sum())}
