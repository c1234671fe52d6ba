"""The lecture's sanity checks (notebook 04): "Double check that the loss is reasonable" (the
initial loss over weight scales, seeds and regularization strengths) and "Make sure that you can
overfit very small portion of the data" (the epoch where training accuracy first reaches 1.00)."""
import numpy as np

from .. import checks
from ..net import FullyConnectedNet
from ..regularizers import l2_penalty


def initial_loss_parts(X, y, hidden_size, num_classes, scales, seeds):
    """The loss of fresh nets before any training, in two parts: the data loss and the L2 penalty at
    reg = 1 (the loss at strength reg is data + reg x penalty: the penalty is linear in reg).

    X: (N, D), y: (N,). One D-H-C net (gaussian init of std `scale`) per seed and scale. Returns
    (data_loss, penalty), each (len(seeds), len(scales)).
    """
    data_loss = np.zeros((len(seeds), len(scales)))
    penalty = np.zeros_like(data_loss)
    for i, seed in enumerate(seeds):
        for j, scale in enumerate(scales):
            net = FullyConnectedNet(np.shape(X)[1], [hidden_size], num_classes, init_scale=float(scale), reg=0.0,
                                    rng=seed)
            data_loss[i, j] = net.loss(X, y)[0]
            penalty[i, j] = sum(l2_penalty(w, 1.0)[0] for k, w in net.params.items() if k.startswith("W"))
    return data_loss, penalty


def initial_losses(data_loss, penalty, reg):
    """The initial loss at L2 strength reg (a number or an array of strengths): data_loss + reg * penalty,
    from initial_loss_parts (arrays of one shape, or numbers)."""
    return data_loss + reg * penalty


def first_epoch_reaching(history, target=1.0):
    """The first epoch (1-based) whose value in history (per epoch, e.g. train accuracy) is >= target,
    or None if none is."""
    values = checks.array("history", np.asarray(history, dtype=np.float64), ndim=1, finite=False)
    hits = np.flatnonzero(values >= target)
    return int(hits[0]) + 1 if hits.size else None
