"""2-D test surfaces for racing update rules: a narrow valley, Rosenbrock's banana, a saddle.

Each surface is a pair of pure functions of two coordinates, value(x, y) and gradient(x, y) ->
(df/dx, df/dy); x and y are floats or arrays of one shape (a grid for a contour plot). descend()
runs any rule of core.optim on a surface the way the trainer does (core.optim.prepare, then its step).

Lives in core.demos.surfaces (notebook support, beside the lecture's path); until the issue-11 split
it was core/surfaces.py.
"""
import math
from dataclasses import dataclass

import numpy as np

from .. import checks
from ..optim import prepare


# ---- narrow valley: an elongated bowl, 50x steeper across (y) than along (x) ----------------------
def narrow_valley(x, y):
    """f = 0.01 x^2 + 0.5 y^2 (curvatures 0.02 along x, 1 across y; minimum 0 at the origin)."""
    return 0.01 * x * x + 0.5 * y * y


def narrow_valley_gradient(x, y):
    """(0.02 x, y)."""
    return 0.02 * x, 1.0 * y


# ---- Rosenbrock: a curved, flat-bottomed valley ------------------------------------------------------
def rosenbrock(x, y):
    """f = (1 - x)^2 + 100 (y - x^2)^2 (minimum 0 at (1, 1))."""
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def rosenbrock_gradient(x, y):
    """(-2 (1 - x) - 400 x (y - x^2), 200 (y - x^2))."""
    inner = y - x * x
    return -2 * (1 - x) - 400 * x * inner, 200 * inner


# ---- saddle: a saddle point at the origin between two minima ---------------------------------------
def saddle(x, y):
    """f = 0.5 x^2 + 0.25 y^4 - 0.5 y^2: a saddle at (0, 0), minima -0.25 at (0, +-1)."""
    y2 = y * y
    return 0.5 * x * x + 0.25 * y2 * y2 - 0.5 * y2


def saddle_gradient(x, y):
    """(x, y^3 - y)."""
    return 1.0 * x, y * y * y - y


@dataclass(frozen=True)
class Surface:
    """A named surface: value and gradient functions, its minimum, a plotting box, a start point."""

    name: str
    value: object          # f(x, y) -> same shape as x
    gradient: object       # f(x, y) -> (df/dx, df/dy)
    minimum: tuple         # (x*, y*), one minimiser
    min_value: float       # f(x*, y*)
    extent: tuple          # (x_min, x_max, y_min, y_max) for the contour plot and the start sliders
    start: tuple           # a start point that shows the surface's difficulty


SURFACES = {
    "narrow valley": Surface("narrow valley", narrow_valley, narrow_valley_gradient, (0.0, 0.0), 0.0,
                             (-10.0, 10.0, -3.0, 3.0), (-9.0, 2.0)),
    "rosenbrock": Surface("rosenbrock", rosenbrock, rosenbrock_gradient, (1.0, 1.0), 0.0,
                          (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.5)),
    "saddle": Surface("saddle", saddle, saddle_gradient, (0.0, 1.0), -0.25,
                      (-2.0, 2.0, -1.5, 1.5), (-1.8, 0.01)),
}


def get_surface(name):
    """The Surface registered under name (a ValueError lists the names otherwise)."""
    return SURFACES[checks.choice("surface", name, SURFACES)]


def grid(name, num_points=200):
    """X, Y, F arrays (num_points, num_points) of the surface over its extent, for a contour plot."""
    surface = get_surface(name)
    num_points = checks.integer("num_points", num_points, low=2, high=2000)
    x_min, x_max, y_min, y_max = surface.extent
    X, Y = np.meshgrid(np.linspace(x_min, x_max, num_points), np.linspace(y_min, y_max, num_points))
    return X, Y, surface.value(X, Y)


GAP_FLOOR = 1e-12  # descend's f - f*: an exact minimum (0) is shown at this height on a log scale


def descend(name, update, start, num_steps, learning_rate, update_config=None, escape_radius=1e3):
    """Run one update rule from start on surface `name`.

    update: a name in core.optim.UPDATE_RULES; update_config: its other hyperparameters
    (e.g. {"momentum": 0.9}). start: (x, y). num_steps: T updates.
    Returns a dict: path (T'+1, 2) of points visited, values (T'+1,) of f along it, gap (T'+1,) of
    f - f* (the height above the surface's minimum, at least GAP_FLOOR so that a log scale can show
    it; NaN where f is not finite), and diverged_at (the step whose point left the disc of radius
    escape_radius or became NaN; None if it never did). T' = T unless the run diverged, in which case
    the path stops there.

    Notes: the state (velocity, caches, moments) lives in one config dict, exactly as in training.
    """
    surface = get_surface(name)
    start = checks.array("start", start, ndim=1)
    if start.shape != (2,):
        raise ValueError(f"start must be a point (x, y), got shape {start.shape}")
    num_steps = checks.integer("num_steps", num_steps, low=0, high=100_000)
    learning_rate = checks.finite_positive("learning_rate", learning_rate)
    escape_radius = checks.finite_positive("escape_radius", escape_radius)
    step, config = prepare(update, {**(update_config or {}), "learning_rate": learning_rate})  # checked once

    path = np.empty((num_steps + 1, 2))
    path[0] = w = start.astype(np.float64)
    diverged_at = None
    with np.errstate(all="ignore"):
        for t in range(1, num_steps + 1):
            dw = np.array(surface.gradient(w[0], w[1]))
            w, config = step(w, dw, config)
            path[t] = w
            if not (math.isfinite(w[0]) and math.isfinite(w[1])) or math.hypot(w[0], w[1]) > escape_radius:
                diverged_at = t
                path = path[: t + 1]
                break
        values = surface.value(path[:, 0], path[:, 1])
        gap = np.where(np.isfinite(values), np.maximum(values - surface.min_value, GAP_FLOOR), np.nan)
    return {"path": path, "values": values, "gap": gap, "diverged_at": diverged_at}


def race_standings(runs):
    """A race of update rules, {rule: descend(...) result}, read out: (finished, diverged).

    finished: [(rule, final f - f*)] of the rules that did not diverge, lowest (closest to the minimum)
    first; diverged: [(rule, the step it diverged at)], in the order of runs.
    """
    finished = sorted(((rule, float(run["gap"][-1])) for rule, run in runs.items() if run["diverged_at"] is None),
                      key=lambda pair: pair[1])
    return finished, [(rule, run["diverged_at"]) for rule, run in runs.items() if run["diverged_at"] is not None]
