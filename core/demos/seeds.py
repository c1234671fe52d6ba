"""Claims over many seeds: "A beats B in 19 of 20 seeds, by 1.1 +- 0.4 points".

One training run is one draw: its initial weights, batches and dropout masks are random, so a
difference of one or two validation images says nothing. A claim a lecturer says out loud is
measured over several seeds, all drawn from one rng (so the study is repeatable), and stated with
its count and spread:

    result = seeds.compare(run, num_seeds=20, rng=0, names=("momentum", "SGD"))
    print(result.sentence())   # momentum beats SGD in 20 of 20 seeds; difference +21.3 +- 2.1 points

run(seed) trains whatever the claim needs with that seed and returns the two numbers to compare (a
pair), a number (spread) or True / False (count). The same seed goes to both sides of a comparison,
so A and B start from the same weights and see the same batches where the code allows: the
differences are paired.

Lives in core.demos.seeds (notebook support, beside the lecture's path); until the issue-11 split it
was core/seeds.py.
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from .. import checks


def draw_seeds(num_seeds, rng=0):
    """num_seeds seeds (ints in [0, 2**31 - 1)) drawn from one rng (a Generator or a seed)."""
    num_seeds = checks.integer("num_seeds", num_seeds, low=1)
    return [int(s) for s in checks.rng("rng", rng).integers(0, 2**31 - 1, num_seeds)]


def _timed_runs(run, num_seeds, rng, min_seeds=1):
    if not callable(run):
        raise ValueError(f"run must be a function of one seed, got {run!r}")
    checks.integer("num_seeds", num_seeds, low=min_seeds)
    seeds = draw_seeds(num_seeds, rng)
    wall, cpu = time.perf_counter(), time.process_time()
    values = [run(seed) for seed in seeds]
    return seeds, values, time.perf_counter() - wall, time.process_time() - cpu


def _finite(name, seed, value):
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"run(seed={seed}) must return numbers for {name}, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"run(seed={seed}) returned {v} for {name}; return a finite number "
                         "(e.g. chance accuracy for a diverged run)")
    return v


def sample_std(values):
    """Standard deviation with ddof=1 (the spread between seeds); 0 for a single value."""
    return float(np.std(values, ddof=1)) if np.size(values) > 1 else 0.0


def sign_test_p(wins, losses):
    """Two-sided sign test: the chance of a split at least this uneven if A and B were equally good
    (ties left out). 1.0 when there is nothing to test."""
    n = wins + losses
    if n == 0:
        return 1.0
    k = min(wins, losses)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2.0**n
    return min(1.0, 2 * tail)


class _MeanStd:
    """mean and std (the sample standard deviation) over seeds of the numbers self.summarized."""

    @property
    def mean(self):
        return float(np.mean(self.summarized))

    @property
    def std(self):
        return sample_std(self.summarized)


@dataclass(frozen=True)
class Comparison(_MeanStd):
    """A paired comparison over seeds: a[i] and b[i] were measured with seeds[i]."""

    names: tuple            # (name of A, name of B)
    seeds: tuple
    a: np.ndarray           # (S,) A's number per seed
    b: np.ndarray           # (S,) B's number per seed
    higher_is_better: bool
    scale: float            # differences are reported times this (100: accuracy -> points)
    unit: str
    tie: float              # |a - b| <= tie (before scaling) counts as a tie
    verb: str
    seconds: float          # wall time of all the runs
    cpu_seconds: float

    @property
    def differences(self):
        """(S,) how much better A is than B per seed, in units (positive: A better)."""
        d = self.a - self.b if self.higher_is_better else self.b - self.a
        return np.where(np.abs(self.a - self.b) <= self.tie, 0.0, d) * self.scale

    @property
    def summarized(self):
        return self.differences

    @property
    def wins(self):
        return int(np.sum(self.differences > 0))

    @property
    def losses(self):
        return int(np.sum(self.differences < 0))

    @property
    def ties(self):
        return len(self.seeds) - self.wins - self.losses

    @property
    def p_value(self):
        return sign_test_p(self.wins, self.losses)

    def sentence(self, decimals=1, fixed_words=False):
        """'A beats B in 19 of 20 seeds; difference +1.1 +- 0.4 points' (mean +- std of the paired
        differences, positive when A is better), with the ties when there are any.

        fixed_words: always write the ties as '(ties: 0)', so that the words of the sentence do not
        depend on the numbers (a notebook checked on two data sets with its numbers masked)."""
        a, b = self.names
        n = len(self.seeds)
        if fixed_words:
            ties = f" (ties: {self.ties})"
        else:
            ties = f" ({self.ties} {'tie' if self.ties == 1 else 'ties'})" if self.ties else ""
        unit = f" {self.unit}" if self.unit else ""
        return (f"{a} {self.verb} {b} in {self.wins} of {n} seeds{ties}; difference "
                f"{self.mean:+.{decimals}f} +- {self.std:.{decimals}f}{unit}")


def compare(run, num_seeds=20, rng=0, names=("A", "B"), higher_is_better=True, scale=100.0, unit="points",
            tie=0.0, verb="beats"):
    """Run run(seed) -> (a, b) for num_seeds seeds drawn from rng; return a Comparison.

    a, b: the numbers to compare for that seed (accuracy by default: scale 100 turns a difference
    of 0.011 into 1.1 points; for costs pass higher_is_better=False, scale=1, unit="").
    tie: differences up to this size count as ties (0: only exact equality, e.g. the same number
    of correct validation images). Every value must be finite.
    """
    if not (isinstance(names, (tuple, list)) and len(names) == 2):
        raise ValueError(f"names must be a pair (name of A, name of B), got {names!r}")
    scale = checks.finite_positive("scale", scale)
    tie = checks.non_negative("tie", tie)
    seeds, values, seconds, cpu = _timed_runs(run, num_seeds, rng, min_seeds=2)
    pairs = []
    for seed, value in zip(seeds, values):
        if not (isinstance(value, (tuple, list, np.ndarray)) and len(value) == 2):
            raise ValueError(f"run(seed={seed}) must return a pair (a, b), got {value!r}")
        pairs.append((_finite(names[0], seed, value[0]), _finite(names[1], seed, value[1])))
    pairs = np.array(pairs)
    return Comparison(tuple(names), tuple(seeds), pairs[:, 0], pairs[:, 1], bool(higher_is_better), scale,
                      str(unit), tie, str(verb), seconds, cpu)


@dataclass(frozen=True)
class Count:
    """How many seeds a yes/no statement held for: k of n."""

    seeds: tuple
    holds: np.ndarray        # (S,) bool
    seconds: float
    cpu_seconds: float
    k: int = field(init=False)
    n: int = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "k", int(np.sum(self.holds)))
        object.__setattr__(self, "n", len(self.seeds))

    def sentence(self, statement):
        """'statement: in 18 of 20 seeds'."""
        return f"{statement}: in {self.k} of {self.n} seeds"


def count(run, num_seeds=20, rng=0):
    """Run run(seed) -> True / False for num_seeds seeds drawn from rng; return a Count."""
    seeds, values, seconds, cpu = _timed_runs(run, num_seeds, rng)
    for seed, value in zip(seeds, values):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"run(seed={seed}) must return True or False, got {value!r}")
    return Count(tuple(seeds), np.array(values, dtype=bool), seconds, cpu)


@dataclass(frozen=True)
class Spread(_MeanStd):
    """One number measured for every seed."""

    seeds: tuple
    values: np.ndarray       # (S,)
    seconds: float
    cpu_seconds: float

    @property
    def summarized(self):
        return self.values

    def sentence(self, name, decimals=2, scale=1.0, unit=""):
        """'name 0.97 +- 0.01 (0.95 .. 0.98) over 20 seeds' (mean +- std, then min .. max)."""
        v = self.values * scale
        unit = f" {unit}" if unit else ""
        d = decimals
        return (f"{name} {np.mean(v):.{d}f} +- {self.std * scale:.{d}f}{unit} "
                f"({np.min(v):.{d}f} .. {np.max(v):.{d}f}) over {len(self.seeds)} seeds")


def spread(run, num_seeds=20, rng=0):
    """Run run(seed) -> number for num_seeds seeds drawn from rng; return a Spread."""
    seeds, values, seconds, cpu = _timed_runs(run, num_seeds, rng)
    return Spread(tuple(seeds), np.array([_finite("the value", s, v) for s, v in zip(seeds, values)]),
                  seconds, cpu)
