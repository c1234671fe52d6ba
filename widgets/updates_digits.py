"""Update rules and learning-rate schedules training a net on the data (notebook 11): cost curves per rule,
and schedules drawn (core.schedules) and used (core.train). Rates come from the data's own cliffs
(core.demos.lecture_cases.learning_rate_cliff), so the cases show their phenomena on any data set."""
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from core import schedules
from core.demos.lecture_cases import learning_rate_cliff
from core.demos.rule_rates import MOMENTUM_RULES, RULES, rule_rates

from .base import COLORS, log_slider, slider, verdict_text
from .trained import VariantsExplorer

RULE_NAMES = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "Adagrad",
              "rmsprop": "RMSProp", "adam": "Adam"}
# colour, line style and marker: each tells the rules apart on its own
RULE_STYLES = {"sgd": (COLORS["bad"], "-", "o"), "momentum": (COLORS["train"], "--", "s"),
               "nesterov": (COLORS["light"], "-.", "^"), "adagrad": (COLORS["ref"], ":", "v"),
               "rmsprop": (COLORS["extra"], "-", "D"), "adam": (COLORS["good"], "--", "P")}
SCHEDULE_NAMES = {"constant": "constant", "step": "step", "exponential": "exp(-kt)", "1/t": "1/t",
                  "decay": "lr *= decay / epoch"}
SCHEDULE_STYLES = {"constant": (COLORS["ref"], "--", None), "step": (COLORS["train"], "-", "s"),
                   "exponential": (COLORS["val"], "-", "^"), "1/t": (COLORS["good"], "-.", "v"),
                   "decay": (COLORS["extra"], ":", "D")}


def _styled(ax, styles, name, **kwargs):
    color, ls, marker = styles[name]
    return ax.plot([], [], color=color, ls=ls, marker=marker, markevery=0.1, ms=4, **kwargs)[0]


class UpdateRulesDigitsExplorer(VariantsExplorer):
    """The six rules training the same net on the data: cost per iteration and validation accuracy.

    Each rule starts from the same weights and sees the same batches; the learning-rate multiplier
    scales every rule's rate (learning_rates, a dict rule -> rate; rules left out get the default of
    core.demos.rule_rates.rule_rates, from the data's cliffs). With background=True (the default, for a
    live notebook) the six runs stream in behind a progress bar; background=False trains in refresh.
    """

    title = "Update rules on digits: cost curves"
    cases = {
        "defaults (x1): momentum and Nesterov far below SGD": {"lr_multiplier": 1.0, "num_epochs": 10},
        "x10: SGD catches up, the momentum rules explode": {"lr_multiplier": 10.0},
        "x0.1: everything slows down, Adagrad least": {"lr_multiplier": 0.1},
    }
    start_case = "defaults (x1): momentum and Nesterov far below SGD"
    figsize = (11, 4.2)
    variants = RULES

    def __init__(self, data, num_train=1000, hidden_size=50, init_scale=1e-2, seed=0, background=True,
                 learning_rates=None):
        self.data, self.num_train, self.hidden_size, self.init_scale = data, num_train, hidden_size, init_scale
        self.seed, self.background = seed, background
        self.rates = rule_rates(data, learning_rates, hidden_sizes=(hidden_size,), init_scale=init_scale,
                                num_train=num_train)
        super().__init__()

    def make_controls(self):
        return {"lr_multiplier": log_slider("learning-rate multiplier", 1.0, -2, 2, readout_format=".2f"),
                "num_epochs": slider("epochs", 10, 1, 30, 1, integer=True)}

    def colors(self):
        return [style[0] for style in RULE_STYLES.values()]

    def build_figure(self):
        self.ax_cost, self.ax_acc = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
        self.cost_lines = {rule: _styled(self.ax_cost, RULE_STYLES, rule, lw=1.3, label=RULE_NAMES[rule])
                           for rule in RULES}
        self.acc_lines = {rule: _styled(self.ax_acc, RULE_STYLES, rule, label=RULE_NAMES[rule]) for rule in RULES}
        self.ax_cost.set(xlabel="iteration", ylabel="cost", title="cost (training batches)")
        self.ax_cost.legend(loc="upper right", fontsize=9, ncol=2)
        self.ax_acc.set(xlabel="epoch", ylabel="validation accuracy", ylim=(0, 1.02), title="validation accuracy")
        self.verdict = verdict_text(self.ax_cost, 0.02, 0.03, fontsize=10, va="bottom")
        self.animate(*self.cost_lines.values(), *self.acc_lines.values(), self.verdict)

    def learning_rates(self):
        """{rule: learning rate} for the current multiplier."""
        return {rule: lr * self.lr_multiplier.value for rule, lr in self.rates.items()}

    def settings(self, rule):
        return self.learning_rates()[rule], self.num_epochs.value

    def train_variant(self, rule, settings, stop=None):
        """Train a fresh net (same seed for every rule) with `rule` at (learning rate, epochs); a TrainResult."""
        learning_rate, num_epochs = settings
        return self.train(self.fresh_net(), self.num_train, num_epochs=num_epochs, update=rule,
                          update_config={"momentum": 0.9} if rule in MOMENTUM_RULES else None,
                          learning_rate=learning_rate, track_ratios=False, stop=stop)

    def refresh(self):
        self.set_limits(self.ax_cost, x=(0, self.num_epochs.value * max(self.num_train // 100, 1) + 1))
        self.train_variants("training the six rules ...")

    def costs(self, result):
        return result.loss_history

    def limits(self):
        costs = np.concatenate([r.loss_history for r in self.results.values()]).astype(float)
        top = costs[np.isfinite(costs)].max(initial=0) or 3.0
        self.set_limits(self.ax_cost, y=(0, min(top, 10.0) * 1.05))

    def finish(self):
        """The status line: last-epoch cost of each rule, best first; diverged rules named."""
        self.final_costs = {rule: r.final_cost() for rule, r in self.results.items() if not r.diverged}
        self.show_ranking("cost over the last epoch: ", {r: (v, f"{v:.3f}") for r, v in self.final_costs.items()},
                          RULE_NAMES)


class ScheduleExplorer(VariantsExplorer):
    """Learning-rate schedules drawn (lr per epoch, from core.schedules) and used (training on the data).

    Every schedule trains the same net (SGD + momentum 0.9, same seed and batches); the middle panel
    is the cost averaged over each epoch, the right panel validation accuracy. The schedule panel
    updates at once; training streams in behind a progress bar (background=True). learning_rate: the
    initial rate of the first case, too_low: the rate of the "too low" case; None: 0.44 and 0.044 of
    this run's cliff (core.demos.lecture_cases.learning_rate_cliff; 0.2 and 0.02 on standardized digits).
    """

    title = "Decrease the learning rate over time"
    figsize = (12, 4.0)
    variants = tuple(schedules.SCHEDULES)

    def __init__(self, data, num_train=1000, hidden_size=50, batch_size=50, reg=1e-2, init_scale=1e-2,
                 seed=0, background=True, learning_rate=None, too_low=None):
        self.data, self.num_train, self.hidden_size, self.batch_size = data, num_train, hidden_size, batch_size
        self.reg, self.init_scale, self.seed, self.background = reg, init_scale, seed, background
        setting = {"update": "momentum", "batch_size": batch_size, "num_epochs": 20, "reg": reg,
                   "hidden_sizes": (hidden_size,), "init_scale": init_scale, "num_train": num_train}
        cliff = learning_rate_cliff(data, setting) if None in (learning_rate, too_low) else None
        learning_rate = cliff.rate(0.44) if learning_rate is None else learning_rate
        too_low = cliff.rate(0.044) if too_low is None else too_low
        self.start_case = f"lr {learning_rate:g}, reg {reg:g}: do the decaying schedules end below constant?"
        self.cases = {self.start_case: {"learning_rate": learning_rate, "num_epochs": 20},
                      f"lr {too_low:g}: too low to start with, decay only slows it more": {"learning_rate": too_low},
                      "the slide: lr *= 0.97 every epoch, 40 epochs": {"decay": 0.97, "num_epochs": 40}}
        super().__init__()

    def make_controls(self):
        return {"learning_rate": log_slider("initial lr", self.presets[self.start_case]["learning_rate"], -5, 0),
                "num_epochs": slider("epochs", 20, 2, 40, 1, integer=True),
                "every": slider("step: halve every (epochs)", 5, 1, 20, 1, integer=True),
                "k": log_slider("k of exp(-kt) and 1/(1+kt)", 0.15, -2, 0, readout_format=".2f"),
                "decay": slider("decay per epoch", 0.97, 0.8, 1.0, 0.01)}

    def colors(self):
        return [style[0] for style in SCHEDULE_STYLES.values()]

    def build_figure(self):
        self.ax_lr, self.ax_cost, self.ax_acc = self.fig.subplots(1, 3)
        self.lr_lines, self.cost_lines, self.acc_lines = {}, {}, {}
        for name in schedules.SCHEDULES:
            style = dict(lw=2.2 if name == "constant" else 1.6, label=SCHEDULE_NAMES[name])
            self.lr_lines[name] = _styled(self.ax_lr, SCHEDULE_STYLES, name, drawstyle="steps-post", **style)
            self.cost_lines[name] = _styled(self.ax_cost, SCHEDULE_STYLES, name, **style)
            self.acc_lines[name] = _styled(self.ax_acc, SCHEDULE_STYLES, name, **style)
        self.ax_lr.set(xlabel="epoch", ylabel="learning rate", yscale="log", title="the schedules")
        self.ax_lr.legend(loc="lower left", fontsize=9)
        self.ax_cost.set(xlabel="epoch", ylabel="cost (mean over the epoch)", yscale="log", title="cost",
                         ylim=(0.2, 2.5))
        # "0.3", not "3x10^-1": narrow labels that keep the frozen layout; minor ticks labelled at 2, 3, 5 only
        self.ax_cost.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        self.ax_cost.yaxis.set_minor_formatter(FuncFormatter(
            lambda value, _: f"{value:g}" if f"{value:.0e}"[0] in "235" else ""))
        self.ax_acc.set(xlabel="epoch", ylabel="validation accuracy", title="validation accuracy")
        # ticks at 1, 2 or 5 x 10^k, not 2.5: "0.975" labels were wide enough to push the y-label onto the spine
        # of the cost panel (lr 0.18) in the frozen layout
        self.ax_acc.yaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
        self.verdict = verdict_text(self.ax_cost, 0.97, 0.97, fontsize=9, va="top", ha="right")
        self.animate(*self.lr_lines.values(), *self.cost_lines.values(), *self.acc_lines.values(), self.verdict)

    def schedule_values(self, name):
        """Learning rate per epoch (num_epochs,) of schedule `name` with the current controls."""
        kwargs = {"step": {"drop": 0.5, "every": self.every.value}, "exponential": {"k": self.k.value},
                  "1/t": {"k": self.k.value}, "decay": {"decay": self.decay.value}}.get(name, {})
        return schedules.schedule(name, self.learning_rate.value, self.num_epochs.value, **kwargs)

    def settings(self, name):
        return tuple(self.schedule_values(name).tolist())

    def train_variant(self, name, settings, stop=None):
        """Train a fresh net with the schedule's rates per epoch (settings); returns the core TrainResult."""
        return self.train(self.fresh_net(), self.num_train, num_epochs=len(settings), batch_size=self.batch_size,
                          update="momentum", update_config={"momentum": 0.9}, reg=self.reg,
                          learning_rate=np.array(settings), track_ratios=False, stop=stop)

    def refresh(self):
        epochs = self.num_epochs.value
        rates = {name: self.schedule_values(name) for name in schedules.SCHEDULES}
        for name, lr in rates.items():
            self.lr_lines[name].set_data(np.arange(1, epochs + 2), np.append(lr, lr[-1]))
        top, bottom = max(lr.max() for lr in rates.values()), min(lr.min() for lr in rates.values())
        # whole decades, so most moves keep the cached picture
        self.set_limits(self.ax_lr, x=(1, epochs + 1),
                        y=(10.0 ** np.floor(np.log10(bottom / 1.2)), 10.0 ** np.ceil(np.log10(top * 1.2))))
        self.set_limits(self.ax_cost, x=(0.5, epochs + 0.5))
        self.train_variants("training with each schedule ...")

    def costs(self, result):
        return result.epoch_costs()

    def limits(self):
        all_costs = np.concatenate([r.epoch_costs() for r in self.results.values()])
        all_costs = all_costs[np.isfinite(all_costs) & (all_costs > 0)]
        if all_costs.size:
            self.set_limits(self.ax_cost, y=(all_costs.min() / 1.3, min(all_costs.max(), 1e3) * 1.3))
        accs = np.concatenate([r.val_acc_history for r in self.results.values()])
        if accs.size:
            self.set_limits(self.ax_acc, y=(max(0.0, min(accs.min(), 0.9) - 0.02), 1.005))

    def finish(self):
        """Status: last-epoch cost and val accuracy per schedule, best first; diverged schedules named."""
        self.final = {name: (float(r.epoch_costs()[-1]), r.val_acc_history[-1]) for name, r in self.results.items()
                      if not r.diverged}
        self.show_ranking("last-epoch cost (val acc): ", {n: (c, f"{c:.3f} ({a:.3f})") for n, (c, a) in
                                                          self.final.items()},
                          SCHEDULE_NAMES, lambda r: f"diverged at iteration {r.diverged_at}")
