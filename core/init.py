"""Weight initializers. Each returns a (fan_in, fan_out) array drawn with the given rng.

The fan-in argument: a unit sums fan_in inputs, so Var(out) = fan_in * Var(w) * Var(in).
Var(w) = 1 / fan_in keeps the variance steady (Xavier, for tanh); ReLU zeroes half of its inputs,
so He doubles it: Var(w) = 2 / fan_in.
"""
import numpy as np

from . import checks


def gaussian(fan_in, fan_out, rng, scale=0.01):
    """N(0, scale^2): the slide's `scale * randn(D, H)`."""
    return scale * rng.standard_normal((fan_in, fan_out))


def xavier_normal(fan_in, fan_out, rng, scale=1.0):
    """N(0, 1 / fan_in) (the lecture's Xavier: w = randn(n) / sqrt(n)), times scale."""
    return scale * rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)


def xavier_uniform(fan_in, fan_out, rng, scale=1.0):
    """Glorot uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), variance 2 / (fan_in + fan_out)."""
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return scale * rng.uniform(-a, a, (fan_in, fan_out))


def he_normal(fan_in, fan_out, rng, scale=1.0):
    """N(0, 2 / fan_in): the slide's `w = randn(n) * sqrt(2.0/n)`, times scale."""
    return scale * rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)


def he_uniform(fan_in, fan_out, rng, scale=1.0):
    """U(-a, a) with a = sqrt(6 / fan_in), variance 2 / fan_in."""
    a = np.sqrt(6.0 / fan_in)
    return scale * rng.uniform(-a, a, (fan_in, fan_out))


INITIALIZERS = {
    "gaussian": gaussian,
    "xavier": xavier_normal,
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "he": he_normal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
}


def init_weights(name, fan_in, fan_out, rng, scale=None):
    """Draw a (fan_in, fan_out) weight matrix with initializer `name`.

    scale: standard deviation for "gaussian" (default 0.01), a multiplier for the others (default 1).
    """
    checks.choice("init", name, INITIALIZERS)
    checks.integer("fan_in", fan_in, low=1)
    checks.integer("fan_out", fan_out, low=1)
    rng = checks.rng("rng", rng)
    if scale is None:
        scale = 0.01 if name == "gaussian" else 1.0
    scale = checks.finite_positive("scale", scale)
    return INITIALIZERS[name](fan_in, fan_out, rng, scale)


def expected_std(name, fan_in, fan_out, scale=None):
    """The standard deviation each initializer is designed to give (for tests and for the notebook)."""
    checks.choice("init", name, INITIALIZERS)
    checks.integer("fan_in", fan_in, low=1)
    checks.integer("fan_out", fan_out, low=1)
    if scale is None:
        scale = 0.01 if name == "gaussian" else 1.0
    scale = checks.finite_positive("scale", scale)
    std = {
        "gaussian": 1.0,
        "xavier": 1 / np.sqrt(fan_in),
        "xavier_normal": 1 / np.sqrt(fan_in),
        "xavier_uniform": np.sqrt(2.0 / (fan_in + fan_out)),
        "he": np.sqrt(2.0 / fan_in),
        "he_normal": np.sqrt(2.0 / fan_in),
        "he_uniform": np.sqrt(2.0 / fan_in),
    }[name]
    return float(scale * std)


def init_for(activation):
    """The initializer the lecture pairs with an activation: "he" (sqrt(2/n)) for ReLU and leaky ReLU,
    "xavier" (1/sqrt(n)) for tanh and sigmoid."""
    checks.choice("activation", activation, ("relu", "leaky_relu", "tanh", "sigmoid"))
    return "he" if activation in ("relu", "leaky_relu") else "xavier"
