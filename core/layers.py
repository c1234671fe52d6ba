"""Layers as pure pairs: forward(x, ...) -> (out, cache) and backward(dout, cache) -> gradients.

Shapes: N examples, D inputs, H outputs of a layer, C classes.
"""
import math

import numpy as np

from . import checks


def affine_forward(x, w, b):
    """out = x @ w + b.  x: (N, D), w: (D, H), b: (H,) -> out: (N, H)."""
    return x @ w + b, (x, w)


def affine_backward(dout, cache):
    """dout: (N, H) -> dx: (N, D), dw: (D, H), db: (H,)."""
    x, w = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


def relu_forward(x):
    """out = max(0, x): x an array of any shape, out the same shape and dtype."""
    out = np.maximum(x, np.zeros(x.shape, x.dtype))  # = np.maximum(x, 0); numpy is 2x faster on two arrays
    return out, out


def relu_backward(dout, cache):
    """Gradient flows only where the unit was active (out > 0)."""
    return dout * (cache > 0)


def leaky_relu_forward(x, slope=0.01):
    """out = x where x > 0, slope * x elsewhere."""
    positive = x > 0
    return np.where(positive, x, slope * x), (positive, slope)


def leaky_relu_backward(dout, cache):
    positive, slope = cache
    return np.where(positive, dout, slope * dout)


def tanh_forward(x):
    """out = tanh(x); d out / dx = 1 - out**2."""
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1 - cache * cache)


def sigmoid_forward(x):
    """out = 1 / (1 + exp(-x)); d out / dx = out (1 - out). Written to never overflow."""
    out = np.exp(-np.logaddexp(0, -x)).astype(x.dtype, copy=False)
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1 - cache)


ACTIVATIONS = {
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
    "tanh": (tanh_forward, tanh_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
}


def log_softmax(scores):
    """log of the class probabilities: scores (N, C) -> (N, C).

    Notes: log p_ij = s_ij - log sum_k exp(s_ik). Subtracting the row max first keeps exp from
    overflowing, and staying in log space keeps log p finite when p itself would round to 0.
    """
    n, C = scores.shape
    row_max = scores.ravel()[np.arange(0, n * C, C) + scores.argmax(axis=1)]  # = max(axis=1), 2x faster, few C
    shifted = scores - row_max[:, None]
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(scores):
    """Class probabilities p_ij = exp(s_ij) / sum_k exp(s_ik): scores (N, C) -> (N, C), rows sum to 1.

    The one softmax of the library (a net's predictions, an ensemble's members, dropout's masks).
    """
    checks.array("scores", scores, ndim=2, finite=False)  # a diverged net's NaN scores give NaN probabilities
    return np.exp(log_softmax(scores))


def chance_loss(num_classes):
    """The softmax loss of a net that gives every class 1/C: ln(C) (2.30 for 10 classes), the
    slide's "double check that the loss is reasonable" for small random weights."""
    return math.log(checks.integer("num_classes", num_classes, low=1))


def softmax_loss(scores, y):
    """Softmax (cross-entropy) loss.

    scores: (N, C), y: (N,) labels in [0, C) -> loss (float), dscores: (N, C)

    Notes: loss = mean_i -log p_i,y_i with p = softmax(scores), computed as log_softmax (stable for
    huge scores); with small random weights every class gets 1/C and the loss is ln(C).
    dloss/ds_ij = (p_ij - [j == y_i]) / N.
    """
    n, C = scores.shape
    true_class = np.arange(0, n * C, C) + y  # where each s_i,y_i sits in the flattened (N * C) scores
    log_probs = log_softmax(scores)
    picked = log_probs.ravel()[true_class]
    loss = -picked.dtype.type(float(picked.sum()) / n)  # = -picked.mean(), without mean's overhead
    dscores = np.exp(log_probs, out=log_probs)  # softmax(scores), in place: log_probs is no longer needed
    dscores.ravel()[true_class] -= 1
    dscores /= n
    return float(loss), dscores


def svm_loss(scores, y, margin=1.0):
    """Multiclass SVM (hinge) loss.

    scores: (N, C), y: (N,) -> loss (float), dscores: (N, C)

    Notes: loss = mean_i sum_{j != y_i} max(0, s_ij - s_iy_i + margin).
    """
    n = scores.shape[0]
    rows = np.arange(n)
    margins = np.maximum(0, scores - scores[rows, y][:, None] + margin)
    margins[rows, y] = 0
    loss = margins.sum() / n
    dscores = (margins > 0).astype(scores.dtype)
    dscores[rows, y] = -dscores.sum(axis=1)
    dscores /= n
    return float(loss), dscores


LOSSES = {"softmax": softmax_loss, "svm": svm_loss}
