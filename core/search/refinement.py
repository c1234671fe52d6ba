"""Coarse -> fine: narrow the ranges around the best configurations, and warn when a best value sits
on the edge of its range.

    "I like to do coarse -> fine cross-validation in stages
     First stage: only a few epochs to get rough idea of what params work
     Second stage: longer running time, finer search"

The slide's worry: a best learning rate on the edge of the searched range ("this result is
worrying. Why?"): better values may lie outside it.

Lives in core.search.refinement; until the issue-11 split, core/search.py held all of core.search.
"""
import math
from dataclasses import dataclass

from .. import checks
from .space import DOMAINS, Choice, LogUniform, check_specs


def refine(specs, results, top_k=5, margin=0.1):
    """Narrow each range around the top_k finished configurations: the next, finer stage.

    LogUniform: [min, max] of the top values in log space, widened by margin x the old log width
    on each side, kept inside the old range. Uniform: the same in linear space. Choice: the values
    used by the top configurations. Returns a new specs dict (hyperparameters not in results kept).
    """
    check_specs(specs)
    top_k = checks.integer("top_k", top_k, low=1)
    margin = checks.in_range("margin", margin, 0, 0.5)
    top = [t for t in results.sorted() if t.status == "finished"][:top_k]
    if not top:
        raise ValueError("results holds no finished configuration to refine around")
    new = {}
    for name, spec in specs.items():
        values = [t.config[name] for t in top if name in t.config]
        if not values:
            new[name] = spec
        elif isinstance(spec, Choice):
            new[name] = Choice(tuple(v for v in spec.values if v in values))
        else:
            log = isinstance(spec, LogUniform)
            to, back = (math.log10, lambda x: 10.0 ** x) if log else (float, float)
            old_low, old_high = to(spec.low), to(spec.high)
            pad = margin * (old_high - old_low)
            low = max(old_low, to(min(values)) - pad)
            high = min(old_high, to(max(values)) + pad)
            low, high = back(low), back(high)
            if spec.integer:
                low, high = math.floor(low), math.ceil(high)
            if low >= high:   # every top value equal and integer: keep a range around it
                low, high = spec.low, spec.high
            new[name] = type(spec)(low, high, spec.integer)
    return new


@dataclass
class EdgeWarning:
    """The best value of a hyperparameter lies near an edge of its searched range."""

    name: str
    edge: str            # "low" or "high"
    value: float
    spec: object         # the searched range
    suggestion: object   # a wider range to search next

    def __str__(self):
        space = "log range" if isinstance(self.spec, LogUniform) else "range"
        where = "below" if self.edge == "low" else "above"
        bound = self.spec.low if self.edge == "low" else self.spec.high
        return (f"{self.name}: the best value {self.value:.3g} lies at the {self.edge} edge of its searched "
                f"{space} [{self.spec.low:.3g}, {self.spec.high:.3g}]. This best result is worrying: better "
                f"values may lie {where} {bound:.3g}, outside what was searched. Search a wider range, "
                f"e.g. {self.suggestion}")


def edge_warnings(specs, results, fraction=0.1):
    """Warnings for every LogUniform / Uniform hyperparameter whose best value (of the best finished
    configuration) lies in the outer `fraction` of its range (measured in log space for LogUniform).

    The suggestion moves that edge out by half the range's width (never past a hard limit such as
    p_keep <= 1); no warning when the edge already is such a limit.
    """
    check_specs(specs)
    fraction = checks.in_range("fraction", fraction, 0, 0.5, low_open=True)
    best = results.best
    warnings = []
    if best is None:
        return warnings
    for name, spec in specs.items():
        if isinstance(spec, Choice) or name not in best.config:
            continue
        value = best.config[name]
        t = spec.position(value)
        edge = "low" if t < fraction else "high" if t > 1 - fraction else None
        if edge is None:
            continue
        lo, hi = DOMAINS.get(name, (0.0 if isinstance(spec, LogUniform) else -math.inf, math.inf))
        if isinstance(spec, LogUniform):
            half = (math.log10(spec.high) - math.log10(spec.low)) / 2
            low = spec.low / 10 ** half if edge == "low" else spec.low
            high = spec.high * 10 ** half if edge == "high" else spec.high
        else:
            half = (spec.high - spec.low) / 2
            low = spec.low - half if edge == "low" else spec.low
            high = spec.high + half if edge == "high" else spec.high
        low, high = max(low, lo), min(high, hi)
        if (edge == "low" and low >= spec.low) or (edge == "high" and high <= spec.high):
            continue   # the edge is a hard limit: nothing lies beyond it
        if spec.integer:
            low, high = math.floor(low), math.ceil(high)
        warnings.append(EdgeWarning(name, edge, value, spec, type(spec)(low, high, spec.integer)))
    return warnings
