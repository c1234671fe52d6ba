"""The lecture's learning-rate cases, measured on the data that is loaded.

The slides babysit a two-layer net on raw CIFAR-10 pixels: 1e-6 is too low ("loss not going down"),
1e6 gives "cost: NaN", 3e-3 is "still too high" (it falls, then explodes a few epochs later), and
the rough range is [1e-5 ... 1e-3]. None of these numbers transfers to other data: on standardized
digits 1e-6 does nothing at all and 3e-3 is too *low*. What transfers is the recipe, so it is
written here: find where the cost explodes (the "cliff"), then place every case relative to it and
check that each one shows its phenomenon.

    cases = lecture_cases(data)                  # ~1.7 s of CPU on digits (~150 short runs), then cached
    cases.too_low, cases.about_right, cases.slightly_too_high, cases.huge

1. A learning-rate range test (core.search.lr_range_test, plain SGD, the rate growing every
   iteration) says roughly where the cost explodes.
2. Bisection (in log space) between a rate well below that and one above it finds the cliff: the
   smallest constant rate at which at least half of num_seeds runs of num_epochs diverge (cost
   > 3 x its first value, the slide's rule).
3. slightly too high: of a few rates just above the cliff, the one at which the most seeds first
   fall below half the starting cost and then diverge after the first epoch.
   about right: a fifth of the cliff, on the 1-2-3-5 grid, checked: every seed halves its cost.
   too low: going down the 1-2-3-5 grid from a hundredth of the cliff, the smallest rates at which
   the training accuracy still creeps up by 0.05 or more in most seeds; of the two smallest, the
   larger at which the loss is also flat (core.demos.diagnosis.diagnose: "loss not going down", a drop
   under 1 %). Softmax: a tiny push changes the argmax long before the probabilities.
   huge: the slide's 1e6, or a larger power of ten when the cliff is high, checked: with the
   explosion rule off the cost is NaN at the end of every epoch.
   rough range: from the smallest grid rate at which every seed halves its cost to the largest
   below the cliff at which no seed diverges.

Shapes: data holds X_train (N, D), y_train (N,), X_val (M, D), y_val (M,), preprocessed.

Lives in core.demos.lecture_cases (notebook support, beside the lecture's path); until the issue-11
split it was core/lecture_cases.py.
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from .. import checks, search
from ..net import FullyConnectedNet
from ..trainer import train
from . import diagnosis

# The babysitting run of the slides (and of notebook 05): one hidden layer of 50 ReLU units,
# weights N(0, 0.01), plain SGD on batches of 100, reg 1e-6, 10 epochs of 1,000 examples.
BABYSITTING = {"hidden_sizes": (50,), "activation": "relu", "init": "gaussian", "init_scale": 1e-2,
               "update": "sgd", "momentum": 0.9, "batch_size": 100, "num_epochs": 10, "num_train": 1000,
               "reg": 1e-6}
CREEP = 0.05          # "accuracy still creeps up": train accuracy up by at least this from epoch 1
HALVED = 0.5          # "loss goes down": the last epoch's mean cost below half the first cost
ABOUT_RIGHT = 1 / 5   # about right: this fraction of the cliff
SLIDE_HUGE = 1e6      # the slide's "what could possibly go wrong?" learning rate

_CACHE = {}


def fingerprint(data):
    """A short hash of X_train, y_train, X_val, y_val: which data set the cases belong to."""
    return search.data_key(data)


GRID = (1, 2, 3, 5)  # "nice" learning rates: 1, 2, 3, 5 x a power of ten


def nice(value, grid=GRID):
    """The number of the form g x 10**k (g in grid) nearest to value in log space (0.46 -> 0.5)."""
    value = checks.finite_positive("value", value)
    k = math.floor(math.log10(value))
    candidates = [g * 10.0**e for e in (k - 1, k, k + 1) for g in grid]
    return float(min(candidates, key=lambda c: abs(math.log(c / value))))


def grid_below(value, grid=GRID):
    """The numbers g x 10**k (g in grid) below value, largest first (an endless generator)."""
    k = math.floor(math.log10(value)) + 1
    while True:
        for g in sorted(grid, reverse=True):
            candidate = float(f"{g}e{k}")  # exact decimal: 3e-1, not 3 * 0.1 = 0.30000000000000004
            if candidate < value * (1 - 1e-9):
                yield float(candidate)
        k -= 1


def settings_for(settings):
    """BABYSITTING with the given entries replaced; ValueError naming an unknown one."""
    settings = dict(settings or {})
    for name in settings:
        if name not in BABYSITTING:
            raise ValueError(f"unknown setting {name!r}; known: {sorted(BABYSITTING)}")
    return {**BABYSITTING, **settings}


def run(data, settings, learning_rate, seed, learning_rate_decay=1.0, explode_factor=3.0):
    """One run of the settings at one learning rate (the only place that builds and trains a net).

    settings: a full settings dict (settings_for). batch_size None: full-batch gradient descent.
    Returns the core.train TrainResult (status "diverged" when the explosion rule fired).
    """
    s = settings
    X, y = data["X_train"][: s["num_train"]], data["y_train"][: s["num_train"]]
    num_classes = int(max(np.max(data["y_train"]), np.max(data["y_val"]))) + 1
    net = FullyConnectedNet(X.shape[1], list(s["hidden_sizes"]), num_classes, activation=s["activation"],
                            init=s["init"], init_scale=s["init_scale"], rng=seed)
    full_batch = s["batch_size"] is None
    config = {"momentum": s["momentum"]} if s["update"] in ("momentum", "nesterov") else None
    return train(net, X, y, data["X_val"], data["y_val"], num_epochs=s["num_epochs"], reg=s["reg"],
                 batch_size=len(y) if full_batch else min(s["batch_size"], len(y)), sample_batches=not full_batch,
                 update=s["update"], update_config=config, learning_rate=learning_rate,
                 learning_rate_decay=learning_rate_decay, explode_factor=explode_factor, track_ratios=False,
                 rng=seed)


# ---- what each case must show --------------------------------------------------------------------
def last_epoch_cost(result):
    """Mean cost over the last epoch's iterations (mini-batch noise averaged out)."""
    return float(np.mean(result.loss_history[-result.iterations_per_epoch:]))


def creeps(result):
    """The training accuracy rose by CREEP or more from the first epoch to the last."""
    history = result.train_acc_history
    return bool(not result.diverged and len(history) >= 2 and history[-1] - history[0] >= CREEP)


def is_flat_but_creeping(result):
    """Too low: core.demos.diagnosis.diagnose calls the loss flat ("loss not going down": the smoothed cost
    dropped by less than 1 %), yet the training accuracy creeps up (creeps)."""
    return creeps(result) and diagnosis.diagnose(result.loss_history)[0] == diagnosis.DIAGNOSES["flat"]


def falls_then_explodes(result):
    """Slightly too high: the cost first falls below half its start, then the run diverges after
    the first epoch."""
    if not result.diverged or result.diverged_at <= result.iterations_per_epoch:
        return False
    return bool(min(result.loss_history) < HALVED * result.loss_history[0])


def goes_down(result):
    """About right: finished (no explosion) with the last epoch's cost below half its start."""
    return bool(not result.diverged and last_epoch_cost(result) < HALVED * result.loss_history[0])


def nan_every_epoch(result):
    """Huge (with the explosion rule off): the cost is NaN or inf at the end of every epoch."""
    if len(result.loss_history) < result.num_epochs * result.iterations_per_epoch:
        return False  # stopped early (the explosion rule): no NaN logged epoch after epoch
    ends = [result.loss_history[(e + 1) * result.iterations_per_epoch - 1] for e in range(result.num_epochs)]
    return not any(math.isfinite(c) for c in ends)


# ---- the cases --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LectureCases:
    """The learning-rate cases of the babysitting slides, measured on one data set.

    Every rate comes with the evidence it was chosen on (evidence[name]: seeds showing the
    phenomenon, of seeds tried), so a notebook can print it.
    """

    fingerprint: str
    settings: dict
    seeds: tuple
    range_test_explodes_at: float  # where the range test's growing learning rate tripped the 3x rule
    cliff: float                   # smallest constant rate at which most seeds diverge in num_epochs
    too_low: float
    about_right: float
    slightly_too_high: float
    huge: float
    rough_range: tuple             # (low, high)
    evidence: dict = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    runs: int = 0                  # training runs it took

    def as_presets(self):
        """The cases as {label: learning rate}, labelled with their measured values."""
        return {f"too low ({self.too_low:.0e}): loss barely changing": self.too_low,
                f"too high ({self.huge:.0e}): cost NaN": self.huge,
                f"slightly too high ({self.slightly_too_high:.2g}): cost falls, then explodes": self.slightly_too_high,
                f"about right ({self.about_right:.1g})": self.about_right}


class _Runner:
    """Counts runs and answers 'do at least `need` of the seeds show this?' with early stops."""

    def __init__(self, data, settings, seeds):
        self.data, self.settings, self.seeds, self.runs = data, settings, seeds, 0

    def results(self, learning_rate, **kwargs):
        for seed in self.seeds:
            self.runs += 1
            yield run(self.data, self.settings, learning_rate, seed, **kwargs)

    def count(self, learning_rate, test, need=None, **kwargs):
        """Seeds for which test(result) holds; with need, stop once the answer is known."""
        k, left = 0, len(self.seeds)
        for result in self.results(learning_rate, **kwargs):
            left -= 1
            k += bool(test(result))
            if need is not None and (k >= need or k + left < need):
                break
        return k

    def most(self, learning_rate, test, **kwargs):
        return self.count(learning_rate, test, need=len(self.seeds) // 2 + 1, **kwargs) > len(self.seeds) // 2


def _bisect_cliff(runner, explodes_at, steps=7):
    """Bisect (log space) for the smallest rate at which most seeds diverge: (cliff, stable), where
    stable is the largest rate tried at which most seeds did not diverge (cliff / stable < 1.1)."""
    low, high = explodes_at / 100, explodes_at * 2
    while runner.most(low, lambda r: r.diverged):
        low /= 10
    while not runner.most(high, lambda r: r.diverged):
        high *= 10
    for _ in range(steps):
        middle = math.sqrt(low * high)
        if runner.most(middle, lambda r: r.diverged):
            high = middle
        else:
            low = middle
    return high, low


def _range_test_explosion(data, s, seed):
    """Where a learning rate growing every iteration (1e-8 -> 1e8) trips the explosion rule."""
    subset = {k: data[k][: s["num_train"]] if k in ("X_train", "y_train") else data[k]
              for k in ("X_train", "y_train", "X_val", "y_val")}
    hidden = tuple(s["hidden_sizes"]) if len(s["hidden_sizes"]) > 1 else s["hidden_sizes"][0]
    config = {"update": s["update"], "momentum": s["momentum"], "init": s["init"], "init_scale": s["init_scale"],
              "activation": s["activation"], "batch_size": s["batch_size"] or s["num_train"], "hidden_size": hidden}
    result = search.lr_range_test(subset, config, lr_start=1e-8, lr_end=1e8, num_iterations=400, seed=seed)
    return float(result.learning_rates[-1]) if result.status == "diverged" else 1e8


@dataclass(frozen=True)
class Cliff:
    """Where constant-rate training of one setting starts to explode on one data set."""

    cliff: float         # smallest rate tried at which most seeds diverge within num_epochs
    stable: float        # largest rate tried at which most seeds do not (cliff / stable < 1.1)
    explodes_at: float   # where the range test's growing rate tripped the explosion rule
    runs: int
    seconds: float
    cpu_seconds: float

    def rate(self, fraction):
        """fraction x cliff as a preset's learning rate: rounded to a nice number (1, 2, 3, 5 x 10**k)
        below half the cliff; to two significant digits from there on, where rounding down by up to
        a third could cross the cliff (the case would show another phenomenon)."""
        value = self.cliff * checks.finite_positive("fraction", fraction)
        return nice(value) if fraction < 0.5 else float(f"{value:.2g}")


def _check_data(data):
    if not isinstance(data, dict) or any(k not in data for k in ("X_train", "y_train", "X_val", "y_val")):
        raise ValueError("data must be a dict with X_train, y_train, X_val and y_val")


def _seeds(num_seeds, rng):
    num_seeds = checks.integer("num_seeds", num_seeds, low=1, high=50)
    return tuple(int(v) for v in checks.rng("rng", rng).integers(0, 2**31 - 1, 2 * num_seeds))


def learning_rate_cliff(data, settings=None, num_seeds=5, rng=0):
    """The cliff of one setting on data: a range test, then bisection over constant-rate runs of
    num_seeds seeds (drawn from rng). Cached per data set and setting; returns a Cliff.

    settings: entries of BABYSITTING to change (an explorer's own net and training), e.g.
    {"hidden_sizes": (50, 50), "init": "xavier"}. Other explorers take their presets as fractions
    of their own cliff (Cliff.rate), so the presets follow the data.
    """
    _check_data(data)
    s = settings_for(settings)
    seeds = _seeds(num_seeds, rng)[:num_seeds]
    key = ("cliff", fingerprint(data), tuple(sorted(s.items())), seeds)
    if key not in _CACHE:
        wall, cpu = time.perf_counter(), time.process_time()
        runner = _Runner(data, s, seeds)
        explodes_at = _range_test_explosion(data, s, seeds[0])
        cliff, stable = _bisect_cliff(runner, explodes_at)
        _CACHE[key] = Cliff(float(cliff), float(stable), explodes_at, runner.runs + 1,
                            time.perf_counter() - wall, time.process_time() - cpu)
    return _CACHE[key]


def given_or_cliff_rate(data, learning_rate, settings, fraction):
    """An explorer's learning rate: learning_rate when given (checked: a finite number > 0), else
    fraction x the cliff of its own net and training (settings, as learning_rate_cliff takes them) on data,
    so the explorer shows its phenomenon on whichever data set is loaded."""
    if learning_rate is not None:
        return checks.finite_positive("learning_rate", learning_rate)
    return learning_rate_cliff(data, settings).rate(fraction)


def lecture_cases(data, settings=None, num_seeds=5, rng=0, seed=None):
    """Measure the babysitting cases on data (see the module docstring); cached per data set.

    data: preprocessed dict (X_train, y_train, X_val, y_val). settings: entries of BABYSITTING to
    change (the net and its training). num_seeds: runs per candidate rate, with seeds drawn from rng.
    seed: the seed an explorer shows (None: none); each case is then also required to show its
    phenomenon for that seed, so the picture on the screen is the lecture's case.
    Returns a LectureCases.
    """
    _check_data(data)
    s = settings_for(settings)
    drawn = _seeds(num_seeds, rng)
    seeds, extra_seeds = drawn[:num_seeds], drawn[num_seeds:]
    if seed is not None:
        seed = checks.integer("seed", seed, low=0)
    key = (fingerprint(data), tuple(sorted(s.items())), seeds, seed)
    if key in _CACHE:
        return _CACHE[key]
    wall, cpu = time.perf_counter(), time.process_time()
    runner = _Runner(data, s, seeds)
    shown = _Runner(data, s, () if seed is None else (seed,))
    evidence = {}

    def most_and_shown(rate, test, **kwargs):
        return runner.most(rate, test, **kwargs) and shown.count(rate, test, **kwargs) == len(shown.seeds)

    # 1. and 2. the range test and the cliff
    found = learning_rate_cliff(data, settings, num_seeds, rng)
    cliff, stable = found.cliff, found.stable

    # 3. slightly too high: a few rates just above the cliff; the most seeds that fall, then explode
    # (twice the seeds: the counts of neighbouring rates are close); among those shown by at least
    # half of them, one the explorer's seed shows
    more = _Runner(data, s, seeds + extra_seeds)
    best, best_score = None, None
    for factor in (1.0, 1.08, 1.17, 1.26, 1.36):
        rate = float(f"{cliff * factor:.2g}")
        if rate < cliff:
            continue
        k = more.count(rate, falls_then_explodes)
        score = (2 * k >= len(more.seeds) and shown.count(rate, falls_then_explodes) == len(shown.seeds), k)
        if best_score is None or score > best_score:
            best, best_score = rate, score
    evidence["slightly_too_high"] = (best_score[1], len(more.seeds))

    # about right: a fifth of the cliff, on the 1-2-3-5 grid, below the largest stable rate
    candidates = grid_below(min(stable, nice(cliff * ABOUT_RIGHT) * 1.001))
    about_right = next(candidates)
    for _ in range(3):
        if most_and_shown(about_right, goes_down):
            break
        about_right = next(candidates)
    evidence["about_right"] = (runner.count(about_right, goes_down), num_seeds)

    # too low: going down the grid from a hundredth of the cliff, the rates at which the accuracy
    # still creeps up; one step above the smallest of them (where the creep is clear), if the loss
    # is flat there, else the smallest
    creeping = []
    for rate in grid_below(cliff / 100):
        if not (runner.most(rate, creeps) and shown.count(rate, creeps) == len(shown.seeds)) or rate < cliff * 1e-7:
            break
        creeping.append(rate)
    too_low = next((rate for rate in creeping[-2:] if most_and_shown(rate, is_flat_but_creeping)), None)
    if too_low is not None:
        evidence["too_low"] = (runner.count(too_low, is_flat_but_creeping), num_seeds)

    # huge: NaN at every epoch end with the rule off
    huge = max(SLIDE_HUGE, 10.0 ** math.ceil(math.log10(cliff) + 5))
    for _ in range(6):
        if most_and_shown(huge, nan_every_epoch, explode_factor=None):
            break
        huge *= 10
    evidence["huge"] = (runner.count(huge, nan_every_epoch, explode_factor=None), num_seeds)

    # rough range: the rate where every seed halves its cost .. the largest that never diverges
    high = next(rate for rate in grid_below(cliff) if runner.count(rate, lambda r: r.diverged, need=1) == 0)
    low = high
    for rate in grid_below(high):
        if runner.count(rate, goes_down, need=num_seeds) < num_seeds:
            break
        low = rate

    cases = LectureCases(key[0], s, seeds, found.explodes_at, cliff, too_low, about_right, best,
                         float(huge), (low, high), evidence, time.perf_counter() - wall + found.seconds,
                         time.process_time() - cpu + found.cpu_seconds,
                         runner.runs + more.runs + shown.runs + found.runs)
    _CACHE[key] = cases
    return cases
