"""The lecture's sanity checks (notebook 04): "Double check that the loss is reasonable" (the
initial loss over weight scales, seeds and regularization strengths) and "Make sure that you can
overfit very small portion of the data" (the epoch where training accuracy first reaches 1.00)."""
import numpy as np

from .. import checks
from ..data import tiny_subset
from ..layers import chance_loss
from ..net import FullyConnectedNet
from ..regularizers import l2_penalty
from ..trainer import train


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


def initial_loss_curves(data_loss, penalty, reg):
    """The initial loss per seed and its mean over the seeds, at L2 strength reg.

    data_loss, penalty: (S, K) from initial_loss_parts (S seeds, K init scales); reg: a number, or (R,)
    strengths when K = 1 (one init scale, swept over strengths). Returns (losses, mean): losses (S, K),
    or (S, R), and mean (K,), or (R,), its average over the seeds.
    """
    losses = initial_losses(np.asarray(data_loss, dtype=np.float64), np.asarray(penalty, dtype=np.float64), reg)
    return losses, losses.mean(axis=0)


def initial_loss_at(data_loss, penalty, reg, num_classes, tolerance=0.02):
    """initial_loss_check at one init scale and L2 strength reg, from the parts data_loss, penalty (S,),
    one per seed (a column of initial_loss_parts): its dict, with "losses" (S,), the initial loss per
    seed, and "penalty", what the L2 term adds to their mean (reg x the mean penalty at reg 1)."""
    losses = initial_losses(np.asarray(data_loss, dtype=np.float64), np.asarray(penalty, dtype=np.float64), reg)
    return {**initial_loss_check(losses, num_classes, tolerance), "losses": losses,
            "penalty": float(reg * np.mean(penalty))}


def initial_loss_check(losses, num_classes, tolerance=0.02):
    """The slide's "double check that the loss is reasonable" on the initial losses of fresh nets, one per
    seed (a sequence of numbers): {"mean", "spread" (max - min over the seeds), "chance" (ln C, the loss of
    a net that gives every class 1/C), "close" (|mean - ln C| < tolerance)}."""
    losses = checks.array("losses", np.asarray(losses, dtype=np.float64), ndim=1, finite=False)
    if losses.size == 0:
        raise ValueError("losses must hold at least one initial loss, got an empty sequence")
    chance = chance_loss(num_classes)
    mean = float(losses.mean())
    return {"mean": mean, "spread": float(losses.max() - losses.min()), "chance": chance,
            "close": bool(abs(mean - chance) < tolerance)}


def first_epoch_reaching(history, target=1.0):
    """The first epoch (1-based) whose value in history (per epoch, e.g. train accuracy) is >= target,
    or None if none is."""
    values = checks.array("history", np.asarray(history, dtype=np.float64), ndim=1, finite=False)
    hits = np.flatnonzero(values >= target)
    return int(hits[0]) + 1 if hits.size else None


def overfit_tiny_subset(data, num_examples, reg=0.0, hidden_size=50, init_scale=1e-2, learning_rate=0.3,
                        num_epochs=200, seed=0):
    """The slide's "make sure that you can overfit very small portion of the data": a D-H-C net (gaussian
    init of std init_scale) trained with plain full-batch SGD at a constant learning_rate on the first
    num_examples training examples of data, which are also its "validation" set, as in the slide's
    train(X_tiny, y_tiny, X_tiny, y_tiny). One epoch is one update. Returns core.trainer.TrainResult."""
    X_tiny, y_tiny = tiny_subset(data["X_train"], data["y_train"], num_examples)
    net = FullyConnectedNet.for_data(data, [hidden_size], init_scale=init_scale, rng=seed)
    return train(net, X_tiny, y_tiny, X_tiny, y_tiny, num_epochs=num_epochs, reg=reg, update="sgd",
                 learning_rate_decay=1.0, sample_batches=False, learning_rate=learning_rate, track_ratios=False,
                 rng=seed)
