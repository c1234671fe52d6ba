"""Activations layer by layer (notebook 08, the lecture's histograms of a 10-layer net's activations for
each initialization): counts of every layer's activations over one shared set of bins."""
import numpy as np

from .. import checks


def layer_histograms(activations, num_bins=40, rows=None, relu=False):
    """Histogram counts of each layer's activations over bins shared by every layer.

    activations: a list of L arrays (N, H), as core.monitor.activations_and_gradients returns them.
    rows: how many of the N examples each layer counts (None: all). relu False (tanh): bins over
    [-1, 1], tanh's range. relu True: bins over [0, top], one range for every layer so that a shrinking
    layer is seen to shrink, top the largest finite positive layer maximum rounded up to a power of 2
    (1 if there is none; a power of 2 changes rarely as the controls move), and the exact zeros (about
    half of a ReLU layer) are left out: core.monitor.activation_stats counts them (zero_fraction).
    Non-finite values are left out. Returns (edges (num_bins + 1,), counts (L, num_bins) of int).
    """
    num_bins = checks.integer("num_bins", num_bins, low=1)
    if rows is not None:
        rows = checks.integer("rows", rows, low=1)
    if relu:
        maxima = [float(np.max(a)) for a in activations]
        finite_max = [m for m in maxima if np.isfinite(m) and m > 0]
        edges = np.linspace(0, 2.0 ** np.ceil(np.log2(max(finite_max) if finite_max else 1.0)), num_bins + 1)
    else:
        edges = np.linspace(-1, 1, num_bins + 1)
    counts = np.zeros((len(activations), num_bins), dtype=np.int64)
    for i, a in enumerate(activations):
        values = np.asarray(a)[:rows].ravel()
        values = values[np.isfinite(values)]
        if relu:
            values = values[values > 0]
        counts[i] = np.histogram(values, num_bins, (edges[0], edges[-1]))[0]  # = edges, without a sort
    return edges, counts
