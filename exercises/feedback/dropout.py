"""Check of exercise 5: inverted dropout.

The properties: out has x's shape for inputs of any rank; x is left unchanged; at train time every
unit is dropped or kept independently of every other unit (no whole examples, no mask shared by the
examples), a fraction p_keep is kept for each p_keep given, and a kept unit is divided by exactly
p_keep on every call; the mask comes from the rng that is given (reproducible, different for other
seeds, fresh on every call); at test time out equals x whatever p_keep.
"""
import numpy as np

from .base import Fail, array, call, check, copies, diagnose, generator, keeps_float64, randomness, unchanged

SHAPES = [(1000, 100), (2000,), (40, 50, 10)]  # (N, D), units alone, (N, channels, positions)
P_KEEPS = (0.8, 0.35)
ANY_SHAPE = "the docstring allows any shape: code that assumes 2 dimensions (N, D = x.shape) fails here"


def _inputs(seed, k, shape):
    return generator(seed, k).uniform(0.5, 1.5, shape)


def _axis_message(axis, ndim, agree, expected):
    if ndim == 2 and axis == 1:
        return ("all units of an example are kept or dropped together (a mask of shape (N, 1) drops whole "
                "examples): dropout drops each unit on its own, mask = rng.random(x.shape) < p_keep")
    if ndim == 2 and axis == 0:
        return ("every example got the same mask (a mask of shape (D,) or (1, D) is shared by the whole batch): "
                "draw one for every entry, mask = rng.random(x.shape) < p_keep")
    if agree == 1.0:
        return (f"your mask is the same all along axis {axis} of x (shape with {ndim} dimensions): entries that "
                "differ only in that index are kept or dropped together; draw one mask value per entry, "
                "mask = rng.random(x.shape) < p_keep")
    return (f"neighbouring entries along axis {axis} are kept or dropped together more often than chance "
            f"({agree:.0%} agree; independent units agree {expected:.0%}): draw one mask value per entry, "
            "mask = rng.random(x.shape) < p_keep")


def _train_properties(out, x, p_keep, given):
    """Per-unit mask, the fraction kept and the exact 1 / p_keep scale of one train-time output."""
    kept = out != 0
    fraction = float(kept.mean())
    tolerance = max(0.02, 4 * np.sqrt(p_keep * (1 - p_keep) / kept.size))  # 4 standard errors
    if fraction > 0.999 and p_keep < 1:
        raise Fail(f"nothing was dropped at train time{given}: with mode='train' set each unit to 0 with "
                   "probability 1 - p_keep (one number, rng.random(), for the whole array keeps or drops everything "
                   "at once: draw rng.random(x.shape))")
    if fraction == 0:
        raise Fail(f"every unit was dropped at train time (p_keep = {p_keep}){given}: one number, rng.random(), for "
                   "the whole array drops everything or nothing at once; draw one per unit, "
                   "mask = rng.random(x.shape) < p_keep")
    for axis in range(kept.ndim):
        if kept.shape[axis] < 2:
            continue
        first = np.take(kept, np.arange(kept.shape[axis] - 1), axis=axis)
        second = np.take(kept, np.arange(1, kept.shape[axis]), axis=axis)
        agree = float(np.mean(first == second))
        expected = fraction ** 2 + (1 - fraction) ** 2
        if agree > expected + 0.1 or (agree == 1.0 and 0 < fraction < 1):
            raise Fail(_axis_message(axis, kept.ndim, agree, expected) + given)
    if p_keep != 0.5 and abs(fraction - (1 - p_keep)) < tolerance:
        raise Fail(f"you keep {fraction:.0%} of the units, but p_keep = {p_keep} is the probability of KEEPING a "
                   f"unit{given}: mask = rng.random(x.shape) < p_keep")
    if abs(fraction - p_keep) > tolerance:
        raise Fail(f"with p_keep = {p_keep} you keep {fraction:.0%} of the units; expected about {p_keep:.0%}{given}"
                   + (": use the p_keep you are given" if abs(fraction - 0.5) < tolerance else ""))
    scale = out[kept] / x[kept]
    if not np.allclose(scale, 1 / p_keep, rtol=1e-9, atol=0):
        mean_ratio = float(out.mean() / x.mean())
        if np.allclose(scale, 1.0):
            raise Fail(f"your inverted dropout leaves the mean at {mean_ratio:.2f} x{given}: did you divide by p_keep?")
        if np.allclose(scale, p_keep):
            raise Fail(f"your inverted dropout leaves the mean at {mean_ratio:.2f} x{given}: you multiplied by "
                       "p_keep; inverted dropout divides the kept units by p_keep")
        if np.allclose(scale, 1 / (1 - p_keep)):
            raise Fail(f"kept units are divided by 1 - p_keep = {1 - p_keep:.6g}, the probability of DROPPING a unit"
                       f"{given}: inverted dropout divides by p_keep = {p_keep}, the probability of keeping it")
        if np.allclose(scale, 1 / fraction, rtol=1e-9):
            raise Fail(f"kept units are divided by {fraction:.6f}, the fraction kept in this mask (mask.mean()), not "
                       f"by p_keep = {p_keep}{given}: that scale changes from call to call; divide by p_keep, exactly "
                       f"1 / p_keep = {1 / p_keep:.6g}")
        raise Fail(f"kept units are scaled by {float(scale.min()):.6g} to {float(scale.max()):.6g}; expected exactly "
                   f"1 / p_keep = {1 / p_keep:.6g}{given} (first kept unit: x = {float(x[kept][0]):.4f}, expected "
                   f"out = {float(x[kept][0] / p_keep):.4f}, got {float(out[kept][0]):.4f})")
    return fraction


@check("inverted_dropout")
def check_inverted_dropout(inverted_dropout, seed=0):
    """inverted_dropout(x, p_keep, mode, rng) -> out: drop each unit with probability 1 - p_keep and divide
    the kept ones by p_keep at train time; return x unchanged at test time. x any shape."""
    x = _inputs(seed, 0, SHAPES[0])
    fractions = {}
    rngs = [generator(seed, 1, k) for k in range(len(P_KEEPS))]  # all alive: no two share an id()
    for p_keep, rng in zip(P_KEEPS, rngs):
        before = copies(x=x)
        given = "" if p_keep == P_KEEPS[0] else f" (with p_keep = {p_keep})"
        out = call(inverted_dropout, x, p_keep, "train", rng, given=given)
        if isinstance(out, tuple):
            raise Fail(f"inverted_dropout returned a tuple of {len(out)} (out and the mask?); return out alone, an "
                       "array the shape of x")
        unchanged(before, {"x": x}, "inverted_dropout")
        keeps_float64(out, "out", "the entries of x")
        out = array(out, "out")
        if out.shape != x.shape:
            raise Fail(f"out has the wrong shape {out.shape}; expected {x.shape}, the shape of x{given}")
        fractions[p_keep] = _train_properties(out, x, p_keep, given)
    randomness(lambda rng: array(call(inverted_dropout, x[:50].copy(), 0.5, "train", rng), "out"), "masks",
               "rng.random(x.shape) < p_keep")
    for k, shape in enumerate(SHAPES[1:], 1):
        x_k = _inputs(seed, k, shape)
        given = f" for x of shape {shape}"
        out = array(call(inverted_dropout, x_k.copy(), 0.8, "train", generator(seed, 2, k),
                         given=f"{given} ({ANY_SHAPE})"), "out")
        if out.shape != shape:
            raise Fail(f"out has the wrong shape {out.shape}; expected {shape}, the shape of x{given}")
        _train_properties(out, x_k, 0.8, given)
    all_kept = array(call(inverted_dropout, x.copy(), 1.0, "train", generator(seed, 3)), "out")
    if not np.allclose(all_kept, x):
        raise Fail("with p_keep = 1 (keep everything) train-time out must equal x")
    for p_keep in P_KEEPS:
        before = copies(x=x)
        test = call(inverted_dropout, x, p_keep, "test", generator(seed, 4))
        unchanged(before, {"x": x}, "inverted_dropout")
        test = array(test, "out at test time")
        if test.shape != x.shape:
            raise Fail(f"out at test time has the wrong shape {test.shape}; expected {x.shape}, the shape of x")
        if not np.allclose(test, x):
            diagnose(test, [
                ("at test time you scaled by p_keep: that is vanilla dropout; inverted dropout leaves test time "
                 "unchanged (return x)", x * p_keep),
                ("at test time you divided by p_keep: test time is unchanged (return x)", x / p_keep),
            ], "at test time (mode='test') you dropped or changed units: return x unchanged"
               if np.any(test == 0) else "at test time out must equal x (inverted dropout leaves test time unchanged)")
    first = P_KEEPS[0]
    return (f"per-unit masks from rng, fresh at every call; keeps {fractions[first]:.0%} at p_keep = {first} and "
            f"{fractions[P_KEEPS[1]]:.0%} at {P_KEEPS[1]}, kept units x / p_keep exactly, any shape; test time "
            "unchanged")
