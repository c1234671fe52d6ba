"""TrainingExplorer: the base of explorers that retrain a small net on the data at every change (the
monitoring explorers of notebook 07): the run, the diagnosis strip under the curves, the cost line, the status."""
import numpy as np

import core
from core.demos import diagnosis

from .base import COLORS, LRU, Explorer, one_blas_thread, show_history


class TrainingExplorer(Explorer):
    """An Explorer whose refresh() trains on self.data (preprocessed X_train (N, D), y_train, X_val, y_val)
    with self.seed; see widgets.monitoring for examples."""

    figsize = (11, 4.6)

    def train(self, net, n, **kwargs):
        """core.train on the first n training examples, with one BLAS thread (a small net is no faster
        with more, and much slower on a busy machine)."""
        d = self.data
        kwargs.setdefault("batch_size", min(100, n))
        with one_blas_thread():
            return core.train(net, d["X_train"][:n], d["y_train"][:n], d["X_val"], d["y_val"], rng=self.seed,
                              **kwargs)

    def diagnosis_strip(self, gridspec_row):
        """A text-only strip under the curves that holds the diagnosis."""
        ax = self.fig.add_subplot(gridspec_row)
        ax.axis("off")
        self.diagnosis = ax.text(0.0, 0.95, "", transform=ax.transAxes, va="top", ha="left", fontsize=12,
                                 family="monospace", weight="bold")

    def show_diagnosis(self, result, ratios=None):
        """core.demos.diagnosis.diagnose of the run, as lines of text: green when every finding is fine
        (the words say it too)."""
        self.messages = diagnosis.diagnose(result.loss_history, result.train_acc_history, result.val_acc_history,
                                           ratios)
        ok = set(self.messages) <= {diagnosis.DIAGNOSES["good"], diagnosis.DIAGNOSES["balanced"]}
        self.diagnosis.set_text("diagnosis: " + "\n           ".join(self.messages))
        self.diagnosis.set_color(COLORS["good"] if ok else COLORS["bad"])

    def show_cost(self, line, ax, result, right=None, margin=1.08):
        """The cost per iteration (NaN where it is not finite) on axes whose limits follow it."""
        shown = show_history(line, result.loss_history)
        top = max((np.nanmax(shown) if np.isfinite(shown).any() else 3.0) * margin, 1e-3)
        step = 10.0 ** np.floor(np.log10(top)) / 2  # a coarse grid: most changes keep the cached picture
        self.set_limits(ax, x=(0, right or max(shown.size, 1) + 1), y=(0, float(np.ceil(top / step) * step)))


class VariantsExplorer(TrainingExplorer):
    """A TrainingExplorer that trains one run per variant (update rule, schedule) and draws each as it ends.

    A subclass declares `variants` (names); the artists cost_lines and acc_lines ({name: line}), ax_acc and
    verdict; settings(name) (a hashable tuple: everything the run depends on); train_variant(name, settings,
    stop) (a core TrainResult, from fresh_net()); costs(result) (what a cost line shows); limits() (the axes'
    limits from self.results, {name: run} of the variants in so far) and finish() (the status once every
    variant is in). The runs are keyed jobs (BackgroundRuns.run_jobs): finished runs are kept (self.runs, an
    LRU), a run cut short by Stop or a change is dropped, and the next refresh trains what is missing. With
    background=True the missing runs train in a thread behind the progress bar, one frame per run.
    """

    variants = ()
    background = True

    def __init__(self):
        self.runs = LRU(4 * len(self.variants), "(variant, settings) -> its finished core TrainResult")
        self.results = {}
        super().__init__()

    def settings(self, name):
        raise NotImplementedError

    def train_variant(self, name, settings, stop=None):
        raise NotImplementedError

    def costs(self, result):
        raise NotImplementedError

    def limits(self):
        raise NotImplementedError

    def finish(self):
        raise NotImplementedError

    def fresh_net(self):
        """The net every variant starts from: the same weights (hidden_size units, init_scale, seed)."""
        return core.FullyConnectedNet.for_data(self.data, [self.hidden_size], init_scale=self.init_scale,
                                               rng=self.seed)

    def train_variants(self, waiting_message):
        """Clear the lines and the verdict, draw the kept runs of the current settings and train the missing ones
        (call from refresh())."""
        for line in (*self.cost_lines.values(), *self.acc_lines.values()):
            line.set_data([], [])
        self.set_limits(self.ax_acc, x=(0.5, self.num_epochs.value + 0.5))
        self.verdict.set_text("")
        self.run_jobs({name: (name, self.settings(name)) for name in self.variants}, self.runs,
                      lambda key, stop: self.train_variant(*key, stop=stop), self.draw_variants,
                      lambda _: self.finish(), waiting_message, self.background)

    def draw_variants(self, results):
        """Each run in so far on its cost and accuracy lines, then the limits."""
        self.results = results
        for name, result in results.items():
            show_history(self.cost_lines[name], self.costs(result))
            show_history(self.acc_lines[name], result.val_acc_history)
        if results:
            self.limits()

    def show_ranking(self, head, scores, names, verdict=lambda result: result.message):
        """The status once every variant is drawn: head, then each finished variant's score text, lowest key
        first (scores: {name: (key, text)}); diverged variants named with their message, and on the figure's
        self.verdict text with verdict(result)."""
        diverged = [name for name, result in self.results.items() if result.diverged]
        self.verdict.set_text("\n".join(f"{names[n]}: {verdict(self.results[n])}" for n in diverged))
        ranking = ", ".join(f"{names[n]} {text}" for n, (_, text) in sorted(scores.items(), key=lambda kv: kv[1][0]))
        self.show_message("; ".join([head + ranking, *(f"{names[n]}: {self.results[n].message}" for n in diverged)]),
                          "diverged" if diverged else "info")
