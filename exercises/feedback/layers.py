"""Checks of exercise 1: affine and ReLU layers (forward and backward) and the softmax loss.

Shapes: N examples, D inputs, H outputs of a layer, C classes. Every check runs the student's
function on several shapes (non-square, N = 1, other ranks where the docstring allows them), checks
that the inputs are left unchanged and that float64 stays float64, compares with the right values,
and names the mistake when a classic wrong version reproduces the student's numbers; otherwise it
shows the smallest input on which the student's values are wrong.
"""
import math

import numpy as np

from core import gradcheck, layers

from .base import (
    Fail,
    array,
    call,
    check,
    close,
    copies,
    diagnose,
    generator,
    keeps_float64,
    pair,
    shaped,
    smallest_failing,
    unchanged,
)

# (N, D, H): the first is the one the messages quote; then one example, and more outputs than inputs
AFFINE_SHAPES = [(4, 6, 5), (1, 3, 2), (7, 2, 9)]
RELU_SHAPES = [(4, 5), (7,), (2, 3, 4)]       # the docstring allows any shape
SOFTMAX_SHAPES = [(5, 10), (1, 3), (8, 2), (3, 7)]  # (N, C)
C_SANITY = 10  # classes of the slide's sanity check: initial loss ln(10) = 2.30
CACHED = "the forward pass's cached"  # a backward pass computes gradients; it changes no weights
ANY_SHAPE = "the docstring allows any shape: code that assumes 2 dimensions (N, D = x.shape) fails here"


def _shapes(seed, base, low=2, high=9):
    """base for seed 0; for another seed, base's pattern with other sizes (hidden tests use that)."""
    if seed == 0:
        return base
    rng = generator(seed, 99)
    return [tuple(1 if size == 1 else int(rng.integers(low, high)) for size in shape) for shape in base]


def _listed(shapes):
    return ", ".join(str(shape) for shape in shapes[:-1]) + f" and {shapes[-1]}"


def _for(**arrays):
    return " for " + ", ".join(f"{name} of shape {np.shape(value)}" for name, value in arrays.items())


# ---- affine ------------------------------------------------------------------------------------
def _affine_inputs(seed, k, n, d, h):
    rng = generator(seed, k)
    return rng.standard_normal((n, d)), rng.standard_normal((d, h)), rng.standard_normal(h)


def _affine_small_cases():
    """Small inputs with round numbers, smallest first, for the "smallest failing input" message."""
    yield dict(x=np.array([[1.0]]), w=np.array([[2.0]]), b=np.array([3.0]))
    yield dict(x=np.array([[1.0, 2.0]]), w=np.array([[1.0], [3.0]]), b=np.array([0.5]))
    yield dict(x=np.array([[1.0], [2.0]]), w=np.array([[2.0, -1.0]]), b=np.array([1.0, 3.0]))
    yield dict(x=np.array([[1.0, 2.0, 0.0], [-1.0, 0.5, 2.0]]), w=np.array([[1.0, 0.0], [2.0, 1.0], [0.0, -1.0]]),
               b=np.array([0.5, -2.0]))


@check("affine_forward")
def check_affine_forward(affine_forward, seed=0):
    """affine_forward(x, w, b) -> (out, cache): out = x @ w + b, x (N, D), w (D, H), b (H,), out (N, H)."""
    shapes = _shapes(seed, AFFINE_SHAPES)
    for k, (n, d, h) in enumerate(shapes):
        x, w, b = _affine_inputs(seed, k, n, d, h)
        before = copies(x=x, w=w, b=b)
        given = _for(x=x, w=w, b=b) if k else ""
        out, _ = pair(call(affine_forward, x, w, b, given=given), 2, "affine_forward must return a pair (out, cache)")
        unchanged(before, {"x": x, "w": w, "b": b}, "affine_forward")
        if array(out, "out").shape == (h, n) and h != n:
            raise Fail(f"out has the wrong shape {(h, n)}; expected {(n, h)} = (N, H){given}: out = x @ w + b, "
                       "one row per example (not w.T @ x.T)")
        shaped(out, (n, h), "out", f" = (N, H){given}")
        keeps_float64(out, "out", "x, w and b")
        expected = x @ w + b
        if not close(out, expected):
            smallest = smallest_failing(lambda x, w, b: {"out": affine_forward(x.copy(), w.copy(), b.copy())[0]},
                                        lambda x, w, b: {"out": x @ w + b}, _affine_small_cases())
            diagnose(out, [("out misses the bias: out = x @ w + b", x @ w),
                           ("out subtracts the bias: out = x @ w + b", x @ w - b)],
                     f"out differs from x @ w + b by up to {np.max(np.abs(array(out, 'out') - expected)):.3g}"
                     f"{given}" + (f"; {smallest}" if smallest else ""))
    return f"out = x @ w + b for (N, D, H) = {_listed(shapes)}; inputs left unchanged"


_TOO_SMALL = {
    "dx": "the loss already averages over the examples (softmax_loss divides by N); a layer's backward does not "
          "divide again: dx = dout @ w.T",
    "dw": "you divided by N (the batch size), but the loss already averages over the examples (softmax_loss "
          "divides dscores by N); a layer's backward does not divide again: dw = x.T @ dout",
    "db": "db = dout.sum(axis=0), not dout.mean(axis=0): the loss already averages over the examples",
}
_RIGHT = {"dx": "dx = dout @ w.T", "dw": "dw = x.T @ dout", "db": "db = dout.sum(axis=0)"}


@check("affine_backward")
def check_affine_backward(affine_forward, affine_backward, seed=0):
    """affine_backward(dout, cache) -> (dx, dw, db), checked against numerical gradients."""
    shapes = _shapes(seed, AFFINE_SHAPES)
    for k, (n, d, h) in enumerate(shapes):
        x, w, b = _affine_inputs(seed, k, n, d, h)
        dout = generator(seed, k, 1).standard_normal((n, h))
        forward_got = {"x": x.copy(), "w": w.copy(), "b": b.copy()}  # what the cache refers to
        result = call(affine_forward, *forward_got.values(), helper="affine_forward")
        _, cache = pair(result, 2, "affine_forward must return a pair (out, cache)")
        cached = copies(**forward_got)  # as the forward pass left them (a wrong forward may change them)
        given = _for(x=x, w=w, dout=dout) if k else ""
        before = copies(dout=dout)
        grads = pair(call(affine_backward, dout, cache, given=given), 3,
                     "affine_backward must return three gradients (dx, dw, db)")
        unchanged(before, {"dout": dout}, "affine_backward")
        unchanged(cached, forward_got, "affine_backward", CACHED)
        db_hint = (": sum over axis 0 without keepdims" if array(grads[2], "db").shape == (1, h) else
                   ": sum dout over the examples (axis 0)")
        got = {"dx": shaped(grads[0], (n, d), "dx", f" = (N, D), the shape of x{given}: dx = dout @ w.T"),
               "dw": shaped(grads[1], (d, h), "dw", f" = (D, H), the shape of w{given}: dw = x.T @ dout"),
               "db": shaped(grads[2], (h,), "db", f" = (H,), the shape of b{given}{db_hint}")}
        for name, value in zip(("dx", "dw", "db"), grads):
            keeps_float64(value, name, "x, w and dout")
        if k == 0:  # the gradient check proper: centred differences of x @ w + b contracted with dout
            expected = {"dx": gradcheck.numerical_gradient(lambda v, w=w, b=b: v @ w + b, x.copy(), dout),
                        "dw": gradcheck.numerical_gradient(lambda v, x=x, b=b: x @ v + b, w.copy(), dout),
                        "db": gradcheck.numerical_gradient(lambda v, x=x, w=w: x @ w + v, b.copy(), dout)}
        else:
            expected = {"dx": dout @ w.T, "dw": x.T @ dout, "db": dout.sum(axis=0)}
        for name in ("dx", "dw", "db"):
            error = gradcheck.rel_error(got[name], expected[name])
            if error > 1e-7:
                if n > 1 and close(got[name] * n, expected[name]):
                    raise Fail(f"{name} is N = {n} times too small{given}: {_TOO_SMALL[name]}")
                if n > 1 and close(got[name], expected[name] * n):
                    raise Fail(f"{name} is N = {n} times too large{given}: {_RIGHT[name]}")
                smallest = smallest_failing(
                    lambda x, w, b: dict(zip(("dx", "dw", "db"), affine_backward(
                        np.ones((x.shape[0], w.shape[1])), affine_forward(x.copy(), w.copy(), b.copy())[1]))),
                    lambda x, w, b: {"dx": np.ones((x.shape[0], w.shape[1])) @ w.T,
                                     "dw": x.T @ np.ones((x.shape[0], w.shape[1])),
                                     "db": np.full(w.shape[1], float(x.shape[0]))},
                    _affine_small_cases())
                raise Fail(f"{name} differs from the numerical gradient{given}: relative error {error:.2g} "
                           f"(want < 1e-7); {_RIGHT[name]}" + (f"; with dout = ones, {smallest}" if smallest else ""))
    return f"dx, dw, db match the numerical gradient (relative error < 1e-7) for (N, D, H) = {_listed(shapes)}"


# ---- ReLU --------------------------------------------------------------------------------------
def _relu_inputs(seed, k, shape):
    rng = generator(seed, 10 + k)
    x = rng.standard_normal(shape)
    x[np.abs(x) < 0.01] = 0.5  # keep every entry away from the kink at 0 for the gradient check
    x.flat[:3] = [-1.5, 0.02, -0.02]  # near the kink: a threshold other than 0 shows
    return x


def _relu_small_cases():
    yield dict(x=np.array([-1.0]))
    yield dict(x=np.array([2.0]))
    yield dict(x=np.array([0.02]))
    yield dict(x=np.array([-1.0, 2.0]))
    yield dict(x=np.array([[-1.0, 2.0], [3.0, -0.5]]))


@check("relu_forward")
def check_relu_forward(relu_forward, seed=0):
    """relu_forward(x) -> (out, cache): out = max(0, x) elementwise, x any shape, out the shape of x."""
    shapes = _shapes(seed, RELU_SHAPES)
    for k, shape in enumerate(shapes):
        x = _relu_inputs(seed, k, shape)
        before = copies(x=x)
        given = f" for x of shape {x.shape} ({ANY_SHAPE})" if k else ""
        out, _ = pair(call(relu_forward, x, given=given), 2, "relu_forward must return a pair (out, cache)")
        out_arr = array(out, "out")
        if out_arr.shape != x.shape:
            hint = (": np.max(x, 0) takes the maximum along axis 0; use np.maximum(x, 0), elementwise"
                    if out_arr.shape in ((), x.shape[1:]) else "")
            raise Fail(f"out has the wrong shape {out_arr.shape}; expected {x.shape}, the shape of x{given}{hint}")
        unchanged(before, {"x": x}, "relu_forward")
        keeps_float64(out, "out", "the entries of x")
        x0 = before["x"]
        expected = np.maximum(x0, 0)
        if not close(out, expected):
            smallest = smallest_failing(lambda x: {"out": relu_forward(x.copy())[0]},
                                        lambda x: {"out": np.maximum(x, 0)}, _relu_small_cases())
            diagnose(out, [
                ("negative inputs come out unchanged: ReLU sets them to 0", x0),
                ("negative inputs come out positive (np.abs?): ReLU sets them to 0", np.abs(x0)),
                ("you kept the negative part: out = np.maximum(x, 0), not np.minimum", np.minimum(x0, 0)),
                ("out is 0/1: ReLU passes positive inputs through unchanged", (x0 > 0).astype(float)),
            ], f"out differs from np.maximum(x, 0) by up to {np.max(np.abs(out_arr - expected)):.3g}{given}"
               + (f"; {smallest}" if smallest else ""))
    return f"out = np.maximum(x, 0) for x of shapes {_listed(shapes)}; input left unchanged"


@check("relu_backward")
def check_relu_backward(relu_forward, relu_backward, seed=0):
    """relu_backward(dout, cache) -> dx, the shape of x, checked against the numerical gradient."""
    shapes = _shapes(seed, RELU_SHAPES)
    for k, shape in enumerate(shapes):
        x = _relu_inputs(seed, k, shape)
        dout = generator(seed, 20 + k).standard_normal(x.shape)
        forward_got = x.copy()
        _, cache = pair(call(relu_forward, forward_got, helper="relu_forward"), 2,
                        "relu_forward must return a pair (out, cache)")
        cached = copies(x=forward_got)
        given = f" for x of shape {x.shape} ({ANY_SHAPE})" if k else ""
        before = copies(dout=dout)
        dx = call(relu_backward, dout, cache, given=given)
        unchanged(before, {"dout": dout}, "relu_backward")
        unchanged(cached, {"x": forward_got}, "relu_backward", CACHED)
        keeps_float64(dx, "dx", "x and dout")
        dx = shaped(dx, x.shape, "dx", f", the shape of x{given}")
        expected = (gradcheck.numerical_gradient(lambda v: np.maximum(v, 0), x.copy(), dout) if k == 0
                    else dout * (x > 0))
        error = gradcheck.rel_error(dx, expected)
        if error > 1e-7:
            smallest = smallest_failing(
                lambda x: {"dx": relu_backward(np.ones_like(x), relu_forward(x.copy())[1])},
                lambda x: {"dx": 1.0 * (x > 0)}, _relu_small_cases())
            diagnose(dx, [
                ("the gradient flows through units that were off (x < 0): dx = dout * (x > 0)", dout),
                ("dx ignores dout: dx = dout * (x > 0), not just the mask", (x > 0).astype(float)),
                ("you gated by dout > 0; gate by the forward input: dx = dout * (x > 0)", dout * (dout > 0)),
                ("you gated by dout > 0; gate by the forward input: dx = dout * (x > 0)", np.maximum(dout, 0)),
                ("dx = dout * x is the gradient of x**2 / 2; ReLU's is dout * (x > 0)", dout * x),
                ("dx = dout * max(x, 0): ReLU's local gradient is 1 where x > 0, not x", dout * np.maximum(x, 0)),
            ], f"dx differs from the numerical gradient{given}: relative error {error:.2g} (want < 1e-7)"
               + (f"; with dout = ones, {smallest}" if smallest else ""))
    return f"dx = dout * (x > 0) matches the numerical gradient (relative error < 1e-7) for x {_listed(shapes)}"


# ---- softmax -----------------------------------------------------------------------------------
def _softmax_inputs(seed, k, n, c):
    rng = generator(seed, 30 + k)
    scores = rng.standard_normal((n, c))
    y = rng.integers(0, c, n)
    if k == 0:
        y[:2] = [3 % c, 7 % c]  # two different labels whatever the seed
    return scores, y


def _softmax_small_cases():
    yield dict(scores=np.array([[0.0, 0.0]]), y=np.array([0]))
    yield dict(scores=np.array([[1.0, 2.0]]), y=np.array([1]))
    yield dict(scores=np.array([[1.0, 2.0, 3.0]]), y=np.array([0]))
    yield dict(scores=np.array([[1.0, 2.0], [0.0, -1.0]]), y=np.array([1, 0]))


def _softmax_outputs(softmax_loss):
    def run(scores, y):
        loss, dscores = softmax_loss(scores.copy(), y.copy())
        return {"loss": loss, "dscores": dscores}
    return run


def _reference_outputs(scores, y):
    loss, dscores = layers.softmax_loss(scores, y)
    return {"loss": loss, "dscores": dscores}


def _scalar(value, what):
    arr = array(value, what)
    if arr.size != 1:
        raise Fail(f"{what} must be one number (the mean over the examples), got shape {arr.shape}: "
                   "average the per-example losses")
    return float(arr.reshape(()))


@check("softmax_loss")
def check_softmax_loss(softmax_loss, seed=0):
    """softmax_loss(scores, y) -> (loss, dscores): mean cross-entropy and its gradient (N, C)."""
    shapes = _shapes(seed, SOFTMAX_SHAPES)
    n, c = shapes[0]
    scores, y = _softmax_inputs(seed, 0, n, c)
    before = copies(scores=scores, y=y)
    loss, dscores = pair(call(softmax_loss, scores, y), 2, "softmax_loss must return a pair (loss, dscores)")
    unchanged(before, {"scores": scores, "y": y}, "softmax_loss")
    loss = _scalar(loss, "loss")
    keeps_float64(dscores, "dscores", "the scores")
    dscores = shaped(dscores, (n, c), "dscores", " = (N, C), the shape of scores")
    expected, _ = layers.softmax_loss(scores, y)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    if not math.isclose(loss, expected, rel_tol=1e-6):
        if not math.isfinite(loss) and close(dscores, layers.softmax_loss(scores, y)[1]):
            raise Fail("loss is nan although dscores is right: dscores = probs makes both names one array, so "
                       "dscores[np.arange(N), y] -= 1 changed probs before you took its log; compute the loss first, "
                       "or start from a copy, dscores = probs.copy()")
        if math.isclose(loss, expected * n, rel_tol=1e-6):
            raise Fail(f"loss is N = {n} times too large: average over the examples (the mean, not the sum)")
        if math.isclose(loss * n, expected, rel_tol=1e-6):
            raise Fail(f"loss is N = {n} times too small: you divided by N twice (the mean already divides by N)")
        if math.isclose(loss, -expected, rel_tol=1e-6):
            raise Fail("loss is negative: the loss is -log(probability of the correct class)")
        if math.isclose(loss, -log_probs[:, y].mean(), rel_tol=1e-6):
            raise Fail("loss averages over every pair of rows and labels: pick each row's correct class "
                       "with probs[np.arange(N), y], not probs[:, y]")
        by_column = [np.exp(v) / np.exp(v).sum(axis=0, keepdims=True) for v in (shifted, scores)]
        if any(math.isclose(loss, -np.log(p[np.arange(n), y]).mean(), rel_tol=1e-6) for p in by_column):
            raise Fail("the probabilities are normalized over each column (axis=0, the examples): divide by each "
                       "row's sum, axis=1, keepdims=True, so that every example's probabilities add up to 1")
        if math.isclose(loss, -np.log(np.exp(scores[np.arange(n), y]) / np.exp(scores).sum()).mean(), rel_tol=1e-6):
            raise Fail("the probabilities are normalized over the whole batch: divide by each row's sum "
                       "(axis=1, keepdims=True)")
        smallest = smallest_failing(_softmax_outputs(softmax_loss), _reference_outputs, _softmax_small_cases())
        raise Fail(f"loss is {loss:.4f}; expected {expected:.4f} for these scores"
                   + (f"; {smallest}" if smallest else ""))
    # numerical stability: scores around 1000 overflow np.exp unless each row's max is subtracted first
    big = scores + 500 + 500 * generator(seed, 39).random((n, 1))
    big_loss, big_d = pair(call(softmax_loss, big.copy(), y.copy()), 2,
                           "softmax_loss must return a pair (loss, dscores)")
    big_expected, _ = layers.softmax_loss(big, y)
    if not np.isfinite(array(big_loss, "loss")).all() or not np.isfinite(array(big_d, "dscores")).all():
        raise Fail("loss or dscores is nan/inf for scores around 1000: subtract each row's max before "
                   "np.exp (it does not change the softmax)")
    if not math.isclose(_scalar(big_loss, "loss"), big_expected, rel_tol=1e-6):
        raise Fail(f"loss is wrong for scores around 1000 (got {_scalar(big_loss, 'loss'):.4g}, expected "
                   f"{big_expected:.4g}): subtract each row's max before np.exp")
    # the gradient, against the numerical gradient of the (right) loss
    numeric = gradcheck.numerical_gradient(lambda v: layers.softmax_loss(v, y)[0], scores.copy())
    error = gradcheck.rel_error(dscores, numeric)
    if error > 1e-7:
        probs = np.exp(log_probs)
        onehot = np.eye(c)[y]
        if close(dscores * n, numeric):
            raise Fail(f"dscores is N = {n} times too small: you divided by N twice; divide once (dscores /= N), "
                       "because the loss is the mean over the N examples")
        if close(dscores, numeric * n):
            raise Fail(f"dscores is N = {n} times too large: divide by N (dscores /= N), because the loss is the "
                       "mean over the N examples")
        every_label = probs.copy()
        every_label[:, y] -= 1
        smallest = smallest_failing(_softmax_outputs(softmax_loss), _reference_outputs, _softmax_small_cases())
        diagnose(dscores, [
            ("dscores[:, y] -= 1 subtracts 1 in the column of every label of the batch, in every row; only each "
             "row's own class gets the -1: dscores[np.arange(N), y] -= 1", every_label / n),
            ("dscores misses the -1 at the correct class: dscores = probs; dscores[np.arange(N), y] -= 1; "
             "dscores /= N", probs / n),
            ("dscores has the wrong sign: it is probs - onehot(y), divided by N", (onehot - probs) / n),
            ("dscores subtracts 1 from every class: only the correct class gets the -1", (probs - 1) / n),
        ], f"dscores differs from the numerical gradient: relative error {error:.2g} (want < 1e-7)"
           + (f"; {smallest}" if smallest else ""))
    # other shapes: one example, two classes, fewer examples than classes
    for k, (n_k, c_k) in enumerate(shapes[1:], 1):
        s, labels = _softmax_inputs(seed, k, n_k, c_k)
        given = (f" for scores of shape {(n_k, c_k)} (N = {n_k}, C = {c_k}; right for N = {n}, C = {c}: does your "
                 "code assume a number of examples or classes?)")
        got_loss, got_d = pair(call(softmax_loss, s.copy(), labels.copy(), given=given), 2,
                               "softmax_loss must return a pair (loss, dscores)")
        want_loss, want_d = layers.softmax_loss(s, labels)
        got_d = shaped(got_d, (n_k, c_k), "dscores", f" = (N, C), the shape of scores{given}")
        if not math.isclose(_scalar(got_loss, "loss"), want_loss, rel_tol=1e-6) or not close(got_d, want_d):
            smallest = smallest_failing(_softmax_outputs(softmax_loss), _reference_outputs, _softmax_small_cases())
            raise Fail(f"loss or dscores is wrong{given}" + (f"; {smallest}" if smallest else ""))
    # the lecture's sanity check: small scores give ln(C)
    small = 1e-3 * generator(seed, 38).standard_normal((50, C_SANITY))
    small_loss = _scalar(pair(call(softmax_loss, small, generator(seed, 37).integers(0, C_SANITY, 50)), 2, "")[0],
                         "loss")
    if abs(small_loss - math.log(C_SANITY)) > 0.01:
        raise Fail(f"with near-zero scores the loss is {small_loss:.3f}; expected ln({C_SANITY}) = "
                   f"{math.log(C_SANITY):.3f}")
    return (f"loss and dscores right (gradient check < 1e-7), stable for big scores, any N and C; "
            f"initial loss {small_loss:.2f} ~ ln({C_SANITY}) = {math.log(C_SANITY):.2f}")
