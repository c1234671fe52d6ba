"""Activations layer by layer (notebook 08, the lecture's histograms of a 10-layer net's activations for
each initialization): counts of every layer's activations over one shared set of bins, and a net's
weights given each initializer's std from draws made once."""
import numpy as np

from .. import checks
from ..init import expected_std


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


def scale_draws(net, draws, init, init_scale=None):
    """Give each weight matrix of net the std that init gives it, from standard-normal draws made once
    (so that a change of initializer or scale draws nothing new): W_l = draws[l] x
    core.init.expected_std(init, fan_in, fan_out, init_scale).

    net: a FullyConnectedNet of num_layers weight matrices; draws: that many standard-normal arrays of
    their shapes (float32 keeps them float32). init_scale: the gaussian's std (not used by the others).
    Returns the std of each weight matrix (num_layers,). The biases are left as they are.
    """
    if len(draws) != net.num_layers:
        raise ValueError(f"draws must hold one array per weight matrix ({net.num_layers}), got {len(draws)}")
    stds = np.empty(net.num_layers)
    for i, draw in enumerate(draws):
        stds[i] = expected_std(init, net.sizes[i], net.sizes[i + 1], init_scale if init == "gaussian" else None)
        net.params[f"W{i + 1}"] = draw * np.asarray(stds[i], dtype=draw.dtype)
    return stds
