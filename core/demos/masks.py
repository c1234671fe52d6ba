"""Dropout as "an ensemble of all subnetworks": each random mask picks a thinned network; averaging
the predictions of many masks (Monte Carlo) approaches the single scaled test-time pass.

accuracy of averaging the first k masks: core.demos.ensemble.accuracy_by_size on these probabilities.
"""
import numpy as np

from .. import checks
from ..layers import softmax


def sampled_mask_probabilities(net, X, num_masks, rng=None):
    """Class probabilities of num_masks train-mode passes of `net`, each with fresh dropout masks.

    net: a core.net.FullyConnectedNet with p_keep set. X: (N, D). Returns (K, N, C), K = num_masks:
    row k is the "thinned" subnetwork that mask k picks. Their mean is a Monte Carlo estimate of the
    slide's "ensemble of all subnetworks"; net.scores(X) is the single scaled pass approximating it.
    rng: draws the masks (None: the net's own rng). The net is not changed.
    """
    num_masks = checks.integer("num_masks", num_masks, low=1)
    if getattr(net, "p_keep", None) is None:
        raise ValueError("net has p_keep None (no dropout): every mask would be the same network")
    X = net.check_X(X)
    rng = net.rng if rng is None else checks.rng("rng", rng)
    probs = np.empty((num_masks, X.shape[0], net.sizes[-1]))
    for k in range(num_masks):
        probs[k] = softmax(net.forward(X, "train", rng=rng)[0])
    return probs
