"""Check of exercise 3: sampling a hyperparameter log-uniformly for random search.

The properties: the result has shape (size,) for every size; every value lies in [low, high] for
every range (below 1, across 1, with exponents that are not whole numbers), so low and high are
honoured; log(value) is uniform on [log low, log high] (any base: np.exp of a natural-log uniform is
as right as 10 ** of a base-10 one) and continuous (almost all values distinct: no exponents
rounded to a grid, no picks from a fixed list); the result is float64; the values come from the rng
that is given (reproducible, different for other seeds and not the same values reordered, fresh on
every call).
"""
import numpy as np

from .base import Fail, array, call, check, generator, is_float64, randomness, shaped

RANGES = [(1e-6, 1e-3), (1e-2, 1e2), (3e-5, 2e-2)]
SIZE = 3000
REVERSED = ("numpy's Generator.uniform(a, b) needs a <= b. The slide writes 10**uniform(-3, -6), larger exponent "
            "first, as the old np.random.uniform accepted; with a Generator put the smaller one first: "
            "10 ** rng.uniform(np.log10(low), np.log10(high), size)")


def _within(values, low, high):
    return bool(np.all((values >= low * (1 - 1e-9)) & (values <= high * (1 + 1e-9))))


def _draw(log_uniform, low, high, size, rng, given=""):
    try:
        return call(log_uniform, low, high, size, rng, given=given)
    except Fail as error:
        if "ValueError" in str(error) and "high - low" in str(error):
            raise Fail(f"{error}: {REVERSED}") from None
        raise


def _uniformity(values, low, high, given):
    """Fail when log(values) is not uniform on [log low, log high], naming the cause it can identify."""
    exponents = np.log10(values)
    a, b = np.log10(low), np.log10(high)
    if np.allclose(exponents, np.round(exponents)):
        raise Fail(f"every value is a whole power of 10 ({', '.join(f'{v:g}' for v in np.unique(values)[:4])}, ...)"
                   f"{given}: draw the exponent from a continuous uniform, 10 ** rng.uniform(np.log10(low), "
                   "np.log10(high), size), not rng.integers")
    distinct = np.unique(values).size
    if distinct == 1:
        raise Fail(f"all {values.size} samples are the same value, {values[0]:.3g}{given}: you drew one number and "
                   "repeated it; draw size of them, 10 ** rng.uniform(np.log10(low), np.log10(high), size)")
    if distinct < 0.99 * values.size:
        step = float(np.median(np.diff(np.unique(exponents))))
        raise Fail(f"only {distinct} distinct values among {values.size} samples{given}: your exponents lie on a grid "
                   f"(steps of about {step:.2g} in log10; rounded, or picked from a fixed list such as np.logspace), "
                   "so random search can only try those few values; draw continuous exponents and do not round "
                   "them: 10 ** rng.uniform(np.log10(low), np.log10(high), size)")
    top = float(np.mean(exponents >= b - 1))
    if b - a >= 2 and top > 0.6:
        raise Fail(f"{top:.0%} of your samples lie in the top decade [{10 ** (b - 1):g}, {high:g}]{given}: you sampled "
                   "uniformly in linear space; sample the exponent: 10 ** rng.uniform(np.log10(low), np.log10(high))")
    u = np.sort((exponents - a) / (b - a))
    ecdf = np.arange(1, u.size + 1) / u.size
    worst = int(np.argmax(np.abs(ecdf - u)))
    if abs(ecdf[worst] - u[worst]) > 0.04:
        at = a + u[worst] * (b - a)
        raise Fail(f"log10 of your samples is not uniform on [{a:.3g}, {b:.3g}]{given}: {ecdf[worst]:.0%} of them "
                   f"lie below 10**{at:.2f} = {10 ** at:.3g}; a uniform exponent puts {u[worst]:.0%} there")


@check("log_uniform")
def check_log_uniform(log_uniform, seed=0):
    """log_uniform(low, high, size, rng) -> (size,) values whose log is uniform in [log low, log high]."""
    ranges = RANGES if seed == 0 else [(10.0 ** a, 10.0 ** (a + w)) for a, w in
                                       zip(generator(seed, 1).uniform(-7, 1, 3), (3, 4, 2.7))]
    low, high = ranges[0]
    values = array(_draw(log_uniform, low, high, SIZE, generator(seed, 2)), "the result")
    if values.ndim == 1 and values.size != SIZE:
        raise Fail(f"the result has {values.size} values; expected size = {SIZE}: use the size you are given")
    values = shaped(values, (SIZE,), "the result", " = (size,)")
    is_float64(_draw(log_uniform, low, high, SIZE, generator(seed, 2)), "the result",
               "10 ** rng.uniform(np.log10(low), np.log10(high), size)")
    if np.any(values < 0):
        raise Fail(f"some values are negative ({values.min():.3g}): did you return the exponent? "
                   "return 10 ** exponent")
    for k, (low_k, high_k) in enumerate(ranges):
        given = "" if k == 0 else f" for low = {low_k:g}, high = {high_k:g}"
        values = values if k == 0 else shaped(_draw(log_uniform, low_k, high_k, SIZE, generator(seed, 3, k), given),
                                              (SIZE,), "the result", f" = (size,){given}")
        if not _within(values, low_k, high_k):
            hint = ""
            if _within(values, np.exp(np.log10(low_k)), np.exp(np.log10(high_k))):
                hint = ": np.exp of a base-10 exponent? use 10 ** rng.uniform(np.log10(low), np.log10(high))"
            elif _within(values, 10 ** np.log(low_k), 10 ** np.log(high_k)):
                hint = (": 10 ** of a natural-log exponent? use the same base both ways, 10 ** with np.log10 "
                        "(or np.exp with np.log)")
            elif k and _within(values, low, high):
                hint = f": they stay in [{low:g}, {high:g}]; use the low and high you are given"
            raise Fail(f"samples lie outside [{low_k:g}, {high_k:g}] (from {values.min():.3g} to {values.max():.3g})"
                       f"{given}{hint}")
        _uniformity(values, low_k, high_k, given)
    randomness(lambda rng: array(_draw(log_uniform, low, high, 50, rng), "the result"), "samples",
               "10 ** rng.uniform(np.log10(low), np.log10(high), size)")
    first = array(_draw(log_uniform, low, high, SIZE, generator(seed, 2)), "the result")
    if np.all(np.diff(first) >= 0) or np.all(np.diff(first) <= 0):
        raise Fail("your samples come out sorted: random search draws the learning rates and the regularization "
                   "strengths with two calls, and sorted draws pair the smallest with the smallest; return them in "
                   "the order they were drawn")
    for size in (1, 7):
        shaped(_draw(log_uniform, low, high, size, generator(seed, 4, size), f" for size = {size}"), (size,),
               "the result", f" = (size,) for size = {size}: use the size you are given")
    values = array(_draw(log_uniform, low, high, SIZE, generator(seed, 2)), "the result")
    decades = np.histogram(np.log10(values), bins=np.arange(np.log10(low), np.log10(high) + 0.5))[0] / SIZE
    return (f"log10 uniform on [{low:g}, {high:g}] (each decade gets {', '.join(f'{d:.0%}' for d in decades)}) and on "
            f"{len(ranges) - 1} other ranges; from rng, fresh at every call; any size")
