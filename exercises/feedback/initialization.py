"""Checks of exercise 4: Xavier and He initialization.

Notation: "std" is a standard deviation, "variance" its square; N(0, s) is never used for a variance.
Xavier: std 1 / sqrt(fan_in) (variance 1 / fan_in); He: std sqrt(2 / fan_in) (variance 2 / fan_in).
The properties: W has shape (fan_in, fan_out) for non-square sizes both ways and is float64; its
entries are drawn one by one (not all equal, no repeated rows or columns); it is drawn from the
rng it is given (reproducible, different for other seeds, fresh on every call); its entries are
gaussian with mean 0 and the std above for every (fan_in, fan_out), so fan_in is honoured; and a
10-layer stack keeps its activations steady.
"""
import math

import numpy as np

from .base import Fail, array, call, check, generator, is_float64, randomness, shaped

# (fan_in, fan_out): the first is the one the messages quote; then fewer and more inputs than outputs
FANS = [(400, 300), (50, 700), (700, 50)]


def _deep_stds(init, activation, rng, num_layers=10, width=256, num_examples=500):
    """Std of each layer's activations in a num_layers deep stack, weights from init(fan_in, fan_out, rng)."""
    h = rng.standard_normal((num_examples, width))
    stds, saturated = [], []
    for _ in range(num_layers):
        w = np.asarray(init(width, width, rng), dtype=np.float64)
        h = h @ w
        h = np.tanh(h) if activation == "tanh" else np.maximum(h, 0)
        stds.append(float(h.std()))
        saturated.append(float(np.mean(np.abs(h) > 0.99)) if activation == "tanh" else 0.0)
    return np.array(stds), np.array(saturated)


def _common_mistakes(fan_in, fan_out):
    """(what the std equals, that std) for the classic mistakes, at these fans."""
    return [
        ("1 / fan_in: that is the variance; divide by the square root, np.sqrt(fan_in)", 1 / fan_in),
        ("1 / sqrt(fan_out): use fan_in, the number of inputs each unit sums", 1 / math.sqrt(fan_out)),
        ("0.01, the small gaussian's std: scale by the fan-in instead", 0.01),
        ("1: rng.standard_normal needs scaling by the fan-in", 1.0),
    ]


def _distinct_entries(w):
    """Fail when W's entries are not drawn one by one: all equal, or rows or columns repeated."""
    symmetric = ("every unit then computes the same output and gets the same gradient, so the units never "
                 "become different (the symmetry the lecture warns about with W = 0)")
    if np.all(w == w.flat[0]):
        raise Fail(f"every weight is {w.flat[0]:g}: {symmetric}; draw every weight at random, "
                   "rng.standard_normal((fan_in, fan_out)) times the std")
    if np.all(w == w[:, :1]):
        raise Fail(f"all {w.shape[1]} columns of W are the same: {symmetric}; draw every entry on its own, "
                   "rng.standard_normal((fan_in, fan_out)), not one column repeated")
    if np.all(w == w[:1, :]):
        raise Fail(f"all {w.shape[0]} rows of W are the same: every input gets the same weight in a unit, so a unit "
                   "sees only the sum of its inputs; draw every entry on its own, rng.standard_normal((fan_in, "
                   "fan_out)), not one row repeated")
    distinct = np.unique(w).size
    if distinct < 0.99 * w.size:
        raise Fail(f"only {distinct} distinct values among the {w.size} weights: draw every entry on its own, "
                   "rng.standard_normal((fan_in, fan_out)), not a few values repeated or rounded")


def _check_init(fn, name, expected_std, mistakes, activation, seed):
    """Shape, randomness, mean, gaussian shape and std of fn's weights for each (fan_in, fan_out);
    returns the first fan_in and the activation stds and saturated fractions over 10 layers."""
    if seed == 0:
        fans = FANS
    else:  # the same pattern with other sizes: non-square, fewer and more inputs than outputs
        low, high = (int(v) for v in generator(seed, 1).integers((40, 500), (120, 900)))
        fans = [(high - 150, low + 200), (low, high), (high, low)]
    fan_in, fan_out = fans[0]
    w = array(call(fn, fan_in, fan_out, generator(seed, 2)), "W")
    if w.shape == (fan_out, fan_in):
        raise Fail(f"W has the wrong shape {w.shape}; expected {(fan_in, fan_out)} = (fan_in, fan_out): "
                   "x @ W needs one row per input")
    shaped(w, (fan_in, fan_out), "W", " = (fan_in, fan_out)")
    is_float64(call(fn, fan_in, fan_out, generator(seed, 2)), "W", "rng.standard_normal((fan_in, fan_out)) * std")
    _distinct_entries(w)
    randomness(lambda rng: array(call(fn, 60, 40, rng), "W"), "weights", "rng.standard_normal((fan_in, fan_out))")
    measured = []
    for a, b in fans:
        given = f" for fan_in = {a}, fan_out = {b}"
        w = shaped(call(fn, a, b, generator(seed, 3, a, b), given=given), (a, b), "W", f" = (fan_in, fan_out){given}")
        std, mean = float(w.std()), float(w.mean())
        if abs(mean) > 5 * std / math.sqrt(w.size) + 1e-12:
            hint = ": rng.random draws from [0, 1); use rng.standard_normal (mean 0)" if np.all(w >= 0) else ""
            raise Fail(f"the weights' mean is {mean:.3g}, not 0{given}{hint}")
        excess_kurtosis = float(np.mean((w - mean) ** 4) / std ** 4 - 3) if std > 0 else 0.0
        if abs(excess_kurtosis) > 0.3:
            looks = " uniform" if abs(excess_kurtosis + 1.2) < 0.2 else " not gaussian"
            raise Fail(f"your weights look{looks} (kurtosis {excess_kurtosis + 3:.2f}; a gaussian's is 3): "
                       f"{name} here draws from a gaussian, rng.standard_normal((fan_in, fan_out)), times the std")
        measured.append((a, b, std))
    for a, b, std in measured:
        want = expected_std(a)
        if not math.isclose(std, want, rel_tol=0.03):
            # a mistake is named only when it reproduces the std of every (fan_in, fan_out)
            for index, (message, _) in enumerate(mistakes(a, b)):
                if all(math.isclose(s, mistakes(p, q)[index][1], rel_tol=0.03) for p, q, s in measured):
                    raise Fail(f"std is {std:.4f} = {message} (fan_in = {a}, fan_out = {b})")
            stds = [s for _, _, s in measured]
            if max(stds) < 1.06 * min(stds):
                raise Fail(f"your weights have std {std:.4f} whatever fan_in and fan_out ("
                           + ", ".join(f"{s:.4f} for {p}x{q}" for p, q, s in measured)
                           + "): the std must follow the fan_in you are given (do not fix a size in the code)")
            table = "; ".join(f"fan_in {p}, fan_out {q}: std {s:.4f}, expected {expected_std(p):.4f}"
                              for p, q, s in measured)
            raise Fail(f"the std of W is wrong: {table}")
    return (fan_in, *_deep_stds(fn, activation, generator(seed, 4)))


def _xavier_mistakes(fan_in, fan_out):
    return [("sqrt(2 / fan_in), He's: Xavier for tanh is 1 / sqrt(fan_in)", math.sqrt(2 / fan_in)),
            ("Glorot's sqrt(2 / (fan_in + fan_out)); this exercise asks for the lecture's 1 / sqrt(fan_in)",
             math.sqrt(2 / (fan_in + fan_out)))] + _common_mistakes(fan_in, fan_out)


def _he_mistakes(fan_in, fan_out):
    return [("1 / sqrt(fan_in), Xavier's: ReLU zeroes half its inputs, so He uses sqrt(2 / fan_in)",
             1 / math.sqrt(fan_in)),
            ("2 / sqrt(fan_in): the 2 goes under the root, sqrt(2 / fan_in)", 2 / math.sqrt(fan_in)),
            ("2 / fan_in: that is the variance; the std is its square root, sqrt(2 / fan_in)", 2 / fan_in),
            ("sqrt(2 / fan_out): use fan_in, the number of inputs each unit sums", math.sqrt(2 / fan_out)),
            ] + _common_mistakes(fan_in, fan_out)


@check("xavier_init")
def check_xavier_init(xavier_init, seed=0):
    """xavier_init(fan_in, fan_out, rng) -> W (fan_in, fan_out), gaussian, mean 0, std 1 / sqrt(fan_in)
    (variance 1 / fan_in); a 10-layer tanh stack keeps its activations steady."""
    fan_in, stds, saturated = _check_init(xavier_init, "xavier_init", lambda fan_in: 1 / math.sqrt(fan_in),
                                          _xavier_mistakes, "tanh", seed)
    if stds[-1] < 0.1 or saturated.max() > 0.1:
        raise Fail(f"activation std over 10 tanh layers goes {stds[0]:.2f} -> {stds[-1]:.2f}: not steady")
    return (f"std 1/sqrt(fan_in) ({1 / math.sqrt(fan_in):.3f} for fan_in {fan_in}) for 3 shapes, from rng, fresh at "
            f"every call; tanh "
            f"activation std over 10 layers {stds[0]:.2f} -> {stds[-1]:.2f}: no collapse, no saturation")


@check("he_init")
def check_he_init(he_init, seed=0):
    """he_init(fan_in, fan_out, rng) -> W (fan_in, fan_out), gaussian, mean 0, std sqrt(2 / fan_in)
    (variance 2 / fan_in); a 10-layer ReLU stack keeps its activations steady."""
    fan_in, stds, _ = _check_init(he_init, "he_init", lambda fan_in: math.sqrt(2 / fan_in), _he_mistakes, "relu",
                                  seed)
    if not 0.5 < stds[-1] / stds[0] < 2:
        raise Fail(f"activation std over 10 ReLU layers goes {stds[0]:.2f} -> {stds[-1]:.2f}: not steady")
    return (f"std sqrt(2/fan_in) ({math.sqrt(2 / fan_in):.4f} for fan_in {fan_in}) for 3 shapes, from rng, fresh at "
            f"every call; ReLU "
            f"activation std over 10 layers {stds[0]:.2f} -> {stds[-1]:.2f}: steady")
