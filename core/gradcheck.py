"""Centred-difference numerical gradients and the relative error used to compare them."""
import numpy as np


def numerical_gradient(f, x, df=None, h=1e-5):
    """Numerical gradient of f at x by centred differences, (f(x+h) - f(x-h)) / 2h.

    f: function of x returning a scalar (df None) or an array of the shape of df, whose
    contraction with df is taken. x is changed in place during the evaluation and restored.
    Returns an array shaped like x. Use float64.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = np.copy(f(x))  # a copy: f may return x itself or a view of it
        x[i] = old - h
        minus = np.copy(f(x))
        x[i] = old
        if df is None:
            grad[i] = (plus - minus) / (2 * h)
        else:
            grad[i] = np.sum((plus - minus) * df) / (2 * h)
        it.iternext()
    return grad


def rel_error(a, b):
    """max |a - b| / max(1e-8, |a| + |b|), elementwise; below 1e-7 means the gradient is right."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
