"""Results of a search: every trained configuration (a Trial), sorted, printed as the slide's lines,
and as table rows for a view.

Lives in core.search.results; until the issue-11 split, core/search.py held all of core.search.
"""
import math
from dataclasses import dataclass, field

import numpy as np

from .space import LABELS

STATUS_ORDER = {"finished": 0, "stopped": 1, "diverged": 2}


@dataclass
class SearchResults:
    """Every finished configuration of a search (a Trial each), with the space it was drawn from."""

    specs: dict
    num_configs: int                    # configurations asked for
    num_epochs: int
    trials: list = field(default_factory=list)   # in the order they finished
    stopped: bool = False               # True when the search was stopped before the end
    seconds: float = 0.0

    def __len__(self):
        return len(self.trials)

    def __iter__(self):
        return iter(self.sorted())

    def sorted(self):
        """Trials best first: finished runs by validation accuracy, then stopped, then diverged."""
        def key(t):
            acc = t.val_acc if math.isfinite(t.val_acc) else -1.0
            return (STATUS_ORDER.get(t.status, 3), -acc, t.index)
        return sorted(self.trials, key=key)

    def top(self, k=10):
        return self.sorted()[:k]

    @property
    def best(self):
        """The finished trial with the highest validation accuracy (None if none finished)."""
        finished = [t for t in self.sorted() if t.status == "finished"]
        return finished[0] if finished else None

    def count(self, status):
        return sum(t.status == status for t in self.trials)

    def line(self, trial):
        """The slide's line: 'val_acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)'."""
        return format_trial(trial, self.num_configs, list(self.specs))

    def format(self, k=None, order="best"):
        """Printable lines, best first (order="best") or in the drawn order (order="drawn")."""
        trials = self.sorted() if order == "best" else sorted(self.trials, key=lambda t: t.index)
        return "\n".join(self.line(t) for t in trials[:k])

    def table(self):
        """The rows as dicts (best first): the configuration, then final cost, accuracies, status, seconds."""
        return [{**t.config, "final_cost": t.final_cost, "train_acc": t.train_acc, "val_acc": t.val_acc,
                 "status": t.status, "diverged_at": t.diverged_at, "seconds": t.seconds} for t in self.sorted()]

    def values(self, name):
        """(values of `name`, val accuracies, statuses) over the trials, in the drawn order."""
        trials = sorted(self.trials, key=lambda t: t.index)
        return ([t.config[name] for t in trials], np.array([t.val_acc for t in trials]),
                [t.status for t in trials])


def _format_value(value):
    if isinstance(value, (float, np.floating)):
        return f"{value:e}"
    return str(value)


def format_trial(trial, num_configs, names=None):
    """'val_acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)'; a diverged run says so."""
    names = list(trial.config) if names is None else names
    first = [n for n in ("learning_rate", "reg") if n in names]
    names = first + [n for n in names if n not in first]
    parts = [f"val_acc: {trial.val_acc:f}"]
    parts += [f"{LABELS.get(n, n)}: {_format_value(trial.config[n])}" for n in names]
    line = ", ".join(parts) + f", ({trial.index + 1} / {num_configs})"
    if trial.status == "diverged":
        line += f"  diverged at iteration {trial.diverged_at}"
    elif trial.status != "finished":
        line += f"  {trial.status}"
    return line

