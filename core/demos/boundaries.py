"""Decision boundaries of a net on 2-D data (notebook 03, "3 / 6 / 20 hidden neurons"): the class
probabilities over a grid of points, and how wiggly the boundary between the predicted classes is."""
import numpy as np

from .. import checks
from ..layers import softmax


def grid_points(extent, resolution):
    """The points of a resolution x resolution grid over extent (x0 min, x0 max, x1 min, x1 max):
    (resolution**2, 2) float32, row-major from the bottom row (as imshow with origin="lower" draws it)."""
    x0_min, x0_max, x1_min, x1_max = (float(v) for v in extent)
    resolution = checks.integer("resolution", resolution, low=2)
    a, b = np.meshgrid(np.linspace(x0_min, x0_max, resolution), np.linspace(x1_min, x1_max, resolution))
    return np.c_[a.ravel(), b.ravel()].astype(np.float32)


def grid_probabilities(net, points):
    """Class probabilities (G, C) of a net (2 inputs) at the grid points (G, 2): softmax of its scores."""
    return softmax(net.scores(points))


def boundary_fraction(labels):
    """Boundary complexity of a (G, G) grid of predicted classes: the fraction of cells whose right
    or upper neighbour has a different class. A straight boundary across a G-grid gives about 1 / G;
    a wiggly one, more."""
    labels = np.asarray(labels)
    if labels.ndim != 2 or min(labels.shape) < 2:
        raise ValueError(f"labels must be a 2-D grid of at least 2 x 2 classes, got shape {labels.shape}")
    changed = np.zeros(labels.shape, dtype=bool)
    changed[:, :-1] |= labels[:, 1:] != labels[:, :-1]
    changed[:-1, :] |= labels[1:, :] != labels[:-1, :]
    return float(changed.mean())
