"""Model ensembles: accuracy of each member and of their averaged softmax probabilities.

Members are keyed jobs (BackgroundRuns.run_jobs): each is trained once (core.demos.ensemble.train_member; the
checkpoints of one run by core.demos.ensemble.train_members), in the background, and kept; the sliders only
select among them (core.demos.ensemble.summary does the averaging).
"""
import numpy as np

from core.demos import ensemble

from .base import COLORS, LRU, Explorer, dropdown, slider

KIND_LABELS = [("different seeds", "seeds"), ("different hyperparameters", "hyperparameters"),
               ("checkpoints of one run", "checkpoints")]
START_CASES = {"seeds": "10 models with different seeds", "checkpoints": "10 checkpoints of one run",
               "hyperparameters": "10 models from a random search"}


def _rounded_limits(low, high, step=0.05):
    """Axis limits on a 0.05 grid within [0, 1]: most slider moves and kinds share the cached axes."""
    return max(0.0, np.floor(low / step) * step), min(1.0, np.ceil(high / step) * step) + 0.005


class EnsembleExplorer(Explorer):
    """Accuracy vs number of models averaged: members as dots, the ensemble of the first k as a line.

    data: preprocessed digits (X_train, y_train, X_val, y_val). kind: the first kind shown ("seeds",
    "hyperparameters" or "checkpoints"); the explorer opens on its lecture case. max_models members per
    kind, trained with train_kwargs (core.demos.ensemble.train_members' num_epochs, num_train, batch_size,
    learning_rate, reg, hidden_size, update; TRAIN_DEFAULTS where not given). A kind is trained the
    first time it is chosen (in the background with a progress bar when background=True), member by member,
    and kept; Stop pauses, and the next change trains the members still missing.
    """

    title = "Model ensembles: average the predictions of several models"
    cases = {
        "1 model: the ensemble is the member": {"num_models": 1},
        "10 models with different seeds": {"kind": "seeds", "num_models": 10},
        "10 checkpoints of one run": {"kind": "checkpoints", "num_models": 10},
        "10 models from a random search": {"kind": "hyperparameters", "num_models": 10},
    }
    figsize = (11, 4.2)
    TRAIN_DEFAULTS = {"num_epochs": 10, "batch_size": 50, "learning_rate": 0.1, "reg": 1e-2, "hidden_size": 50,
                      "update": "momentum"}

    def __init__(self, data, max_models=10, kind="seeds", seed=0, background=True, **train_kwargs):
        self.data, self.max_models, self.seed, self.background = data, max_models, seed, background
        self.first_kind, self.start_case = kind, START_CASES.get(kind)
        unknown = sorted(set(train_kwargs) - set(self.TRAIN_DEFAULTS) - {"num_train"})
        if unknown:
            raise ValueError(f"train_kwargs must be among {sorted(self.TRAIN_DEFAULTS)} and num_train, got {unknown}")
        self.train_kwargs = {**self.TRAIN_DEFAULTS, **train_kwargs}
        self.kept = LRU(len(ensemble.KINDS) * max_models, "(kind, member) -> train_member's dict of that member "
                        "(checkpoints: one entry for all)")
        super().__init__()

    def make_controls(self):
        return {"kind": dropdown("ensemble of", KIND_LABELS, self.first_kind),
                "num_models": slider("number of models", self.max_models, 1, self.max_models, 1, integer=True)}

    def colors(self):
        return [COLORS["ref"], COLORS["good"], COLORS["val"], COLORS["train"]]

    def build_figure(self):
        self.ax_curve, self.ax_bars = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        (self.member_dots,) = self.ax_curve.plot([], [], "o", color=COLORS["ref"], alpha=0.7, ms=7,
                                                 label="member k alone")
        (self.ensemble_line,) = self.ax_curve.plot([], [], "-o", color=COLORS["good"], lw=2.2, ms=5,
                                                   label="ensemble of members 1..k")
        (self.mean_line,) = self.ax_curve.plot([], [], "--", color=COLORS["val"], lw=1.5,
                                               label="mean of members 1..k")
        self.chosen = self.ax_curve.axvline(np.nan, color=COLORS["train"], lw=1, ls=":")
        self.ax_curve.set(xlabel="number of models k", ylabel="validation accuracy",
                          title="accuracy vs number of models averaged", xlim=(0.5, self.max_models + 0.5))
        self.ax_curve.legend(loc="lower left", fontsize=9)  # away from the chosen-k line at the start (k = 10)
        self.ax_curve.grid(True, alpha=0.3)
        self.bars = self.ax_bars.bar([0, 1, 2], [0, 0, 0], color=[COLORS["val"], COLORS["ref"], COLORS["good"]])
        self.ax_bars.set_axisbelow(True)  # ticks under the bars: a frame redraws the bars, not the axis
        self.ax_bars.set_xticks([0, 1, 2], ["mean\nmember", "best\nmember", "ensemble"])
        self.ax_bars.set(ylabel="validation accuracy", title="the k chosen models")
        self.bar_labels = [self.ax_bars.text(i, 0, "", ha="center", va="bottom", fontsize=11) for i in range(3)]
        self.animate(self.member_dots, self.ensemble_line, self.mean_line, self.chosen, *self.bars, *self.bar_labels)

    # ---- data -------------------------------------------------------------------------------------
    def jobs(self, kind):
        """The members of `kind` as keyed jobs {name: key}: one per member; the checkpoints, of one run, as one."""
        return {"all": ("checkpoints",)} if kind == "checkpoints" else {i: (kind, i) for i in range(self.max_models)}

    def train_job(self, key, stop=None):
        """core.demos.ensemble.train_member's dict of member key = (kind, i); all checkpoints for ("checkpoints",)."""
        if key[0] == "checkpoints":
            return ensemble.train_members(self.data, "checkpoints", self.max_models, rng=self.seed, stop=stop,
                                          **self.train_kwargs)
        (kind, i), t = key, self.train_kwargs
        setting = ensemble.member_settings(kind, self.max_models, self.seed, t["learning_rate"], t["reg"],
                                           t["hidden_size"])[i]
        return ensemble.train_member(self.data, setting, kind, t["num_epochs"], t.get("num_train"), t["batch_size"],
                                    t["update"], stop)

    @property
    def cache(self):
        """{kind: its members (core.demos.ensemble.train_members' dict)} for the kinds whose members are all kept."""
        jobs = {kind: self.jobs(kind).values() for kind in ensemble.KINDS}
        return {kind: ensemble.join([self.kept[key] for key in keys]) for kind, keys in jobs.items()
                if all(key in self.kept for key in keys)}

    # ---- view -------------------------------------------------------------------------------------
    def refresh(self):
        jobs = self.jobs(self.kind.value)
        self.run_jobs(jobs, self.kept, self.train_job, lambda results: self._draw(results, len(jobs)),
                      background=self.background)

    def _draw(self, results, num_jobs):
        """Draw the members in so far (results: {name: core.demos.ensemble.train_member's dict}, of num_jobs wanted)."""
        so_far, K = ensemble.join(list(results.values())), self.max_models
        if so_far is None:
            for line in (self.member_dots, self.ensemble_line, self.mean_line):
                line.set_data([], [])
            self.show_message(f"training {K} models ({self.kind.value}) once; they are kept afterwards ...")
            return
        numbers = ensemble.summary(so_far["val_probs"], self.data["y_val"], self.num_models.value)
        accs, curve, chosen = numbers["member_accuracies"], numbers["accuracy_by_size"], numbers["chosen"]
        self.summary = chosen
        ks = np.arange(1, accs.size + 1)
        self.member_dots.set_data(ks, accs)
        self.ensemble_line.set_data(ks, curve)
        self.mean_line.set_data(ks, numbers["mean_by_size"])
        self.chosen.set_xdata([chosen["k"]] * 2)
        low, high = min(accs.min(), curve.min()), max(accs.max(), curve.max())
        self.set_limits(self.ax_curve, y=_rounded_limits(low - 0.01, high + 0.005))
        values = [chosen["mean_member"], chosen["best_member"], chosen["ensemble"]]
        for bar, label, value in zip(self.bars, self.bar_labels, values):
            bar.set_height(value)
            label.set_position((bar.get_x() + bar.get_width() / 2, value))
            label.set_text(f"{value:.3f}")
        self.set_limits(self.ax_bars, y=_rounded_limits(low - 0.03, high + 0.01))
        pending = "" if len(results) == num_jobs else f" ({accs.size} of {K} trained so far)"
        gain = chosen["ensemble"] - chosen["mean_member"]
        self.show_message(f"ensemble of {chosen['k']}: val acc {chosen['ensemble']:.3f} vs mean member "
                          f"{chosen['mean_member']:.3f} ({gain:+.3f}), best member {chosen['best_member']:.3f}"
                          + pending, kind="good" if gain > 0 else "info")
