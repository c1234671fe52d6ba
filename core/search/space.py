"""Search spaces: which hyperparameters a configuration may set, and how to draw them.

A search space is a dict {hyperparameter name: spec}. A spec is one of three small dataclasses,
with bounds given as *values* (not exponents):

    LogUniform(1e-6, 1e-3)      10**uniform(-6, -3): uniform in log space (same as LogUniform.exponents(-6, -3))
    Uniform(0.5, 1.0)           uniform in linear space
    Choice(("sgd", "momentum")) one of a list, equally likely

Lives in core.search.space; until the issue-11 split, core/search.py held all of core.search.
"""
import math
from dataclasses import dataclass

import numpy as np

from .. import checks
from ..init import INITIALIZERS
from ..layers import ACTIVATIONS
from ..optim import UPDATE_RULES

# Every hyperparameter a configuration may set, with the value used when it is neither searched
# nor fixed. update, momentum, learning_rate_decay and batch_size are the slide's coarse search.
DEFAULTS = {
    "learning_rate": 1e-2,
    "reg": 0.0,
    "hidden_size": 50,        # an int, or a tuple of ints for several hidden layers
    "p_keep": 1.0,            # dropout keep probability (1: no dropout)
    "init": "gaussian",
    "init_scale": 1e-2,       # std of the gaussian init (a multiplier for xavier/he)
    "activation": "relu",
    "update": "momentum",
    "momentum": 0.9,          # used by the momentum and nesterov updates
    "learning_rate_decay": 0.9,
    "batch_size": 100,
}
# Hard limits of some hyperparameters: ranges must lie inside, an edge warning never suggests going past.
DOMAINS = {"p_keep": (0.0, 1.0), "momentum": (0.0, 1.0), "learning_rate_decay": (0.0, 1.0)}
# The names a categorical hyperparameter may take.
NAMES = {"update": UPDATE_RULES, "init": INITIALIZERS, "activation": ACTIVATIONS}
# Short names in printed lines, as on the slide ("lr: 1.405206e-04").
LABELS = {"learning_rate": "lr"}


@dataclass(frozen=True)
class LogUniform:
    """10**uniform(log10(low), log10(high)): every decade between low and high equally likely.

    low, high: values > 0 with low < high. integer: round the drawn value (e.g. hidden_size).
    """

    low: float
    high: float
    integer: bool = False

    @classmethod
    def exponents(cls, low_exp, high_exp, integer=False):
        """The slide's 10**uniform(low_exp, high_exp) written with exponents: exponents(-6, -3)."""
        return cls(10.0 ** low_exp, 10.0 ** high_exp, integer)

    def check(self, name):
        for end in ("low", "high"):
            checks.finite_positive(f"{name} ({type(self).__name__}.{end})", getattr(self, end))
        _check_order(name, self)

    def draw(self, rng, size):
        values = 10.0 ** rng.uniform(math.log10(self.low), math.log10(self.high), size)
        return _rounded(values, self.integer)

    def position(self, value):
        """Where value sits in the range: 0 at low, 1 at high, measured in log space."""
        return (math.log10(value) - math.log10(self.low)) / (math.log10(self.high) - math.log10(self.low))

    def __str__(self):
        exponents = f"{math.log10(self.low):.3g}, {math.log10(self.high):.3g}"
        return f"LogUniform({self.low:.3g}, {self.high:.3g})  # 10**uniform({exponents})"


@dataclass(frozen=True)
class Uniform:
    """uniform(low, high) in linear space (for p_keep, momentum, ...). integer: round the value."""

    low: float
    high: float
    integer: bool = False

    def check(self, name):
        for end in ("low", "high"):
            value = getattr(self, end)
            if not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
                raise ValueError(f"{name} ({type(self).__name__}.{end}) must be a finite number, got {value!r}")
        _check_order(name, self)

    def draw(self, rng, size):
        return _rounded(rng.uniform(self.low, self.high, size), self.integer)

    def position(self, value):
        return (value - self.low) / (self.high - self.low)

    def __str__(self):
        return f"Uniform({self.low:.3g}, {self.high:.3g})"


@dataclass(frozen=True)
class Choice:
    """One of `values`, each equally likely (update rules, hidden sizes, init names, ...)."""

    values: tuple

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))

    def check(self, name):
        if len(self.values) == 0:
            raise ValueError(f"{name} (Choice) is an empty list of values")

    def draw(self, rng, size):
        return [self.values[i] for i in rng.integers(0, len(self.values), size)]

    def __str__(self):
        return f"Choice({list(self.values)})"


def _check_order(name, spec):
    kind = type(spec).__name__
    if spec.low > spec.high:
        raise ValueError(f"{name} range is inverted: {kind}(low={spec.low!r}, high={spec.high!r}) has "
                         f"low > high; write {kind}({spec.high!r}, {spec.low!r})")
    if spec.low == spec.high:
        raise ValueError(f"{name} range is empty: {kind}(low={spec.low!r}, high={spec.high!r}); "
                         "fix the value with fixed={...} instead")
    if spec.integer and math.floor(spec.high) < math.ceil(spec.low):
        raise ValueError(f"{name} integer range {kind}({spec.low!r}, {spec.high!r}) holds no integer")


def _rounded(values, integer):
    if integer:
        return [int(v) for v in np.rint(values)]
    return [float(v) for v in values]


def check_specs(specs, fixed=None):
    """Raise ValueError naming any unknown hyperparameter, bad spec, or name both searched and fixed.

    specs: {name: LogUniform | Uniform | Choice}; fixed: {name: value} for the hyperparameters not searched.
    """
    if not isinstance(specs, dict):
        raise ValueError(f"specs must be a dict {{hyperparameter: spec}}, got {type(specs).__name__}")
    fixed = {} if fixed is None else fixed
    if not isinstance(fixed, dict):
        raise ValueError(f"fixed must be a dict {{hyperparameter: value}}, got {type(fixed).__name__}")
    for where, names in (("specs", specs), ("fixed", fixed)):
        for name in names:
            if name not in DEFAULTS:
                raise ValueError(f"unknown hyperparameter {name!r} in {where}; known: {sorted(DEFAULTS)}")
    for name, spec in specs.items():
        if not isinstance(spec, (LogUniform, Uniform, Choice)):
            raise ValueError(f"specs[{name!r}] must be a LogUniform, Uniform or Choice, got {spec!r}")
        spec.check(f"specs[{name!r}]")
        if name in fixed:
            raise ValueError(f"hyperparameter {name!r} is both searched (specs) and fixed")
        if name in DOMAINS and not isinstance(spec, Choice):
            low, high = DOMAINS[name]
            if spec.low < low or spec.high > high:
                raise ValueError(f"specs[{name!r}] = {spec} must lie inside [{low}, {high}]")
        for value in spec.values if isinstance(spec, Choice) else ():
            _check_name(f"specs[{name!r}]", name, value)
    for name, value in fixed.items():
        _check_name(f"fixed[{name!r}]", name, value)


def _check_name(where, name, value):
    if name in NAMES and value not in NAMES[name]:
        raise ValueError(f"{where}: unknown {name} {value!r}; known: {sorted(NAMES[name])}")


def sample(specs, num_configs, rng=0, fixed=None):
    """Draw num_configs configurations: a list of dicts {name: value} holding every searched
    hyperparameter (the order of specs) followed by the fixed ones. rng: a Generator or seed."""
    check_specs(specs, fixed)
    num_configs = checks.integer("num_configs", num_configs, low=1)
    rng = checks.rng("rng", rng)
    columns = {name: spec.draw(rng, num_configs) for name, spec in specs.items()}
    return [{**{name: columns[name][i] for name in specs}, **(fixed or {})} for i in range(num_configs)]


def full_config(config):
    """config with DEFAULTS filled in for every hyperparameter it does not set."""
    unknown = [name for name in config if name not in DEFAULTS]
    if unknown:
        raise ValueError(f"unknown hyperparameter {unknown[0]!r} in config; known: {sorted(DEFAULTS)}")
    return {**DEFAULTS, **config}
