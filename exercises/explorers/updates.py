"""Exercise 06 (update rules): the student's momentum / Nesterov / Adam stepping down a 2-D valley beside SGD."""
import numpy as np

import core
from core.demos.student_code import PATH_LIMIT, path_diverged, update_path, valley_loss
from widgets.base import COLORS, Explorer, dropdown, log_slider, slider

from .common import not_yet


class UpdatePathExplorer(Explorer):
    """The student's update rules walking down a narrow 2-D valley, next to plain SGD."""

    title = "Update rules on a narrow valley: your code against SGD"
    figsize = (10, 4)
    steep = 20.0

    def __init__(self, rules, seed=0):
        self.rules = dict(rules)
        super().__init__()

    def make_controls(self):
        return {"rule": dropdown("update rule", list(self.rules), list(self.rules)[0]),
                "learning_rate": log_slider("learning rate", 0.02, -3, 0, step=0.05),
                "num_steps": slider("steps", 50, 5, 200, 5, integer=True)}

    def colors(self):
        return [COLORS["ref"], COLORS["val"]]  # sgd (dashed), your rule (solid)

    def build_figure(self):
        self.ax, self.ax_loss = self.fig.subplots(1, 2, width_ratios=(3, 2))
        g0, g1 = np.meshgrid(np.linspace(-5, 5, 200), np.linspace(-2, 2, 120))
        self.ax.contour(g0, g1, valley_loss((g0, g1), self.steep)[0], levels=np.geomspace(0.05, 60, 12),
                        colors="#bbbbbb", linewidths=0.8)
        (self.sgd_path,) = self.ax.plot([], [], ".--", color=COLORS["ref"], lw=1, label="sgd (core)")
        (self.path,) = self.ax.plot([], [], ".-", color=COLORS["val"], lw=1.5, label="your rule")
        self.ax.plot([0], [0], "*", color="black", ms=12)
        self.ax.set(xlim=(-5, 5), ylim=(-2, 2), xlabel="w0", ylabel="w1", title="path from (-4, 1)")
        self.ax.legend(loc="upper right")
        (self.sgd_loss,) = self.ax_loss.plot([], [], "--", color=COLORS["ref"], label="sgd (core)")
        (self.loss_line,) = self.ax_loss.plot([], [], color=COLORS["val"], label="your rule")
        self.ax_loss.set(yscale="log", ylim=(1e-8, PATH_LIMIT), xlabel="step", ylabel="loss", title="loss")
        self.ax_loss.legend(loc="upper right")
        self.animate(self.sgd_path, self.path, self.sgd_loss, self.loss_line)

    def refresh(self):
        lr, steps, mine = self.learning_rate.value, self.num_steps.value, self.rule.value
        self.set_limits(self.ax_loss, x=(0, steps))
        ends = []  # how each run ended: "diverged" or its last loss
        try:
            for rule, path_line, loss_line in ((core.optim.sgd, self.sgd_path, self.sgd_loss),
                                               (self.rules[mine], self.path, self.loss_line)):
                path, losses = update_path(rule, lr, steps, steep=self.steep)
                path_line.set_data(path[:, 0], path[:, 1])
                loss_line.set_data(np.arange(losses.size),
                                   np.clip(np.nan_to_num(losses, nan=PATH_LIMIT), 1e-8, PATH_LIMIT))
                ends.append("diverged" if path_diverged(losses) else f"loss {losses[-1]:.2g}")
        except NotImplementedError:
            self.path.set_data([], [])
            self.loss_line.set_data([], [])
            not_yet(self, f"{mine} is")
            return
        self.show_message(f"after {steps} steps at learning rate {lr:.2g}: {mine} {ends[1]}, sgd {ends[0]}",
                          kind="diverged" if ends[1] == "diverged" else "info")

