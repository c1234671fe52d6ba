"""Explorers for the training loop: the chain rule on a small circuit, and mini-batch vs full-batch
gradient descent drawn as paths over the two weights of a linear unit."""
import numpy as np
from matplotlib.patches import FancyBboxPatch

from core.demos import circuit, linear_unit

from .base import COLORS, Explorer, log_slider, slider, verdict_text


class ChainRuleExplorer(Explorer):
    """The graph f = (x * y + z) * w: forward values (bold, above each wire) and gradients df/d(node)
    (below), recomputed by core.demos.circuit for the inputs on the sliders."""

    title = "Backpropagation: the recursive chain rule"
    figsize = (10, 3.6)
    start_case = "lecture values (x=3, y=-2, z=4, w=-3)"
    cases = {
        "lecture values (x=3, y=-2, z=4, w=-3)": {"x": 3.0, "y": -2.0, "z": 4.0, "w": -3.0},
        "w = 0: no gradient reaches x, y, z": {"x": 3.0, "y": -2.0, "z": 4.0, "w": 0.0},
        "y = 0: x gets no gradient": {"x": 3.0, "y": 0.0, "z": 4.0, "w": -3.0},
    }
    # node -> (x, y) position of the wire label; gates between them
    POSITIONS = {"x": (0.04, 0.90), "y": (0.04, 0.28), "z": (0.38, 0.10), "w": (0.68, 0.10),
                 "q": (0.33, 0.62), "s": (0.62, 0.45), "f": (0.93, 0.38)}
    GATES = {"*1": (0.22, 0.62), "+": (0.50, 0.45), "*2": (0.80, 0.38)}
    WIRES = [("x", "*1"), ("y", "*1"), ("*1", "+"), ("z", "+"), ("+", "*2"), ("w", "*2"), ("*2", "f")]
    WIRE_OF_NODE = {"x": 0, "y": 1, "q": 2, "z": 3, "s": 4, "w": 5, "f": 6}
    FORMULAS = {"q": "q = x y", "s": "s = q + z"}  # above the wires of the inner nodes

    def make_controls(self):
        return {name: slider(name, value, -5, 5, 0.5) for name, value in self.cases[self.start_case].items()}

    def colors(self):
        return [COLORS["good"], COLORS["bad"]]  # value above the wire (bold), gradient below

    def _point(self, name):
        return self.GATES.get(name) or self.POSITIONS[name]

    def build_figure(self):
        ax = self.ax = self.fig.subplots()
        ax.set(xlim=(0, 1), ylim=(0, 1))
        ax.axis("off")
        for a, b in self.WIRES:
            ax.annotate("", xy=self._point(b), xytext=self._point(a),
                        arrowprops=dict(arrowstyle="-|>", color="#444", lw=1.5, shrinkA=12, shrinkB=14))
        for name, (gx, gy) in self.GATES.items():
            ax.add_patch(FancyBboxPatch((gx - 0.03, gy - 0.07), 0.06, 0.14, boxstyle="round,pad=0.01",
                                        fc="#eeeeee", ec="#444"))
            ax.text(gx, gy, name[0], ha="center", va="center", fontsize=18, weight="bold")
        self.value_texts, self.grad_texts = {}, {}
        for node, wire in self.WIRE_OF_NODE.items():
            (xa, ya), (xb, yb) = (self._point(end) for end in self.WIRES[wire])
            mx, my = (xa + xb) / 2, (ya + yb) / 2
            if node in circuit.INPUTS:
                ax.text(xa - 0.005, ya, node, ha="right", va="center", fontsize=16, style="italic")
            if node == "f":
                ax.text(xb + 0.01, yb, "f", ha="left", va="center", fontsize=16, style="italic")
            if node in self.FORMULAS:
                ax.text(mx, my + 0.13, self.FORMULAS[node], ha="center", fontsize=11, color="#555")
            self.value_texts[node] = ax.text(mx, my + 0.05, "", ha="center", color=COLORS["good"], fontsize=13,
                                             weight="bold")
            self.grad_texts[node] = ax.text(mx, my - 0.09, "", ha="center", color=COLORS["bad"], fontsize=13)
        ax.text(0.0, 1.0, "above a wire (bold): forward value", transform=ax.transAxes, fontsize=12, va="top",
                color=COLORS["good"], weight="bold")
        ax.text(0.36, 1.0, "below: gradient df/d(node), backward from df/df = 1", transform=ax.transAxes,
                fontsize=12, va="top", color=COLORS["bad"])
        self.chain_text = ax.text(0.0, -0.02, "", transform=ax.transAxes, fontsize=12, va="top", family="monospace")
        self.animate(*self.value_texts.values(), *self.grad_texts.values(), self.chain_text)

    def refresh(self):
        self.values, self.grads = circuit.forward_backward(self.x.value, self.y.value, self.z.value, self.w.value)
        v = {k: value + 0.0 for k, value in self.values.items()}  # + 0.0: shows "0", never "-0"
        g = {k: value + 0.0 for k, value in self.grads.items()}
        for node in self.WIRE_OF_NODE:
            self.value_texts[node].set_text(f"{v[node]:g}")
            self.grad_texts[node].set_text(f"{g[node]:g}")
        self.chain_text.set_text(
            f"df/dx = df/ds * ds/dq * dq/dx = w * 1 * y = ({v['w']:g}) * 1 * ({v['y']:g}) = {g['x']:g}")
        self.show_message(f"f = ({v['x']:g} * {v['y']:g} + {v['z']:g}) * {v['w']:g} = {v['f']:g};  "
                          f"df/dx = {g['x']:g}, df/dy = {g['y']:g}, df/dz = {g['z']:g}, df/dw = {g['w']:g}")


class MiniBatchExplorer(Explorer):
    """Mini-batch vs full-batch gradient descent on a linear unit with two weights (least squares on a
    toy set with correlated inputs), drawn over the contour of the full-data loss L(w1, w2).

    num_points: patterns in the toy set; correlation: between the two inputs (stretches the contours).
    seed: for the data and the batches.
    """

    title = "Mini-batch gradient descent: sample a batch, compute the gradient, update"
    figsize = (11, 4.6)
    start_case = "batch 10"
    cases = {
        "batch 1 (very noisy)": {"batch_size": 1, "learning_rate": 0.3, "num_steps": 60},
        "batch 10": {"batch_size": 10, "learning_rate": 0.3, "num_steps": 30},
        "full batch": {"batch_size": 100, "learning_rate": 0.3, "num_steps": 30},
        "learning rate too high (1.2)": {"batch_size": 100, "learning_rate": 1.2, "num_steps": 30},
        "batch 1 at lr 0.8: full batch is fine, batch 1 diverges": {"batch_size": 1, "learning_rate": 0.8,
                                                                     "num_steps": 30},
    }
    W_START = (-2.0, 3.0)

    def __init__(self, num_points=100, correlation=0.8, noise=0.3, seed=0):
        self.seed = seed
        self.X, self.t = linear_unit.regression_2d(num_points, correlation, noise, rng=seed)
        self.w_best = linear_unit.best_weights(self.X, self.t)
        self.loss_best = float(linear_unit.mean_squared_error(self.w_best, self.X, self.t))
        super().__init__()

    def make_controls(self):
        return {"batch_size": slider("batch size", 10, 1, self.X.shape[0], 1, integer=True),
                "learning_rate": log_slider("learning rate", 0.3, -3, 1, step=0.05, readout_format=".3f"),
                "num_steps": slider("steps", 30, 1, 200, 1, integer=True)}

    def colors(self):
        return [COLORS["val"], COLORS["train"], COLORS["ref"]]  # full batch (squares), mini-batch (dots), minimum

    def build_figure(self):
        self.ax_path, self.ax_loss = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.15]})
        ax = self.ax_path
        w1 = np.linspace(-4.5, 5.5, 121)
        w2 = np.linspace(-5.0, 4.0, 121)
        grid = np.stack(np.meshgrid(w1, w2), axis=-1)  # (121, 121, 2)
        surface = linear_unit.mean_squared_error(grid.reshape(-1, 2), self.X, self.t).reshape(grid.shape[:2])
        levels = self.loss_best + (np.nanmax(surface) - self.loss_best) * np.linspace(0, 1, 14)[1:] ** 2
        ax.contourf(w1, w2, surface, levels=np.r_[self.loss_best, levels], cmap="Blues_r", alpha=0.35)
        ax.contour(w1, w2, surface, levels=levels, colors="#777", linewidths=0.6)
        ax.plot(*self.w_best, "*", color="k", ms=14, label="minimum")
        ax.plot(*self.W_START, "s", color="k", ms=7)
        (self.full_path,) = ax.plot([], [], "s-", color=COLORS["val"], ms=3, lw=2, label="full batch")
        (self.batch_path,) = ax.plot([], [], "o-", color=COLORS["train"], ms=3, lw=1.2, label="mini-batch")
        ax.set(xlim=(w1[0], w1[-1]), ylim=(w2[0], w2[-1]), xlabel="w1", ylabel="w2",
               title="paths over the loss contours L(w1, w2)")
        ax.set_aspect("equal")
        ax.legend(loc="upper right", fontsize=9)
        self.path_verdict = verdict_text(ax, 0.03, 0.03, ha="left", va="bottom", fontsize=12,
                                         bbox=dict(fc="white", ec="none", alpha=0.85))
        ax = self.ax_loss
        (self.full_loss,) = ax.plot([], [], "s-", color=COLORS["val"], ms=3, lw=2, label="full batch")
        (self.batch_loss,) = ax.plot([], [], "o-", color=COLORS["train"], ms=3, lw=1.2,
                                     label="mini-batch (loss on all data)")
        (self.seen_loss,) = ax.plot([], [], ".", color=COLORS["train"], ms=4, alpha=0.35,
                                    label="mini-batch (loss on its batch)")
        ax.axhline(self.loss_best, color=COLORS["ref"], ls="--", lw=1, label="minimum loss")
        ax.set(yscale="log", xlabel="step (one update)", ylabel="loss (mean squared error / 2)",
               title="loss per step")
        ax.legend(loc="upper right", fontsize=9)
        self.animate(
            self.full_path, self.batch_path, self.path_verdict, self.full_loss, self.batch_loss, self.seen_loss
        )

    def refresh(self):
        lr, steps, batch, n = self.learning_rate.value, self.num_steps.value, self.batch_size.value, self.X.shape[0]
        self.batch_run, self.full_run = (linear_unit.descent_path(self.X, self.t, self.W_START, lr, size, steps,
                                                                  rng=self.seed) for size in (batch, n))
        for run, path, curve in ((self.batch_run, self.batch_path, self.batch_loss),
                                 (self.full_run, self.full_path, self.full_loss)):
            w = run["weights"]
            path.set_data(w[:, 0], w[:, 1])
            curve.set_data(np.arange(w.shape[0]), np.where(np.isfinite(run["loss"]), run["loss"], np.nan))
        self.seen_loss.set_data(np.arange(1, self.batch_run["batch_loss"].size + 1),
                                np.where(self.batch_run["batch_loss"] > 0, self.batch_run["batch_loss"], np.nan))
        start = self.full_run["loss"][0]
        self.set_limits(self.ax_loss, x=(-0.5, steps + 0.5), y=(self.loss_best * 0.5, start * 4))
        same = batch == n  # the mini-batch is the whole set: one path
        for artist in (self.batch_path, self.batch_loss, self.seen_loss):
            if artist.get_visible() == same:
                artist.set_visible(not same)
        runs = {"full batch": self.full_run} if same else {"mini-batch": self.batch_run, "full batch": self.full_run}
        notes = [f"{label} diverged at step {run['diverged_at']}: loss {run['loss'][-1]:.3g} > 3 x {start:.2f}"
                 for label, run in runs.items() if run["diverged_at"] is not None]
        self.path_verdict.set_text("\n".join(notes))
        if notes:
            self.show_message("; ".join(notes), kind="diverged")
        elif same:
            self.show_message(f"full batch ({n} patterns), lr {lr:.3g}: after {steps} steps loss "
                              f"{self.full_run['loss'][-1]:.3f}; minimum {self.loss_best:.3f}")
        else:
            self.show_message(f"batch {batch} of {n} patterns, lr {lr:.3g}: after {steps} steps loss "
                              f"{self.batch_run['loss'][-1]:.3f} (mini-batch) vs {self.full_run['loss'][-1]:.3f} (full "
                              f"batch); minimum {self.loss_best:.3f}. A full-batch step costs {n / batch:.0f} "
                              "mini-batch steps of work.")
