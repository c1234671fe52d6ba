"""Update rules and learning-rate schedules: races on 2-D surfaces, cost curves on digits, schedules.

Every number comes from core: core.demos.surfaces.descend (the same core.optim update(w, dw, config) the
trainer uses), core.train, core.schedules.schedule.
"""

import numpy as np
from matplotlib.ticker import FormatStrFormatter, FuncFormatter, LogLocator, NullLocator

import core
from core import schedules
from core.demos import surfaces

from .base import COLORS, Explorer, dropdown, log_slider, slider

RULES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
RULE_NAMES = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "Adagrad",
              "rmsprop": "RMSProp", "adam": "Adam"}
RULE_COLORS = {"sgd": "#d62728", "momentum": "#1f77b4", "nesterov": "#17becf", "adagrad": "#8c564b",
               "rmsprop": "#9467bd", "adam": "#2ca02c"}
MOMENTUM_RULES = ("momentum", "nesterov")
GRADIENT_SCALE_RULES = ("sgd", "momentum", "nesterov")  # step = lr x gradient; the others take ~lr-sized steps

# Settings loaded when a surface is chosen (its start point and learning rates that show its point).
SURFACE_SETTINGS = {
    "narrow valley": {"learning_rate": 0.5, "adaptive_learning_rate": 0.3, "num_steps": 100,
                      "start_x": -9.0, "start_y": 2.0},
    "rosenbrock": {"learning_rate": 1e-3, "adaptive_learning_rate": 0.1, "num_steps": 500,
                   "start_x": -1.5, "start_y": 2.5},
    "saddle": {"learning_rate": 0.03, "adaptive_learning_rate": 0.1, "num_steps": 100,
               "start_x": -1.8, "start_y": 0.01},
}
START_STEP = {"narrow valley": 0.1, "rosenbrock": 0.05, "saddle": 0.01}
LOSS_FLOOR = 1e-12  # f - f* is drawn on a log axis; exact zeros sit on this floor


def draw_from_thread(explorer, stop, draw):
    """Run draw() and render from a background thread (Explorer.show_frame; phase 2 calls it directly)."""
    return explorer.show_frame(stop, draw)


def wait_for_first_frame(explorer, stop):
    """In a background thread: wait until the refresh that started it has drawn (Explorer.first_frame_drawn)."""
    return explorer.first_frame_drawn(stop)


def _set_bounds(control, low, high, step):
    """Change a slider's range without passing through min > max."""
    if low > control.max:
        control.max, control.min = high, low
    else:
        control.min, control.max = low, high
    control.step = step


class UpdateRaceExplorer(Explorer):
    """SGD, momentum, Nesterov, Adagrad, RMSProp and Adam racing from one start point on a 2-D surface.

    Left: the surface's contours (drawn once per surface) and one path per rule. Right: f - f* per
    step on a log axis. SGD, momentum and Nesterov step by lr x gradient; Adagrad, RMSProp and Adam
    divide by a running gradient size, so their steps are about lr long: each family has its own
    learning-rate slider.
    """

    title = "Update rules racing on a 2-D surface"
    presets = {
        "narrow valley: SGD crawls along the valley, momentum glides (same lr 0.5)":
            {"surface": "narrow valley", **SURFACE_SETTINGS["narrow valley"], "momentum": 0.9},
        "narrow valley, lr 1.8: SGD zig-zags across, Nesterov diverges":
            {"surface": "narrow valley", **SURFACE_SETTINGS["narrow valley"], "learning_rate": 1.8,
             "momentum": 0.9},
        "Rosenbrock: momentum and Nesterov follow the curved valley":
            {"surface": "rosenbrock", **SURFACE_SETTINGS["rosenbrock"], "momentum": 0.9},
        "saddle: SGD stalls at the saddle point, adaptive rules escape":
            {"surface": "saddle", **SURFACE_SETTINGS["saddle"], "momentum": 0.9},
        "momentum 0 is plain SGD": {"momentum": 0.0},
    }
    figsize = (11, 5.0)

    def __init__(self, surface="narrow valley"):
        super().__init__()
        self.surface = dropdown("surface", [("narrow valley", "narrow valley"), ("Rosenbrock", "rosenbrock"),
                                            ("saddle", "saddle")], surface)
        settings = SURFACE_SETTINGS[surface]
        x_min, x_max, y_min, y_max = surfaces.get_surface(surface).extent
        self.learning_rate = log_slider("lr: SGD, momentum, Nesterov", settings["learning_rate"], -4, 1)
        self.adaptive_learning_rate = log_slider(
            "lr: Adagrad, RMSProp, Adam", settings["adaptive_learning_rate"], -4, 1
        )
        self.momentum = slider("momentum", 0.9, 0.0, 0.99, 0.01)
        self.num_steps = slider("steps", settings["num_steps"], 10, 500, 10, integer=True)
        self.start_x = slider("start x", settings["start_x"], x_min, x_max, START_STEP[surface])
        self.start_y = slider("start y", settings["start_y"], y_min, y_max, START_STEP[surface])
        self.surface.observe(self._on_surface, names="value")  # before watch(): bounds change first
        self.watch(self.surface, self.learning_rate, self.adaptive_learning_rate, self.momentum,
                   self.num_steps, self.start_x, self.start_y)
        self.drawn_surface = None
        self.build_figure()
        self.update()

    def _on_surface(self, change):
        """A new surface: new start-slider ranges; outside a preset, also its start and learning rates."""
        name = change["new"]
        x_min, x_max, y_min, y_max = surfaces.get_surface(name).extent
        in_preset, self._in_preset = self._in_preset, True
        try:
            _set_bounds(self.start_x, x_min, x_max, START_STEP[name])
            _set_bounds(self.start_y, y_min, y_max, START_STEP[name])
            if not in_preset:
                for key, value in SURFACE_SETTINGS[name].items():
                    getattr(self, key).value = value
        finally:
            self._in_preset = in_preset

    def build_figure(self):
        self.ax_path, self.ax_loss = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
        self.contour = None
        self.paths, self.ends, self.loss_lines = {}, {}, {}
        for rule in RULES:
            color = RULE_COLORS[rule]
            (self.paths[rule],) = self.ax_path.plot([], [], "-", color=color, lw=1.6, label=RULE_NAMES[rule], zorder=3)
            (self.ends[rule],) = self.ax_path.plot([], [], "o", color=color, ms=7, mec="white", zorder=4)
            (self.loss_lines[rule],) = self.ax_loss.plot([], [], color=color, lw=1.6, label=RULE_NAMES[rule])
        (self.start_marker,) = self.ax_path.plot([], [], "s", color="black", ms=8, label="start", zorder=5)
        (self.min_marker,) = self.ax_path.plot([], [], "*", color="gold", mec="black", ms=15, label="minimum", zorder=5)
        self.fig.legend(*self.ax_path.get_legend_handles_labels(), loc="outside lower center", ncol=8, fontsize=10)
        for axis in (self.ax_path.xaxis, self.ax_path.yaxis):  # same label widths on every surface: one layout
            axis.set_major_formatter(FormatStrFormatter("%.1f"))
        self.ax_loss.set(xlabel="step", ylabel="f(w) - f(w*)  (log scale)", yscale="log",
                         title="distance to the minimum value")
        self.ax_loss.grid(True, which="major", alpha=0.3)
        self.ax_loss.yaxis.set_major_locator(LogLocator(numticks=8))  # few ticks over many decades: fast draws
        self.ax_loss.yaxis.set_minor_locator(NullLocator())
        self.diverged_text = self.ax_loss.text(0.02, 0.03, "", transform=self.ax_loss.transAxes, fontsize=10,
                                               color=COLORS["bad"], weight="bold", va="bottom")
        # What changes on a slider move is drawn over a cached picture of the rest (see png()).
        self.animate(*self.paths.values(), *self.ends.values(), *self.loss_lines.values(), self.start_marker,
                         self.min_marker, self.diverged_text)

    def background_key(self):
        """The cached picture is redrawn when the surface or the loss axis' limits change."""
        return None, self.drawn_surface, self.ax_loss.get_xlim(), self.ax_loss.get_ylim()

    def _draw_surface(self, name):
        """Contours of the surface (on a log scale of f - f*), drawn once per surface."""
        surface = surfaces.get_surface(name)
        if self.contour is not None:
            self.contour.remove()
        X, Y, F = surfaces.grid(name, 160)
        Z = np.log10(F - surface.min_value + 1e-3)
        self.contour = self.ax_path.contourf(X, Y, Z, levels=18, cmap="Greys", alpha=0.4, zorder=1)
        x_min, x_max, y_min, y_max = surface.extent
        self.ax_path.set(xlim=(x_min, x_max), ylim=(y_min, y_max), xlabel="x", ylabel="y",
                         title=f"{'Rosenbrock' if name == 'rosenbrock' else name}: paths of the update rules")
        minima = [surface.minimum] if name != "saddle" else [(0.0, 1.0), (0.0, -1.0)]
        self.min_marker.set_data([m[0] for m in minima], [m[1] for m in minima])
        self.drawn_surface = name

    def run(self):
        """{rule: core.demos.surfaces.descend(...) result} for the current controls."""
        name, start = self.surface.value, (self.start_x.value, self.start_y.value)
        runs = {}
        for rule in RULES:
            lr = self.learning_rate.value if rule in GRADIENT_SCALE_RULES else self.adaptive_learning_rate.value
            config = {"momentum": self.momentum.value} if rule in MOMENTUM_RULES else None
            runs[rule] = surfaces.descend(name, rule, start, self.num_steps.value, lr, config)
        return runs

    def refresh(self):
        name = self.surface.value
        if name != self.drawn_surface:
            self._draw_surface(name)
        surface = surfaces.get_surface(name)
        self.runs = runs = self.run()
        self.start_marker.set_data([self.start_x.value], [self.start_y.value])
        low, high, final, diverged = np.inf, 0.0, {}, []
        for rule, run in runs.items():
            path = run["path"]
            self.paths[rule].set_data(path[:, 0], path[:, 1])
            self.ends[rule].set_data(path[-1:, 0], path[-1:, 1])
            gap = np.clip(run["values"] - surface.min_value, LOSS_FLOOR, None)
            gap = np.where(np.isfinite(gap), gap, np.nan)
            self.loss_lines[rule].set_data(np.arange(gap.size), gap)
            if np.isfinite(gap).any():
                low, high = min(low, np.nanmin(gap)), max(high, np.nanmax(gap))
            if run["diverged_at"] is not None:
                diverged.append(f"{RULE_NAMES[rule]} diverged at step {run['diverged_at']}")
            else:
                final[rule] = gap[-1]
        self.ax_loss.set_xlim(0, self.num_steps.value)
        if np.isfinite(low):  # whole decades, so most slider moves keep the cached axes (see png())
            self.ax_loss.set_ylim(10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(min(high, 1e8) * 1.01)))
        self.diverged_text.set_text("\n".join(diverged))
        ranking = ", ".join(f"{RULE_NAMES[r]} {v:.1e}" for r, v in sorted(final.items(), key=lambda kv: kv[1]))
        text = f"after {self.num_steps.value} steps, f - f*: {ranking}"
        if diverged:
            self.show_message(text + "; " + "; ".join(diverged), kind="diverged")
        else:
            self.show_message(text)


# ---- digits: cost curves per rule --------------------------------------------------------------------
# Each rule's default learning rate on standardized digits (64-50-10, batch 100); the SGD family
# shares one so that "SGD + Momentum > SGD" compares like with like.
DIGITS_LEARNING_RATES = {"sgd": 0.1, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.03,
                         "rmsprop": 3e-3, "adam": 3e-3}


class UpdateRulesDigitsExplorer(Explorer):
    """The six rules training the same net on digits: cost per iteration and validation accuracy.

    Each rule starts from the same weights and sees the same batches; the learning-rate multiplier
    scales every rule's default (DIGITS_LEARNING_RATES). With background=True (the default, for a
    live notebook) the six runs stream in behind a progress bar; background=False trains in refresh.
    """

    title = "Update rules on digits: cost curves"
    presets = {
        "defaults (x1): momentum and Nesterov far below SGD": {"lr_multiplier": 1.0, "num_epochs": 10},
        "x10: SGD catches up, the momentum rules explode": {"lr_multiplier": 10.0},
        "x0.1: everything slows down, Adagrad least": {"lr_multiplier": 0.1},
    }
    figsize = (11, 4.2)

    def __init__(self, data, num_train=1000, hidden_size=50, init_scale=1e-2, seed=0, background=True):
        super().__init__()
        self.data, self.num_train, self.hidden_size, self.init_scale = data, num_train, hidden_size, init_scale
        self.seed, self.background = seed, background
        self.lr_multiplier = log_slider("learning-rate multiplier", 1.0, -2, 2, readout_format=".2f")
        self.num_epochs = slider("epochs", 10, 1, 30, 1, integer=True)
        self.watch(self.lr_multiplier, self.num_epochs)
        self.results = {}
        self.build_figure()
        self.update()

    def build_figure(self):
        self.ax_cost, self.ax_acc = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
        self.cost_lines, self.acc_lines = {}, {}
        for rule in RULES:
            (self.cost_lines[rule],) = self.ax_cost.plot(
                [], [], color=RULE_COLORS[rule], lw=1.3, label=RULE_NAMES[rule]
            )
            (self.acc_lines[rule],) = self.ax_acc.plot(
                [], [], "o-", ms=3, color=RULE_COLORS[rule], label=RULE_NAMES[rule]
            )
        self.ax_cost.set(xlabel="iteration", ylabel="cost", title="cost (training batches)")
        self.ax_cost.legend(loc="upper right", fontsize=9, ncol=2)
        self.ax_acc.set(xlabel="epoch", ylabel="validation accuracy", ylim=(0, 1.02), title="validation accuracy")
        self.verdict = self.ax_cost.text(0.02, 0.03, "", transform=self.ax_cost.transAxes, fontsize=10,
                                         color=COLORS["bad"], weight="bold", va="bottom")
        self.animate(*self.cost_lines.values(), *self.acc_lines.values(), self.verdict)

    def background_key(self):
        return None, self.ax_cost.get_xlim(), self.ax_cost.get_ylim(), self.ax_acc.get_xlim()

    def learning_rates(self):
        """{rule: learning rate} for the current multiplier."""
        return {rule: lr * self.lr_multiplier.value for rule, lr in DIGITS_LEARNING_RATES.items()}

    def run_rule(self, rule, stop=None):
        """Train a fresh net (same seed for every rule) with `rule`; returns the core TrainResult."""
        d = self.data
        net = core.FullyConnectedNet.for_data(d, [self.hidden_size], init_scale=self.init_scale, rng=self.seed)
        config = {"momentum": 0.9} if rule in MOMENTUM_RULES else None
        return core.train(net, d["X_train"][: self.num_train], d["y_train"][: self.num_train], d["X_val"],
                          d["y_val"], num_epochs=self.num_epochs.value, update=rule, update_config=config,
                          learning_rate=self.learning_rates()[rule], track_ratios=False, rng=self.seed, stop=stop)

    def refresh(self):
        self.results = {}
        for rule in RULES:
            self.cost_lines[rule].set_data([], [])
            self.acc_lines[rule].set_data([], [])
        epochs = self.num_epochs.value
        self.ax_cost.set_xlim(0, epochs * max(self.num_train // 100, 1) + 1)
        self.ax_acc.set_xlim(0.5, epochs + 0.5)
        self.verdict.set_text("")
        if not self.background:
            for rule in RULES:
                self.results[rule] = self.run_rule(rule)
                self._draw_rule(rule)
            self._finish()
            return
        self.show_message("training the six rules ...")

        def work(progress, stop):
            if not wait_for_first_frame(self, stop):
                return
            for i, rule in enumerate(RULES):
                result = self.run_rule(rule, stop=stop)
                if stop.is_set():
                    return
                def draw(i=i, rule=rule, result=result):
                    self.results[rule] = result
                    self._draw_rule(rule)
                    if i == len(RULES) - 1:
                        self._finish()

                if not draw_from_thread(self, stop, draw):
                    return
                progress(i + 1)

        self.run_in_background(work, total=len(RULES))

    def _draw_rule(self, rule):
        result = self.results[rule]
        cost = np.asarray(result.loss_history, dtype=float)
        self.cost_lines[rule].set_data(np.arange(1, cost.size + 1), np.where(np.isfinite(cost), cost, np.nan))
        self.acc_lines[rule].set_data(np.arange(1, len(result.val_acc_history) + 1), result.val_acc_history)
        finite = [np.asarray(r.loss_history, dtype=float) for r in self.results.values()]
        top = max((np.nanmax(np.where(np.isfinite(c), c, np.nan)) for c in finite if np.isfinite(c).any()), default=3.0)
        self.ax_cost.set_ylim(0, min(top, 10.0) * 1.05)

    def _finish(self):
        """The status line: last-epoch cost of each rule, best first; diverged rules named."""
        final, diverged = {}, []
        for rule, result in self.results.items():
            if result.diverged:
                diverged.append(f"{RULE_NAMES[rule]}: {result.message}")
            else:
                final[rule] = result.final_cost()  # the mean over the last epoch
        self.final_costs = final
        self.verdict.set_text("\n".join(diverged))
        ranking = ", ".join(f"{RULE_NAMES[r]} {v:.3f}" for r, v in sorted(final.items(), key=lambda kv: kv[1]))
        text = f"cost over the last epoch: {ranking}"
        if diverged:
            self.show_message(text + "; " + "; ".join(diverged), kind="diverged")
        else:
            self.show_message(text)


# ---- learning-rate schedules --------------------------------------------------------------------
SCHEDULE_NAMES = {"constant": "constant", "step": "step", "exponential": "exp(-kt)", "1/t": "1/t",
                  "decay": "lr *= decay / epoch"}
SCHEDULE_COLORS = {"constant": "#555555", "step": "#1f77b4", "exponential": "#ff7f0e", "1/t": "#2ca02c",
                   "decay": "#d62728"}


class ScheduleExplorer(Explorer):
    """Learning-rate schedules drawn (lr per epoch, from core.schedules) and used (training on digits).

    Every schedule trains the same net (SGD + momentum 0.9, same seed and batches); the middle panel
    is the cost averaged over each epoch, the right panel validation accuracy. The schedule panel
    updates at once; training streams in behind a progress bar (background=True).
    """

    title = "Decrease the learning rate over time"
    presets = {
        "lr 0.2, reg 0.01: every decaying schedule ends below constant": {"learning_rate": 0.2, "num_epochs": 20},
        "lr 0.02: too low to start with, decay only slows it more": {"learning_rate": 0.02},
        "the slide: lr *= 0.97 every epoch, 40 epochs": {"decay": 0.97, "num_epochs": 40},
    }
    figsize = (12, 4.0)

    def __init__(self, data, num_train=1000, hidden_size=50, batch_size=50, reg=1e-2, init_scale=1e-2,
                 seed=0, background=True):
        super().__init__()
        self.data, self.num_train, self.hidden_size, self.batch_size = data, num_train, hidden_size, batch_size
        self.reg, self.init_scale, self.seed, self.background = reg, init_scale, seed, background
        self.learning_rate = log_slider("initial lr", 0.2, -3, 0)
        self.num_epochs = slider("epochs", 20, 2, 40, 1, integer=True)
        self.every = slider("step: halve every (epochs)", 5, 1, 20, 1, integer=True)
        self.k = log_slider("k of exp(-kt) and 1/(1+kt)", 0.15, -2, 0, readout_format=".2f")
        self.decay = slider("decay per epoch", 0.97, 0.8, 1.0, 0.01)
        self.watch(self.learning_rate, self.num_epochs, self.every, self.k, self.decay)
        self.results = {}
        self.build_figure()
        self.update()

    def build_figure(self):
        self.ax_lr, self.ax_cost, self.ax_acc = self.fig.subplots(1, 3)
        self.lr_lines, self.cost_lines, self.acc_lines = {}, {}, {}
        for name in schedules.SCHEDULES:
            style = dict(color=SCHEDULE_COLORS[name], lw=2.2 if name == "constant" else 1.6,
                         ls="--" if name == "constant" else "-", label=SCHEDULE_NAMES[name])
            (self.lr_lines[name],) = self.ax_lr.plot([], [], drawstyle="steps-post", **style)
            (self.cost_lines[name],) = self.ax_cost.plot([], [], **style)
            (self.acc_lines[name],) = self.ax_acc.plot([], [], **style)
        self.ax_lr.set(xlabel="epoch", ylabel="learning rate", yscale="log", title="the schedules")
        self.ax_lr.legend(loc="lower left", fontsize=9)
        self.ax_cost.set(xlabel="epoch", ylabel="cost (mean over the epoch)", yscale="log", title="cost",
                         ylim=(0.2, 2.5))
        # "0.3", not "3x10^-1": narrow labels that keep the frozen layout; minor ticks labelled at 2, 3, 5 only
        self.ax_cost.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        self.ax_cost.yaxis.set_minor_formatter(FuncFormatter(
            lambda value, _: f"{value:g}" if f"{value:.0e}"[0] in "235" else ""))
        self.ax_acc.set(xlabel="epoch", ylabel="validation accuracy", title="validation accuracy")
        self.verdict = self.ax_cost.text(0.97, 0.97, "", transform=self.ax_cost.transAxes, fontsize=9,
                                         color=COLORS["bad"], weight="bold", va="top", ha="right")
        self.animate(*self.lr_lines.values(), *self.cost_lines.values(), *self.acc_lines.values(), self.verdict)

    def background_key(self):
        return (None, *(limits for ax in (self.ax_lr, self.ax_cost, self.ax_acc)
                        for limits in (ax.get_xlim(), ax.get_ylim())))

    def schedule_values(self, name):
        """Learning rate per epoch (num_epochs,) of schedule `name` with the current controls."""
        kwargs = {"step": {"drop": 0.5, "every": self.every.value}, "exponential": {"k": self.k.value},
                  "1/t": {"k": self.k.value}, "decay": {"decay": self.decay.value}}.get(name, {})
        return schedules.schedule(name, self.learning_rate.value, self.num_epochs.value, **kwargs)

    def run_schedule(self, name, stop=None):
        """Train a fresh net with schedule `name`; returns the core TrainResult."""
        d = self.data
        net = core.FullyConnectedNet.for_data(d, [self.hidden_size], init_scale=self.init_scale, rng=self.seed)
        return core.train(net, d["X_train"][: self.num_train], d["y_train"][: self.num_train], d["X_val"],
                          d["y_val"], num_epochs=self.num_epochs.value, batch_size=self.batch_size,
                          update="momentum", update_config={"momentum": 0.9}, reg=self.reg,
                          learning_rate=self.schedule_values(name), track_ratios=False, rng=self.seed, stop=stop)

    def refresh(self):
        epochs = self.num_epochs.value
        top, bottom = 0.0, np.inf
        for name in schedules.SCHEDULES:
            lr = self.schedule_values(name)
            self.lr_lines[name].set_data(np.arange(1, epochs + 2), np.append(lr, lr[-1]))
            top, bottom = max(top, lr.max()), min(bottom, lr.min())
            self.cost_lines[name].set_data([], [])
            self.acc_lines[name].set_data([], [])
        self.ax_lr.set_xlim(1, epochs + 1)
        # whole decades, so most moves keep the cached axes (see Explorer.animate)
        self.ax_lr.set_ylim(10.0 ** np.floor(np.log10(bottom / 1.2)), 10.0 ** np.ceil(np.log10(top * 1.2)))
        for ax in (self.ax_cost, self.ax_acc):
            ax.set_xlim(0.5, epochs + 0.5)
        self.verdict.set_text("")
        self.results = {}
        if not self.background:
            for name in schedules.SCHEDULES:
                self.results[name] = self.run_schedule(name)
                self._draw_schedule(name)
            self._finish()
            return
        self.show_message("training with each schedule ...")

        def work(progress, stop):
            if not wait_for_first_frame(self, stop):
                return
            names = list(schedules.SCHEDULES)
            for i, name in enumerate(names):
                result = self.run_schedule(name, stop=stop)
                if stop.is_set():
                    return
                def draw(i=i, name=name, result=result):
                    self.results[name] = result
                    self._draw_schedule(name)
                    if i == len(names) - 1:
                        self._finish()

                if not draw_from_thread(self, stop, draw):
                    return
                progress(i + 1)

        self.run_in_background(work, total=len(schedules.SCHEDULES))

    def _draw_schedule(self, name):
        result = self.results[name]
        costs = result.epoch_costs()
        self.cost_lines[name].set_data(np.arange(1, costs.size + 1), np.where(np.isfinite(costs), costs, np.nan))
        self.acc_lines[name].set_data(np.arange(1, len(result.val_acc_history) + 1), result.val_acc_history)
        all_costs = np.concatenate([r.epoch_costs() for r in self.results.values()])
        all_costs = all_costs[np.isfinite(all_costs) & (all_costs > 0)]
        if all_costs.size:
            self.ax_cost.set_ylim(all_costs.min() / 1.3, min(all_costs.max(), 1e3) * 1.3)
        accs = np.concatenate([r.val_acc_history for r in self.results.values()])
        if accs.size:
            self.ax_acc.set_ylim(max(0.0, min(accs.min(), 0.9) - 0.02), 1.005)

    def _finish(self):
        """Status: last-epoch cost and val accuracy per schedule, and which beat constant."""
        summary, diverged, short = {}, [], []
        for name, result in self.results.items():
            if result.diverged:
                diverged.append(f"{SCHEDULE_NAMES[name]}: {result.message}")
                short.append(f"{SCHEDULE_NAMES[name]}: diverged at iteration {result.diverged_at}")
            else:
                summary[name] = (float(result.epoch_costs()[-1]), result.val_acc_history[-1])
        self.final = summary
        self.verdict.set_text("\n".join(short))
        parts = [
            f"{SCHEDULE_NAMES[n]} {c:.3f} ({a:.3f})" for n, (c, a) in sorted(summary.items(), key=lambda kv: kv[1][0])
        ]
        text = "last-epoch cost (val acc): " + ", ".join(parts)
        if diverged:
            self.show_message(text + "; " + "; ".join(diverged), kind="diverged")
        else:
            self.show_message(text)
