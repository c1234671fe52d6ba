"""Capacity explorer: the "3 / 6 / 20 hidden neurons" decision-boundary pictures as a playground.

A 2-D data set (spiral, circle, xor, gauss), a one-hidden-layer net whose size, activation and L2
strength are sliders, the decision boundary drawn as an image over a grid, and live training with
Play / Pause / Step / Reset. A slider move retrains a fixed budget of iterations (so the picture
always matches the controls); Play continues from there in the background.
"""
import ipywidgets as W
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.markers import MarkerStyle
from matplotlib.ticker import MaxNLocator

import core
from core.demos.boundaries import boundary_fraction, grid_points, grid_probabilities

from .base import COLORS, Explorer, button, dropdown, log_slider, nice_ceiling, slider

CLASS_HEX = (COLORS["train"], COLORS["val"], COLORS["good"], COLORS["extra"])  # Okabe-Ito, one per class ...
CLASS_COLORS = np.array([to_rgb(c) for c in CLASS_HEX])
CLASS_MARKERS = ("o", "s", "^", "D")  # ... and a marker per class, so colour is not the only carrier
CLASS_PATHS = np.array([MarkerStyle(m).get_path().transformed(MarkerStyle(m).get_transform()) for m in CLASS_MARKERS],
                       dtype=object)
EXTENT = (-1.5, 1.5, -1.5, 1.5)  # x0 min, x0 max, x1 min, x1 max of the picture


def boundary_image(probs, resolution):
    """RGB picture (G, G, 3) of class probabilities (G*G, C): each class's colour, paler where unsure."""
    mix = probs @ CLASS_COLORS[: probs.shape[1]]
    confidence = probs.max(axis=1, keepdims=True)
    alpha = 0.25 + 0.4 * (confidence - 1 / probs.shape[1]) / (1 - 1 / probs.shape[1])
    return np.clip(1 - alpha + alpha * mix, 0, 1).reshape(resolution, resolution, 3)


class CapacityExplorer(Explorer):
    """More hidden neurons, more complex boundaries; regularization smooths them (ConvNetJS-style).

    num_per_class: training points per class (the test set is a second draw of the same size).
    train_iterations: the budget retrained on every control change. play_iterations: how far one
    press of Play goes at most. learning_rate: of SGD with momentum 0.9, full batch. seed: data,
    weights. Buttons: Play trains on in the background, Pause (or Stop) halts it, Step trains
    draw_every iterations, Reset draws new weights; a control change retrains the budget from scratch.
    """

    title = "Capacity: hidden neurons and regularization shape the decision boundary"
    _spiral = {"dataset": "spiral", "noise": 0.1, "activation": "relu"}
    _noisy_xor = {"dataset": "xor", "noise": 0.3, "activation": "relu", "hidden_size": 50}
    start_case = "20 hidden neurons"
    cases = {
        "3 hidden neurons": {**_spiral, "hidden_size": 3, "reg": 1e-5},
        "6 hidden neurons": {**_spiral, "hidden_size": 6, "reg": 1e-5},
        "20 hidden neurons": {**_spiral, "hidden_size": 20, "reg": 1e-5},
        "20 neurons + strong regularization": {**_spiral, "hidden_size": 20, "reg": 3e-3},
        "noisy xor, 50 neurons, reg off (press Play: it overfits)": {**_noisy_xor, "reg": 1e-5},
        "noisy xor, 50 neurons, reg 1e-2 (press Play: stays smooth)": {**_noisy_xor, "reg": 1e-2},
    }
    figsize = (10, 4.4)
    resolution = 100
    record_every = 10
    draw_every = 50           # Play redraws at most every draw_every iterations (Step trains this many) ...
    min_redraw_seconds = 0.2  # ... and at most five times a second, so training gets most of the time

    def __init__(self, num_per_class=100, train_iterations=150, play_iterations=3000, learning_rate=0.5,
                 seed=0):
        self.num_per_class, self.seed = num_per_class, seed
        self.train_iterations, self.play_iterations = train_iterations, play_iterations
        self.learning_rate = learning_rate
        self.grid = grid_points(EXTENT, self.resolution)
        self.action, self.play_start = None, 0  # the button pressed (play, pause, step, reset); None: a control
        self.counter = W.HTML("iteration 0")
        self.play_button = button("Play", lambda: self.act("play"), "play", button_style="success")
        self.pause_button = button("Pause", lambda: self.act("pause"), "pause")
        self.step_button = button("Step", lambda: self.act("step"), "step-forward",
                                  tooltip=f"train {self.draw_every} more iterations")
        self.reset_button = button("Reset", lambda: self.act("reset"), "undo",
                                   tooltip="new random weights, iteration 0")
        super().__init__()

    def make_controls(self):
        return {"dataset": dropdown("data set", ["spiral", "circle", "xor", "gauss"], "spiral"),
                "noise": slider("noise", 0.1, 0.0, 0.5, 0.02),
                "hidden_size": slider("hidden neurons", 20, 1, 50, 1, integer=True),
                "reg": log_slider("reg (L2)", 1e-5, -5, 0),
                "activation": dropdown("activation", ["relu", "tanh", "sigmoid", "leaky_relu"], "relu")}

    def colors(self):
        return list(CLASS_HEX)  # the classes (also a marker each); train loss solid, test loss dashed

    def act(self, action):
        """A button asks refresh() for its action (so it runs like any change: under the base's lock, an error
        shown in the status line)."""
        self.action = action
        self.update()

    def extra_widgets(self):
        return [W.HBox([self.play_button, self.pause_button, self.step_button, self.reset_button, self.counter])]
    # ---- figure ---------------------------------------------------------------------------------
    def build_figure(self):
        grid = self.fig.add_gridspec(1, 2, width_ratios=[1.1, 1])
        self.ax_map = self.fig.add_subplot(grid[0])
        self.ax_loss = self.fig.add_subplot(grid[1])
        blank = np.ones((self.resolution, self.resolution, 3))
        self.boundary = self.ax_map.imshow(blank, origin="lower", extent=EXTENT, interpolation="nearest")
        self.train_points = self.ax_map.scatter([], [], s=16, linewidths=0.5, edgecolors="k", label="train points")
        self.test_points = self.ax_map.scatter([], [], s=18, facecolors="none", linewidths=0.9, label="test points")
        self.ax_map.set(xlim=EXTENT[:2], ylim=EXTENT[2:], xticks=[], yticks=[])
        self.map_title = self.ax_map.set_title("")
        (self.train_line,) = self.ax_loss.plot([], [], color=COLORS["train"], label="train loss")
        (self.test_line,) = self.ax_loss.plot([], [], "--", color=COLORS["val"], label="test loss")
        self.ax_loss.set(xlabel="iteration", ylabel="data loss (softmax)", title="train and test loss")
        self.loss_legend = self.ax_loss.legend(loc="best")  # the curves go down (spiral) or up (overfitting)
        self.ax_loss.grid(alpha=0.3)
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5))  # fewer tick labels: faster redraws
        self.ax_loss.yaxis.set_major_locator(MaxNLocator(5))
        self.ax_loss.set_axisbelow(True)  # grid, ticks and labels under the curves: in the cached picture
        for axis in (self.ax_map.xaxis, self.ax_map.yaxis):  # no ticks: they draw nothing, so below the image
            axis.set_zorder(-1)
        for text in self.loss_legend.get_texts():  # their new numbers leave the rest of the figure as it was
            text.set_animated(True)  # (the legend, moving, draws them)
        # what a change moves, drawn over a cached picture of the rest (Explorer.animate)
        self.animate(self.boundary, self.train_points, self.test_points, self.map_title, self.train_line,
                     self.test_line, self.loss_legend)

    # ---- state ----------------------------------------------------------------------------------
    def make_data(self):
        """Train and test draws of the chosen 2-D set."""
        name, noise = self.dataset.value, self.noise.value
        self.X_train, self.y_train = core.data.toy_2d(name, self.num_per_class, noise, rng=self.seed)
        self.X_test, self.y_test = core.data.toy_2d(name, self.num_per_class, noise, rng=self.seed + 1)
        self.num_classes = core.data.num_classes(self.y_train)

    def new_net(self):
        """Fresh weights for the current controls, iteration 0, empty loss curves."""
        activation = self.activation.value
        self.net = core.FullyConnectedNet(2, [self.hidden_size.value], self.num_classes, activation=activation,
                                          init=core.init.init_for(activation), reg=self.reg.value, rng=self.seed)
        self.iteration = 0
        self.history = {"iteration": [], "train": [], "test": []}
        self.record()

    def record(self):
        """Append the current data loss on the training and test points to the curves."""
        for name, X, y in (("train", self.X_train, self.y_train), ("test", self.X_test, self.y_test)):
            loss, _ = core.layers.softmax_loss(self.net.scores(X), y)
            self.history[name].append(loss)
        self.history["iteration"].append(self.iteration)

    def train(self, iterations, stop=None, on_record=None):
        """Train the current net for `iterations` full-batch updates, recording losses as it goes."""
        start = self.iteration

        def on_iteration(result):
            self.iteration = start + result.iteration
            if self.iteration % self.record_every == 0:
                self.record()
                if on_record is not None:
                    on_record(result)

        result = core.train(self.net, self.X_train, self.y_train, self.X_test, self.y_test,
                            num_epochs=iterations, sample_batches=False, update="momentum",
                            update_config={"momentum": 0.9}, learning_rate=self.learning_rate,
                            reg=self.reg.value, explode_factor=None, track_ratios=False,
                            rng=self.seed, on_iteration=on_iteration, stop=stop)
        if self.history["iteration"][-1] != self.iteration:
            self.record()
        return result

    # ---- drawing --------------------------------------------------------------------------------
    def complexity(self):
        """Boundary complexity of the net as last drawn (core.demos.boundaries.boundary_fraction)."""
        return boundary_fraction(self.labels_grid)

    def draw(self):
        probs = grid_probabilities(self.net, self.grid)  # (resolution**2, C)
        self.boundary.set_data(boundary_image(probs, self.resolution))
        self.labels_grid = probs.argmax(axis=1).reshape(self.resolution, self.resolution)
        for points, X, y in ((self.train_points, self.X_train, self.y_train),
                             (self.test_points, self.X_test, self.y_test)):
            points.set_offsets(X)
            points.set_paths(CLASS_PATHS[y].tolist())  # class marker (train filled, test hollow)
        self.train_points.set_facecolors(CLASS_COLORS[self.y_train])
        self.test_points.set_edgecolors(CLASS_COLORS[self.y_test])
        self.train_accuracy = self.net.accuracy(self.X_train, self.y_train)
        self.test_accuracy = self.net.accuracy(self.X_test, self.y_test)
        h = self.history
        self.train_line.set_data(h["iteration"], h["train"])
        self.test_line.set_data(h["iteration"], h["test"])
        finite = [v for v in h["train"] + h["test"] if np.isfinite(v)]
        top = max(finite) if finite else 1.0
        self.set_limits(self.ax_loss, x=(0, max(self.iteration, self.train_iterations) * 1.02),
                        y=(0, nice_ceiling(max(top, 0.1) * 1.08)))  # a nice top changes rarely: the axes stay cached
        self.map_title.set_text(
            f"{self.hidden_size.value} hidden neurons ({self.activation.value}), "
            f"reg {self.reg.value:.0e}, iteration {self.iteration}\n"
            f"train (filled) acc {self.train_accuracy:.2f}, test (hollow) acc {self.test_accuracy:.2f}"
        )
        for text, name in zip(self.loss_legend.get_texts(), ("train", "test")):
            text.set_text(f"{name} loss {h[name][-1]:.3f}")
        self.counter.value = f"<b>iteration {self.iteration}</b>"
        if not np.isfinite(h["train"][-1]):
            self.show_message(f"diverged at iteration {self.iteration}: loss {h['train'][-1]}", kind="diverged")
        else:
            self.show_message(f"iteration {self.iteration}: train loss {h['train'][-1]:.3f}, test loss "
                              f"{h['test'][-1]:.3f}; train acc {self.train_accuracy:.2f}, test acc "
                              f"{self.test_accuracy:.2f}; boundary cells {self.complexity():.3f}")

    def refresh(self):
        """A control moved (new data and net, the budget retrained) or a button asked for its action."""
        action, self.action = self.action, None
        start = getattr(self, "iteration", 0)
        self.pause()
        if action is None:
            self.make_data()
            self.new_net()
            self.train(self.train_iterations)
        elif action == "step":
            self.train(self.draw_every)
        elif action == "reset":
            self.new_net()
        self.draw()
        if action == "pause":
            self.show_message(f"paused at iteration {self.iteration} (Play trained {self.iteration - self.play_start}"
                              f" of them): press Play to go on")
        if action == "play":
            self.play_start = start
            self.run_in_background(self._play, self.play_iterations)

    def _play(self, progress, stop):
        """Train in the background, redrawing every draw_every iterations, until Pause or play_iterations."""
        frame = self.paced_frames(stop, self.draw, every=self.min_redraw_seconds)

        def on_record(result):
            if result.iteration % self.draw_every == 0:
                frame()
            progress(result.iteration)

        self.train(self.play_iterations, stop=stop, on_record=on_record)
        self.show_frame(stop, self.draw)

    def pause(self):
        """Halt a Play run (the picture keeps the last iteration drawn)."""
        if self.running:
            self.stop()
            self.wait()
