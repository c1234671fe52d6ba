"""Update rules and learning-rate schedules: races on 2-D surfaces (here), cost curves on digits and
schedules (widgets.updates_digits, importable from here too).

Every number comes from core: core.demos.surfaces.descend (the same core.optim update(w, dw, config) the
trainer uses), core.train, core.schedules.schedule.
"""
import numpy as np
from matplotlib.ticker import FormatStrFormatter

from core.demos import surfaces

from .axes import log_axis
from .base import Explorer, dropdown, log_slider, slider, verdict_text
from .theme import PALETTE
from .updates_digits import (
    MOMENTUM_RULES,
    RULE_NAMES,
    RULE_STYLES,
    RULES,
    ScheduleExplorer,
    UpdateRulesDigitsExplorer,
)

__all__ = ["RULES", "RULE_NAMES", "ScheduleExplorer", "UpdateRaceExplorer", "UpdateRulesDigitsExplorer"]

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
CASES = {
    "narrow valley: SGD crawls along the valley, momentum glides (same lr 0.5)":
        {"surface": "narrow valley", **SURFACE_SETTINGS["narrow valley"], "momentum": 0.9},
    "narrow valley, lr 1.8: SGD zig-zags across, Nesterov diverges":
        {"surface": "narrow valley", **SURFACE_SETTINGS["narrow valley"], "learning_rate": 1.8, "momentum": 0.9},
    "Rosenbrock: momentum and Nesterov follow the curved valley":
        {"surface": "rosenbrock", **SURFACE_SETTINGS["rosenbrock"], "momentum": 0.9},
    "saddle: SGD stalls at the saddle point, adaptive rules escape":
        {"surface": "saddle", **SURFACE_SETTINGS["saddle"], "momentum": 0.9},
    "momentum 0 is plain SGD": {"momentum": 0.0},
}


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
    learning-rate slider. The explorer opens on the lecture case of its surface.
    """

    title = "Update rules racing on a 2-D surface"
    cases = CASES
    figsize = (11, 5.0)

    def __init__(self, surface="narrow valley"):
        if surface not in SURFACE_SETTINGS:
            raise ValueError(f"surface must be one of {list(SURFACE_SETTINGS)}, got {surface!r}")
        self.first_surface, self.drawn_surface, self.contour = surface, None, None
        self.start_case = next(name for name, values in CASES.items() if values.get("surface") == surface)
        super().__init__()

    def make_controls(self):
        name = self.first_surface
        settings, (x_min, x_max, y_min, y_max) = SURFACE_SETTINGS[name], surfaces.get_surface(name).extent
        surface = dropdown("surface", [("narrow valley", "narrow valley"), ("Rosenbrock", "rosenbrock"),
                                       ("saddle", "saddle")], name)
        surface.observe(self._on_surface, names="value")  # before the base's: bounds and start move first
        return {"surface": surface,
                "learning_rate": log_slider("lr: SGD, momentum, Nesterov", settings["learning_rate"], -4, 1),
                "adaptive_learning_rate": log_slider("lr: Adagrad, RMSProp, Adam", settings["adaptive_learning_rate"],
                                                     -4, 1),
                "momentum": slider("momentum", 0.9, 0.0, 0.99, 0.01),
                "num_steps": slider("steps", settings["num_steps"], 10, 500, 10, integer=True),
                "start_x": slider("start x", settings["start_x"], x_min, x_max, START_STEP[name]),
                "start_y": slider("start y", settings["start_y"], y_min, y_max, START_STEP[name])}

    def _on_surface(self, change):
        """A new surface: new start-slider ranges, its start point and learning rates (a case being applied
        sets its own values afterwards). The surface's own change refreshes, once."""
        name = change["new"]
        x_min, x_max, y_min, y_max = surfaces.get_surface(name).extent
        with self.without_refresh():
            _set_bounds(self.start_x, x_min, x_max, START_STEP[name])
            _set_bounds(self.start_y, y_min, y_max, START_STEP[name])
            for key, value in SURFACE_SETTINGS[name].items():
                getattr(self, key).value = value

    def colors(self):
        return [style[0] for style in RULE_STYLES.values()]

    def build_figure(self):
        self.ax_path, self.ax_loss = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
        self.paths, self.loss_lines = {}, {}  # a path's last point carries its rule's marker
        for rule in RULES:
            color, ls, marker = RULE_STYLES[rule]
            (self.paths[rule],) = self.ax_path.plot([], [], ls=ls, color=color, lw=1.6, marker=marker, ms=7,
                                                    markevery=[-1], mec="white", label=RULE_NAMES[rule], zorder=3)
            (self.loss_lines[rule],) = self.ax_loss.plot([], [], ls=ls, color=color, lw=1.6, label=RULE_NAMES[rule])
        (self.start_marker,) = self.ax_path.plot([], [], "s", color=PALETTE["black"], ms=8, label="start", zorder=5)
        (self.min_marker,) = self.ax_path.plot([], [], "*", color=PALETTE["yellow"], mec="black", ms=15,
                                               label="minimum", zorder=5)
        self.fig.legend(*self.ax_path.get_legend_handles_labels(), loc="outside lower center", ncol=8, fontsize=10)
        for axis in (self.ax_path.xaxis, self.ax_path.yaxis):  # same label widths on every surface: one layout
            axis.set_major_formatter(FormatStrFormatter("%.1f"))
        self.ax_loss.set(xlabel="step", ylabel="f(w) - f(w*)  (log scale)", title="distance to the minimum value")
        log_axis(self.ax_loss.yaxis, numticks=8)  # few ticks over many decades: fast draws
        self.ax_loss.grid(True, which="major", alpha=0.3)
        self.diverged_text = verdict_text(self.ax_loss, 0.02, 0.03, fontsize=10, va="bottom")
        self.animate(*self.paths.values(), *self.loss_lines.values(), self.start_marker, self.min_marker,
                     self.diverged_text)

    def _draw_surface(self, name):
        """Contours of the surface (on a log scale of f - f*), drawn once per surface."""
        surface = surfaces.get_surface(name)
        if self.contour is not None:
            self.contour.remove()
        X, Y, F = surfaces.grid(name, 160)
        self.contour = self.ax_path.contourf(X, Y, np.log10(F - surface.min_value + 1e-3), levels=18, cmap="Greys",
                                             alpha=0.4, zorder=1)
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
        self.runs = runs = self.run()
        self.start_marker.set_data([self.start_x.value], [self.start_y.value])
        low, high = np.inf, 0.0
        for rule, run in runs.items():
            self.paths[rule].set_data(run["path"][:, 0], run["path"][:, 1])
            gap = run["gap"]
            self.loss_lines[rule].set_data(np.arange(gap.size), gap)
            if np.isfinite(gap).any():
                low, high = min(low, np.nanmin(gap)), max(high, np.nanmax(gap))
        finished, diverged_at = surfaces.race_standings(runs)
        diverged = [f"{RULE_NAMES[rule]} diverged at step {step}" for rule, step in diverged_at]
        # whole decades, so most slider moves keep the cached picture
        decades = (10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(min(high, 1e8) * 1.01))) \
            if np.isfinite(low) else None
        self.set_limits(self.ax_loss, x=(0, self.num_steps.value), y=decades)
        self.diverged_text.set_text("\n".join(diverged))
        ranking = ", ".join(f"{RULE_NAMES[rule]} {gap:.1e}" for rule, gap in finished)
        self.show_message("; ".join([f"after {self.num_steps.value} steps, f - f*: {ranking}", *diverged]),
                          "diverged" if diverged else "info")
